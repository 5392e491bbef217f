"""催报 from the reviewer's overview (issue 16): one late bureau, or all of them at once."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import policy
from ..models import Bureau, ReportingPeriod
from ..services import ServiceError
from ..services.chasers import chaser_send, chasers_send_all


@login_required
@require_POST
def chase(request):
    """POST period=<code>, bureau=<code> (empty: every late bureau), message=<optional text>."""
    if not policy.is_reviewer(request.user):
        raise PermissionDenied
    back = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    try:
        period = ReportingPeriod.objects.get_by_code(request.POST.get("period", ""))
    except (ValueError, ReportingPeriod.DoesNotExist):
        messages.error(request, _("Choose a reporting period to chase."))
        return redirect(back or "review_overview")
    message = request.POST.get("message", "")
    code = request.POST.get("bureau", "").strip()
    try:
        if code:
            bureau = Bureau.objects.filter(code=code).select_related("parent").first()
            if bureau is None or not policy.can_review_bureau(request.user, bureau):
                raise ServiceError(_("You can only chase the bureaus you review."))
            chaser_send(acting_user=request.user, bureau=bureau, period=period, message=message)
            messages.success(request, _("A chaser was sent to %(bureau)s.") % {"bureau": bureau.name})
        else:
            sent = chasers_send_all(acting_user=request.user, period=period, message=message)
            messages.success(request, _("Chasers were sent to %(count)s late bureaus.") % {"count": len(sent)})
    except ServiceError as exc:
        messages.error(request, str(exc))
    return redirect(back or "review_overview")


urlpatterns = [
    path("review/chase/", chase, name="review_chase"),
]
