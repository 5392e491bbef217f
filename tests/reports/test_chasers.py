"""催报 (issue 16): a reviewer chases a late bureau; mail and notice reach that bureau's clerks only;
audited; refused a second time the same day; a bureau that joined after the deadline is not late."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from reports.models import AuditEvent, Bureau, Chaser, Membership, Notification, Report
from reports.selectors.review import review_overview
from reports.selectors.timeliness import NOT_DUE, OVERDUE, timeliness
from reports.services import ServiceError
from reports.services.chasers import chaser_send, chasers_send_all
from tests.factories import BureauFactory, MembershipFactory, UserFactory
from tests.reports.workflow_world import set_state

TODAY = datetime.date(2026, 3, 2)  # the 2025 annual period was due on 2026-01-15


@pytest.fixture(autouse=True)
def english():
    """The refusals are matched in English (the site's default language is Chinese)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def second_clerk(world):
    user = UserFactory(username="clerk2", email="clerk2@example.org")
    MembershipFactory(user=user, bureau=world.county, role=Membership.Role.STAFF)
    return user


@pytest.mark.django_db
def test_a_chaser_reaches_only_that_bureaus_clerks(world, second_clerk, django_capture_on_commit_callbacks, mailoutbox):
    period = world.report.period
    with django_capture_on_commit_callbacks(execute=True):
        chaser_send(
            acting_user=world.reviewer, bureau=world.county, period=period, message="请于本周内报送。", today=TODAY
        )
    assert sorted(m.to[0] for m in mailoutbox) == sorted([world.clerk.email, second_clerk.email])
    assert "请于本周内报送。" in mailoutbox[0].body and "46" in mailoutbox[0].body  # 46 days overdue
    assert set(Notification.objects.values_list("user__username", "kind")) == {
        ("clerk", "chaser"),
        ("clerk2", "chaser"),
    }
    event = AuditEvent.objects.get(action="chase")
    assert event.actor == world.reviewer and event.bureau == world.county and event.detail["period"] == "2025"

    with pytest.raises(ServiceError, match="already chased today"):
        chaser_send(acting_user=world.reviewer, bureau=world.county, period=period, today=TODAY)
    assert Chaser.objects.count() == 1 and Notification.objects.count() == 2
    # the next day is fine
    chaser_send(
        acting_user=world.reviewer, bureau=world.county, period=period, today=TODAY + datetime.timedelta(days=1)
    )
    assert Chaser.objects.count() == 2


@pytest.mark.django_db
def test_only_the_bureaus_reviewer_chases_and_only_late_bureaus(world):
    period = world.report.period
    with pytest.raises(PermissionDenied):
        chaser_send(acting_user=world.other_reviewer, bureau=world.county, period=period, today=TODAY)
    with pytest.raises(PermissionDenied):
        chaser_send(acting_user=world.clerk, bureau=world.county, period=period, today=TODAY)
    with pytest.raises(ServiceError, match="not late"):  # before the deadline
        chaser_send(acting_user=world.reviewer, bureau=world.county, period=period, today=datetime.date(2026, 1, 10))
    set_state(world.report, Report.State.SUBMITTED)
    Report.objects.filter(pk=world.report.pk).update(first_submitted_at=world.report.updated_at)
    with pytest.raises(ServiceError, match="not late"):  # already in
        chaser_send(acting_user=world.reviewer, bureau=world.county, period=period, today=TODAY)
    assert not Chaser.objects.exists() and not Notification.objects.exists()


@pytest.mark.django_db
def test_chase_all_skips_those_chased_today(world, client, mailoutbox):
    period = world.report.period
    chaser_send(acting_user=world.reviewer, bureau=world.county, period=period, today=TODAY)
    sent = chasers_send_all(acting_user=world.reviewer, period=period, today=TODAY)
    assert [c.bureau.code for c in sent] == ["341821"]  # the other late county; 341802 was chased already
    with pytest.raises(ServiceError, match="No late bureau"):
        chasers_send_all(acting_user=world.reviewer, period=period, today=TODAY)


@pytest.mark.django_db
def test_the_overview_form_chases_and_says_so(world, client):
    client.force_login(world.reviewer)
    page = client.get(reverse("review_overview")).content.decode()
    assert reverse("review_chase") in page
    response = client.post(
        reverse("review_chase"), {"period": "2025", "bureau": "341802", "message": "尽快"}, follow=True
    )
    assert "已向" in response.content.decode() or "chaser was sent" in response.content.decode()
    assert Notification.objects.filter(user=world.clerk, kind="chaser").count() == 1
    again = client.post(reverse("review_chase"), {"period": "2025", "bureau": "341802"}, follow=True).content.decode()
    assert Notification.objects.filter(user=world.clerk, kind="chaser").count() == 1
    assert "Chased today" in again or "今日已催报" in again
    # another reviewer's bureau, an unknown period: a message, nothing sent
    client.force_login(world.other_reviewer)
    client.post(reverse("review_chase"), {"period": "2025", "bureau": "341821"})
    client.post(reverse("review_chase"), {"period": "1999X"})
    assert Chaser.objects.count() == 1


@pytest.mark.django_db
def test_a_bureau_that_joined_after_the_deadline_is_not_late(world):
    period = world.report.period
    new = BureauFactory(code="341825", name="新设区卫健委", parent=world.city, created_on=datetime.date(2026, 11, 30))
    assert timeliness(period=period, bureau=new, first_submitted=None, today=datetime.date(2026, 11, 30)) == (
        NOT_DUE,
        0,
    )
    assert timeliness(period=period, bureau=new, first_submitted=None, today=datetime.date(2026, 12, 5)) == (OVERDUE, 5)
    rows = {r.bureau.code: r for r in review_overview(user=world.reviewer, today=datetime.date(2026, 11, 30)).rows}
    assert rows["341825"].timeliness == NOT_DUE and rows["341821"].timeliness == OVERDUE
    with pytest.raises(ServiceError, match="not late"):
        chaser_send(acting_user=world.reviewer, bureau=new, period=period, today=datetime.date(2026, 11, 30))
    assert Bureau.objects.create(code="341826", name="x", level="county", parent=world.city).created_on is not None


@pytest.mark.django_db
def test_first_submission_records_timeliness_once(world, monkeypatch):
    from reports.services.workflow import report_return, report_submit

    late = timezone.make_aware(datetime.datetime(2026, 1, 18, 9))
    monkeypatch.setattr(timezone, "now", lambda: late)
    report_submit(report=world.report, acting_user=world.clerk)
    world.report.refresh_from_db()
    assert (world.report.first_submitted_at, world.report.days_late) == (late, 3)
    report_return(report=world.report, acting_user=world.reviewer, comment="补充")
    monkeypatch.setattr(timezone, "now", lambda: late + datetime.timedelta(days=30))
    report_submit(report=world.report, acting_user=world.clerk)
    world.report.refresh_from_db()
    assert (world.report.first_submitted_at, world.report.days_late) == (late, 3)  # kept from the first
