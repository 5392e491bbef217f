"""One state badge: one template, one set of colours (issue 11)."""

from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string

ROOT = Path(settings.BASE_DIR)


@pytest.mark.parametrize(
    ("context", "css_class", "text"),
    [
        ({"state": "submitted", "label": "已报送"}, "hr-state-submitted", "已报送"),
        ({"state": "missing", "label": "未开始", "count": 0}, "hr-state-missing", "未开始 0"),
        ({}, "hr-state-none", "未开始"),
    ],
)
def test_the_badge_shows_state_label_and_count(context, css_class, text):
    html = render_to_string("reports/_state_badge.html", context)
    assert f"hr-state {css_class}" in html and f">{text}</span>" in html


def test_only_the_badge_template_spells_the_state_classes():
    others = [
        p.relative_to(ROOT)
        for p in (ROOT / "templates").rglob("*.html")
        if p.name != "_state_badge.html" and "hr-state-" in p.read_text(encoding="utf-8")
    ]
    assert others == []


def test_the_state_colours_are_defined_once():
    defining = [p.name for p in (ROOT / "static" / "css").glob("*.css") if ".hr-state-draft" in p.read_text()]
    assert defining == ["app.css"]
