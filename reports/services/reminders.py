"""Reminders (issue 16), sent by `python manage.py send_reminders` once a day (cron or a systemd timer,
docs/deploy.md). Idempotent: every reminder has a key, recorded in Reminder (unique), so a second run
the same day — or a run that overlaps another — sends nothing new.

- The clerks of every bureau that has not submitted its report for an open period: once in the
  REMINDER_DAYS_BEFORE days before the due date ("before"), once in the week from the due date on
  ("due"), and once in each further week while it stays overdue ("overdue1", "overdue2", ...).
  A missed day is caught up by the next run within the same stage.
- Reviewers: a weekly digest of the reports waiting for their review (once per ISO week, if any).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from ..models import Bureau, Membership, Notification, Reminder, Report, ReportingPeriod
from ..selectors.timeliness import due_date
from .notify import addresses, mail_send, notices_create, render_mail, site_url


def reminder_stage(*, due: datetime.date, today: datetime.date, days_before: int) -> str | None:
    """Which reminder a bureau due on `due` is owed today, if any."""
    if today < due - datetime.timedelta(days=days_before):
        return None
    if today < due:
        return "before"
    weeks = (today - due).days // 7
    return "due" if weeks == 0 else f"overdue{weeks}"


@dataclass
class Outgoing:
    reminder: Reminder
    users: list
    subject: str
    body: str


def _record(*, key: str, **fields) -> Reminder | None:
    """The reminder's record, or None when it was sent before (the key is unique)."""
    try:
        with transaction.atomic():
            return Reminder.objects.create(key=key, **fields)
    except IntegrityError:
        return None


def _staff_by_bureau() -> dict[int, list]:
    staff: dict[int, list] = {}
    for m in Membership.objects.filter(role=Membership.Role.STAFF, user__is_active=True).select_related("user"):
        staff.setdefault(m.bureau_id, []).append(m.user)
    return staff


def _clerk_reminders(*, today: datetime.date) -> list[Outgoing]:
    days_before = int(getattr(settings, "REMINDER_DAYS_BEFORE", 7))
    staff = _staff_by_bureau()
    periods = list(ReportingPeriod.objects.filter(is_open=True))
    bureaus = list(Bureau.objects.filter(pk__in=list(staff), parent__isnull=False).select_related("parent"))
    reports = {
        (r.bureau_id, r.period_id): r
        for r in Report.objects.filter(period__in=periods, bureau__in=bureaus).only(
            "pk", "bureau_id", "period_id", "first_submitted_at"
        )
    }
    out = []
    done = set(Reminder.objects.filter(kind="clerks").values_list("key", flat=True))
    for period in periods:
        for bureau in bureaus:
            report = reports.get((bureau.pk, period.pk))
            if report is not None and report.first_submitted_at is not None:
                continue
            due = due_date(period=period, bureau=bureau)
            stage = reminder_stage(due=due, today=today, days_before=days_before)
            key = f"clerks:{stage}:{bureau.pk}:{period.pk}"
            if stage is None or key in done:
                continue
            reminder = _record(key=key, kind="clerks", bureau=bureau, period=period, sent_on=today)
            if reminder is None:
                continue
            url = reverse("report_history", args=[report.pk]) if report else reverse("home")
            subject, body = render_mail(
                "reminder",
                {
                    "bureau": bureau,
                    "period": period,
                    "due": due,
                    "stage": stage,
                    "days": abs((due - today).days),
                    "url": site_url(url),
                },
            )
            notices_create(
                users=staff[bureau.pk],
                kind=Notification.Kind.REMINDER,
                text=subject,
                report=report,
                bureau=bureau,
                period=period,
            )
            out.append(Outgoing(reminder, staff[bureau.pk], subject, body))
    return out


def _digests(*, today: datetime.date) -> list[Outgoing]:
    year, week, _day = today.isocalendar()
    waiting: dict[int, list[Report]] = {}
    for r in (
        Report.objects.filter(state=Report.State.SUBMITTED, period__is_open=True, bureau__parent__isnull=False)
        .select_related("bureau", "period")
        .order_by("submitted_at", "pk")
    ):
        waiting.setdefault(r.bureau.parent_id, []).append(r)
    by_user: dict[int, tuple] = {}
    for m in Membership.objects.filter(
        role=Membership.Role.REVIEWER, user__is_active=True, bureau_id__in=list(waiting)
    ).select_related("user"):
        user, reports = by_user.get(m.user_id, (m.user, []))
        by_user[m.user_id] = (user, reports + waiting[m.bureau_id])
    out = []
    for user, reports in by_user.values():
        reminder = _record(key=f"digest:{user.pk}:{year}-W{week:02d}", kind="digest", user=user, sent_on=today)
        if reminder is None:
            continue
        rows = [(r, (today - timezone.localdate(r.submitted_at)).days if r.submitted_at else 0) for r in reports]
        subject, body = render_mail("digest", {"rows": rows, "url": site_url(reverse("review_overview"))})
        notices_create(users=[user], kind=Notification.Kind.DIGEST, text=subject)
        out.append(Outgoing(reminder, [user], subject, body))
    return out


@transaction.atomic
def reminders_send(*, today: datetime.date | None = None) -> list[Reminder]:
    """Send what is owed today and has not been sent: the clerks' reminders and the reviewers'
    weekly digests. Mail goes out after commit. Returns the reminders recorded now."""
    today = today or timezone.localdate()
    outgoing = _clerk_reminders(today=today) + _digests(today=today)
    for o in outgoing:
        o.reminder.recipients = len(o.users)
        o.reminder.save(update_fields=["recipients"])
        to, subject, body = addresses(o.users), o.subject, o.body
        transaction.on_commit(lambda to=to, s=subject, b=body: mail_send(to=to, subject=s, body=b), robust=True)
    return [o.reminder for o in outgoing]
