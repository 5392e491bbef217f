"""The reporting-rate page (issue 16): counts and percentages by level and by bureau; exports."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from reports.models import Report, Transition
from reports.selectors.rates import reporting_rates
from tests.factories import ReportFactory
from tests.reports.workflow_world import set_state


@pytest.fixture
def rated(world):
    """341802 submitted 3 days late after a return; 341821 submitted on time and approved; the
    other city's county nothing."""
    from reports.models import Bureau

    late = timezone.make_aware(datetime.datetime(2026, 1, 18, 9))
    set_state(world.report, Report.State.SUBMITTED)
    Report.objects.filter(pk=world.report.pk).update(first_submitted_at=late, days_late=3)
    Transition.objects.create(report=world.report, from_state="submitted", to_state="returned")
    other = ReportFactory(bureau=Bureau.objects.get(code="341821"), period=world.report.period)
    set_state(other, Report.State.APPROVED)
    Report.objects.filter(pk=other.pk).update(first_submitted_at=late, days_late=0)
    return world


@pytest.mark.django_db
def test_counts_for_the_city_and_the_province(rated):
    city = reporting_rates(user=rated.reviewer, period=rated.report.period)
    assert [(r.bureau.code, r.submitted, r.on_time, r.approved, r.returned) for r in city.bureaus] == [
        ("341802", 1, 0, 0, 1),
        ("341821", 1, 1, 1, 0),
    ]
    total = city.levels[-1]
    assert (total.expected, total.submitted, total.on_time, total.approved, total.returned) == (2, 2, 1, 1, 1)
    assert total.percentages == {"submitted": 100.0, "on_time": 50.0, "approved": 50.0, "returned": 50.0}
    # the province sees the whole subtree: two cities and three counties
    province = reporting_rates(user=rated.province_reviewer, period=rated.report.period)
    assert [(lv.expected, lv.submitted) for lv in province.levels] == [(2, 0), (3, 2), (5, 2)]


@pytest.mark.django_db
def test_page_and_exports(rated, client):
    client.force_login(rated.reviewer)
    page = client.get(reverse("reporting_rates"), {"period": "2025"})
    assert page.status_code == 200 and "rates-data" in page.content.decode()
    csv = client.get(reverse("reporting_rates"), {"period": "2025", "format": "csv"})
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "bureau_code,bureau,level,period,expected,submitted,on_time,approved,returned,days_late"
    assert lines[1].startswith("341802,宣州区卫健委,county,2025,1,1,0,0,1,3")
    xlsx = client.get(reverse("reporting_rates"), {"period": "2025", "format": "xlsx"})
    assert xlsx["Content-Disposition"].endswith('.xlsx"') and xlsx.content[:2] == b"PK"
    client.force_login(rated.clerk)
    assert client.get(reverse("reporting_rates")).status_code == 403
