"""Closing a reporting period for everyone (issue 16): a page for the administrator and provincial
reviewers, with a confirmation step."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .. import policy
from ..models import ReportingPeriod
from ..periods import period_ordering
from ..selectors.rates import period_summary
from ..services import ServiceError
from ..services.periods import period_close


@login_required
@require_http_methods(["GET", "POST"])
def close(request):
    """GET: the open periods; ?period=CODE: what closing it means, and the confirm button.
    POST period=CODE, confirm=yes: close it."""
    if not policy.can_close_periods(request.user):
        raise PermissionDenied
    code = request.POST.get("period") or request.GET.get("period") or ""
    period = _open_period(code) if code else None
    if code and period is None:
        messages.error(request, _("There is no open reporting period %(code)s.") % {"code": code})
        return redirect("period_close")
    if request.method == "POST":
        if period is None or request.POST.get("confirm") != "yes":
            messages.error(request, _("Confirm which period to close."))
            return redirect("period_close")
        try:
            period_close(period=period, acting_user=request.user)
        except ServiceError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("%(period)s is closed for everyone.") % {"period": period.label})
        return redirect("period_close")
    return render(
        request,
        "reports/period_close.html",
        {
            "periods": list(ReportingPeriod.objects.filter(is_open=True).order_by(*period_ordering())),
            "period": period,
            "summary": period_summary(period=period) if period else None,
        },
    )


def _open_period(code: str) -> ReportingPeriod | None:
    try:
        return ReportingPeriod.objects.filter(is_open=True).get_by_code(code)
    except (ValueError, ReportingPeriod.DoesNotExist):
        return None


urlpatterns = [
    path("review/periods/close/", close, name="period_close"),
]
