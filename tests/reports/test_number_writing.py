"""Issue 13: every page and output writes a number the one way (indicators.numbers.number_text)."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string

from reports.rendering.document import build_document
from tests.reports.documents import make_report

pytestmark = pytest.mark.django_db


def test_pdf_and_word_indicator_table_groups_thousands():
    rate = next(r for r in build_document(report=make_report()).indicators if r.unit == "%")
    assert (rate.numerator, rate.denominator) == ("251,665", "555,432")


def test_figures_vs_text_warning_writes_the_grid_value_without_stray_zeros():
    m = SimpleNamespace(
        section=SimpleNamespace(heading="公共卫生"),
        indicator=SimpleNamespace(name="老年人健康管理率", unit="%"),
        text_figure="46.1%",
        grid_value=Decimal("46.1400"),
    )
    html = render_to_string("indicators/_mismatches.html", {"mismatches": [m]})
    assert "46.14%" in html and "46.1400" not in html
