"""Closing a period for everyone (issue 16): one step, confirmed, audited; a closed period refuses new
reports, edits and submissions with a clear message."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from reports.models import AuditEvent, ReportingPeriod
from reports.services import ServiceError
from reports.services.periods import period_close
from reports.services.reports import report_create


@pytest.fixture(autouse=True)
def english():
    """The refusals are matched in English (the site's default language is Chinese)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.mark.django_db
def test_only_top_level_reviewers_and_superusers_close(world):
    period = world.report.period
    for user in (world.clerk, world.reviewer, world.admin_member):
        with pytest.raises(PermissionDenied):
            period_close(period=period, acting_user=user)
    period_close(period=period, acting_user=world.province_reviewer)
    period.refresh_from_db()
    assert not period.is_open
    assert AuditEvent.objects.get(action="period_close").detail["period"] == "2025"
    with pytest.raises(ServiceError, match="already closed"):
        period_close(period=period, acting_user=world.superuser)


@pytest.mark.django_db
def test_a_closed_period_refuses_edits_and_new_reports(world, client):
    period = world.report.period
    client.force_login(world.clerk)
    assert client.get(reverse("report_edit", args=[world.report.pk])).status_code == 200
    period_close(period=period, acting_user=world.superuser)
    response = client.get(reverse("report_edit", args=[world.report.pk]))
    assert response.status_code == 403
    assert period.label in response.content.decode()  # says which period is closed, not just "denied"
    assert client.get(reverse("report_submit", args=[world.report.pk])).status_code == 200  # the page shows
    client.post(reverse("report_submit", args=[world.report.pk]))
    world.report.refresh_from_db()
    assert world.report.state == "draft"
    assert client.get(reverse("report_detail", args=[world.report.pk])).status_code == 200  # still readable
    world.report.delete()
    with pytest.raises(ServiceError, match=period.label):
        report_create(bureau=world.county, period=ReportingPeriod.objects.get(pk=period.pk), acting_user=world.clerk)


@pytest.mark.django_db
def test_the_close_page_confirms_first(world, client):
    client.force_login(world.reviewer)
    assert client.get(reverse("period_close")).status_code == 403
    client.force_login(world.province_reviewer)
    page = client.get(reverse("period_close"), {"period": "2025"}).content.decode()
    assert 'name="confirm"' in page
    client.post(reverse("period_close"), {"period": "2025"})  # no confirmation: nothing happens
    assert ReportingPeriod.objects.get(pk=world.report.period.pk).is_open
    client.post(reverse("period_close"), {"period": "2025", "confirm": "yes"})
    assert not ReportingPeriod.objects.get(pk=world.report.period.pk).is_open


@pytest.mark.django_db
def test_admin_action_confirms_then_closes(world, client):
    client.force_login(world.superuser)
    url = reverse("admin:reports_reportingperiod_changelist")
    pk = world.report.period.pk
    page = client.post(url, {"action": "close_periods", "_selected_action": [pk]})
    assert page.status_code == 200 and ReportingPeriod.objects.get(pk=pk).is_open
    client.post(url, {"action": "close_periods", "_selected_action": [pk], "confirm": "yes"})
    assert not ReportingPeriod.objects.get(pk=pk).is_open
