"""Closing a reporting period for everyone in one step (issue 16)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from .. import policy
from ..models import Report, ReportingPeriod
from . import ServiceError
from .audit import audit_record


@transaction.atomic
def period_close(*, period: ReportingPeriod, acting_user) -> ReportingPeriod:
    """Close the period: from now on nobody starts, edits or submits its reports (policy), and it
    leaves the home page, the overview and the reminders. Reports already submitted can still be
    reviewed from their pages. Only superusers and top-level reviewers (policy.can_close_periods);
    PermissionDenied otherwise, ServiceError when it is closed already."""
    if not policy.can_close_periods(acting_user):
        raise policy.Refusal(_("Only the administrator or a provincial reviewer can close a reporting period."))
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    if not period.is_open:
        raise ServiceError(_("%(period)s is already closed.") % {"period": period.label})
    period.is_open = False
    period.save(update_fields=["is_open"])
    states = dict.fromkeys(Report.State.values, 0)
    for state in Report.objects.filter(period=period).values_list("state", flat=True):
        states[state] += 1
    audit_record(actor=acting_user, action="period_close", period=period.code, reports=states)
    return period
