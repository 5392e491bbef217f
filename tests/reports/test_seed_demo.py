import json

import pytest
from django.apps import apps
from django.core.management import call_command

from indicators.models import IndicatorDefinition
from reports.models import Bureau, Report


def _snapshot():
    """Every row of every project model, as comparable tuples."""
    rows = {}
    for model in apps.get_models():
        if model._meta.app_label in {"reports", "indicators", "auth"}:
            rows[model._meta.label] = sorted(
                tuple(sorted((k, str(v)) for k, v in row.items())) for row in model.objects.values()
            )
    return rows


@pytest.mark.django_db
def test_seed_demo_twice_changes_nothing(capsys):
    call_command("seed_demo")
    first = _snapshot()
    call_command("seed_demo")
    assert _snapshot() == first


@pytest.mark.django_db
def test_seed_demo_json_prints_only_json(capsys):
    call_command("seed_demo", "--json")
    out = capsys.readouterr().out
    data = json.loads(out)
    assert set(data) == {"personas", "bureaus"}
    for p in data["personas"]:
        assert set(p) == {"username", "password", "role", "bureau_code"}
    for b in data["bureaus"]:
        assert set(b) == {"code", "name", "parent_code", "level"}
    codes = {b["code"] for b in data["bureaus"]}
    assert all(p["bureau_code"] in codes for p in data["personas"])
    # A staff user for every bureau, a reviewer for every bureau with children, one admin.
    parents = {b["parent_code"] for b in data["bureaus"] if b["parent_code"]}
    assert {p["bureau_code"] for p in data["personas"] if p["role"] == "staff"} == codes
    assert {p["bureau_code"] for p in data["personas"] if p["role"] == "reviewer"} == parents
    assert [p["role"] for p in data["personas"]].count("admin") == 1


@pytest.mark.django_db
def test_seed_demo_content(demo, client):
    assert IndicatorDefinition.objects.count() >= 40
    levels = {lvl: Bureau.objects.filter(level=lvl).count() for lvl in Bureau.Level.values}
    assert levels["province"] >= 1 and levels["city"] >= 2 and levels["county"] >= 4
    for county in Bureau.objects.filter(level="county"):
        reports = list(Report.objects.filter(bureau=county).order_by("period__year"))
        assert len(reports) == 2
        for report in reports:
            assert report.values.exclude(value=None).count() >= 10
            assert report.sections.filter(parent__parent=None).exclude(parent=None).count() >= 3
    states = list(Report.objects.values_list("state", flat=True))
    assert states.count("approved") >= 4 and "submitted" in states and "returned" in states and "draft" in states
    # The demo logins work.
    persona = demo.personas()[0]
    assert client.login(username=persona.username, password=persona.password)


@pytest.mark.django_db
def test_the_demo_story_runs_forward_in_time():
    """Each demo report is started before its first step (the history page lists 开始填写报告 first)."""
    from reports.models import Transition

    call_command("seed_demo")
    late = [
        (r.bureau.code, r.period_id)
        for r in Report.objects.select_related("bureau")
        for first in [Transition.objects.filter(report=r).order_by("created_at").first()]
        if first is not None and r.created_at > first.created_at
    ]
    assert late == []
