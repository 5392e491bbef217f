"""send_reminders (issue 16): on a fixed date it sends exactly the owed mails and notices; a second run
sends nothing new; bureaus that submitted are left alone; reviewers get one digest a week."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from reports.models import Membership, Notification, Reminder, Report
from reports.services.reminders import reminder_stage
from tests.factories import MembershipFactory, ReportFactory, UserFactory
from tests.reports.workflow_world import set_state

DUE = datetime.date(2026, 1, 15)  # the world's 2025 annual period


def run(day: datetime.date, mailoutbox) -> list[tuple[str, str]]:
    """Run the command on `day`; the (recipient, subject) pairs it mailed, sorted."""
    before = len(mailoutbox)
    call_command("send_reminders", date=day.isoformat(), stdout=StringIO())
    return sorted((m.to[0].split("@")[0], m.subject) for m in mailoutbox[before:])


@pytest.fixture
def submitted(world):
    """A third county that has submitted: its clerk is never reminded; its report waits for review."""
    from reports.models import Bureau

    county = Bureau.objects.get(code="341821")
    clerk = UserFactory(username="langxi_clerk")
    MembershipFactory(user=clerk, bureau=county, role=Membership.Role.STAFF)
    report = ReportFactory(bureau=county, period=world.report.period)
    set_state(report, Report.State.SUBMITTED)
    at = timezone.make_aware(datetime.datetime(2026, 1, 5, 9))
    Report.objects.filter(pk=report.pk).update(submitted_at=at, first_submitted_at=at, days_late=0)
    return report


def test_stages():
    assert reminder_stage(due=DUE, today=DUE - datetime.timedelta(days=8), days_before=7) is None
    assert reminder_stage(due=DUE, today=DUE - datetime.timedelta(days=7), days_before=7) == "before"
    assert reminder_stage(due=DUE, today=DUE - datetime.timedelta(days=1), days_before=7) == "before"
    assert reminder_stage(due=DUE, today=DUE, days_before=7) == "due"
    assert reminder_stage(due=DUE, today=DUE + datetime.timedelta(days=6), days_before=7) == "due"
    assert reminder_stage(due=DUE, today=DUE + datetime.timedelta(days=7), days_before=7) == "overdue1"
    assert reminder_stage(due=DUE, today=DUE + datetime.timedelta(days=20), days_before=7) == "overdue2"


@pytest.mark.django_db(transaction=True)
def test_send_reminders_on_fixed_dates(world, submitted, mailoutbox, settings):
    settings.REMINDER_DAYS_BEFORE = 7
    settings.LANGUAGE_CODE = "en"
    # 8 days before: nothing for the clerks yet; the reviewer's digest for this week (one waiting report)
    assert run(DUE - datetime.timedelta(days=8), mailoutbox) == [("reviewer", "1 report is waiting for your review")]
    # 7 days before: the two counties that have not submitted, nobody else
    label = world.report.period.label
    subject = f"Reminder: your report for {label} is due on 2026-01-15"
    assert run(DUE - datetime.timedelta(days=7), mailoutbox) == [("clerk", subject), ("other_clerk", subject)]
    # twice in a row, and again the next day: nothing new
    assert run(DUE - datetime.timedelta(days=7), mailoutbox) == []
    assert run(DUE - datetime.timedelta(days=6), mailoutbox) == []
    # on the deadline (a new ISO week): "due" to both clerks, and this week's digest
    on_due = run(DUE, mailoutbox)
    assert [who for who, _s in on_due] == ["clerk", "other_clerk", "reviewer"]
    assert run(DUE, mailoutbox) == []
    # a week later, overdue; the county that submitted is still never reminded
    assert [who for who, _s in run(DUE + datetime.timedelta(days=7), mailoutbox)] == [
        "clerk",
        "other_clerk",
        "reviewer",
    ]
    assert "langxi_clerk" not in {m.to[0].split("@")[0] for m in mailoutbox}
    assert set(Reminder.objects.values_list("key", flat=True)) >= {
        f"clerks:before:{world.county.pk}:{world.report.period.pk}",
        f"clerks:due:{world.county.pk}:{world.report.period.pk}",
        f"clerks:overdue1:{world.county.pk}:{world.report.period.pk}",
    }
    # the in-app notices match the mail: 3 reminders each for the two clerks, 3 digests
    assert Notification.objects.filter(user=world.clerk, kind="reminder").count() == 3
    assert Notification.objects.filter(user=world.other_clerk, kind="reminder").count() == 3
    assert Notification.objects.filter(user=world.reviewer, kind="digest").count() == 3
    assert not Notification.objects.filter(user__username="langxi_clerk").exists()
