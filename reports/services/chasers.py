"""催报 (issue 16): a reviewer chases a late bureau — mail and an in-app notice to its clerks only,
recorded in the audit trail, at most one per bureau and period per day (a unique constraint holds
that even against two clicks at once)."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import policy
from ..models import Bureau, Chaser, Membership, Notification, Report, ReportingPeriod
from ..selectors.review import review_overview
from ..selectors.timeliness import OVERDUE, due_date, timeliness
from . import ServiceError
from .audit import audit_record
from .notify import addresses, mail_send, members, notices_create, render_mail, site_url

MESSAGE_MAX = 1000


def _message(message: str | None) -> str:
    message = (message or "").strip()
    if len(message) > MESSAGE_MAX:
        raise ServiceError(_("The message is too long (at most %(max)s characters).") % {"max": MESSAGE_MAX})
    return message


@transaction.atomic
def chaser_send(
    *, acting_user, bureau: Bureau, period: ReportingPeriod, message: str = "", today: datetime.date | None = None
) -> Chaser:
    """Chase one late bureau for one period. PermissionDenied unless the user reviews the bureau;
    ServiceError when the period is closed, the report is in or not yet due, or the bureau was
    already chased today for this period."""
    today = today or timezone.localdate()
    if not policy.can_review_bureau(acting_user, bureau):
        raise PermissionDenied("not a reviewer of this bureau")
    message = _message(message)
    if not period.is_open:
        raise ServiceError(policy.closed_period_refusal(period))
    report = Report.objects.filter(bureau=bureau, period=period).first()
    state, _days = timeliness(
        period=period, bureau=bureau, first_submitted=report.first_submitted_at if report else None, today=today
    )
    if state != OVERDUE:
        raise ServiceError(
            _("%(bureau)s is not late for %(period)s: only a bureau whose report is overdue can be chased.")
            % {"bureau": bureau.name, "period": period.label}
        )
    try:
        with transaction.atomic():
            chaser = Chaser.objects.create(
                bureau=bureau, period=period, sender=acting_user, message=message, sent_on=today
            )
    except IntegrityError:
        raise ServiceError(
            _("%(bureau)s was already chased today for %(period)s. You can chase it again tomorrow.")
            % {"bureau": bureau.name, "period": period.label}
        ) from None
    audit_record(actor=acting_user, action="chase", report=report, bureau=bureau, period=period.code, message=message)
    clerks = list(members(bureau_id=bureau.pk, role=Membership.Role.STAFF))
    context = {
        "sender_bureau": bureau.parent,
        "actor": acting_user,
        "period": period,
        "due": due_date(period=period, bureau=bureau),
        "days": _days,
        "message": message,
        "url": site_url(reverse("report_history", args=[report.pk]) if report else reverse("home")),
    }
    subject, body = render_mail("chaser", context)
    text = f"{subject}\n{message}" if message else subject
    notices_create(users=clerks, kind=Notification.Kind.CHASER, text=text, report=report, bureau=bureau, period=period)
    to = addresses(clerks)
    transaction.on_commit(lambda: mail_send(to=to, subject=subject, body=body), robust=True)
    return chaser


@transaction.atomic
def chasers_send_all(
    *, acting_user, period: ReportingPeriod, message: str = "", today: datetime.date | None = None
) -> list[Chaser]:
    """Chase every late bureau the user reviews for the period, except those already chased today.
    ServiceError when there is none left to chase."""
    today = today or timezone.localdate()
    message = _message(message)
    rows = review_overview(user=acting_user, period_code=period.code, today=today).rows
    late = [row.bureau for row in rows if row.period == period and row.timeliness == OVERDUE]
    chased = set(Chaser.objects.filter(period=period, sent_on=today).values_list("bureau_id", flat=True))
    sent = [
        chaser_send(acting_user=acting_user, bureau=b, period=period, message=message, today=today)
        for b in late
        if b.pk not in chased
    ]
    if not sent:
        raise ServiceError(_("No late bureau is left to chase for %(period)s today.") % {"period": period.label})
    return sent
