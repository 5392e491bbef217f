"""Timeliness (issue 16): when a bureau's report is due, how late it is, how long a submission has
waited for review. The one home of the rule "a bureau is not late for a deadline that passed before
it joined the portal".
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone

from ..models import Bureau, ReportingPeriod

ON_TIME, LATE, OVERDUE, NOT_DUE = "on_time", "late", "overdue", "not_due"


def due_date(*, period: ReportingPeriod, bureau: Bureau) -> datetime.date:
    """The period's deadline, or the day the bureau joined the portal when that is later."""
    joined = bureau.created_on
    return max(period.deadline, joined) if joined else period.deadline


def days_late(*, period: ReportingPeriod, bureau: Bureau, submitted: datetime.datetime) -> int:
    """Days between the due date and a submission; 0 for on time."""
    return max(0, (timezone.localdate(submitted) - due_date(period=period, bureau=bureau)).days)


def timeliness(
    *, period: ReportingPeriod, bureau: Bureau, first_submitted: datetime.datetime | None, today: datetime.date
) -> tuple[str, int]:
    """(ON_TIME, 0) | (LATE, days late) for a submitted report; (OVERDUE, days overdue) |
    (NOT_DUE, days left) for one not submitted yet."""
    if first_submitted is not None:
        late = days_late(period=period, bureau=bureau, submitted=first_submitted)
        return (LATE, late) if late else (ON_TIME, 0)
    due = due_date(period=period, bureau=bureau)
    if today > due:
        return OVERDUE, (today - due).days
    return NOT_DUE, (due - today).days


def review_wait_days() -> int:
    """A submission waiting longer than this many days for review is flagged (setting REVIEW_WAIT_DAYS)."""
    return int(getattr(settings, "REVIEW_WAIT_DAYS", 7))


def waiting_days(*, submitted_at: datetime.datetime | None, today: datetime.date) -> int | None:
    """Whole days a submitted report has waited for review since its latest submission."""
    return None if submitted_at is None else max(0, (today - timezone.localdate(submitted_at)).days)
