"""The roll-up page and pulling it into the parent bureau's own report."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reports import policy
from reports.models import Report, ReportingPeriod
from reports.periods import period_ordering
from reports.services import ServiceError

from ..forms import RollupForm
from ..rollup import rollup_bureaus, rollup_compute
from ..services import rollup_pull
from ._common import bureau_or_403, flag


@login_required
def rollup(request):
    parents = list(rollup_bureaus(user=request.user))
    code = request.GET.get("bureau") or (parents[0].code if parents else "")
    if not code:
        messages.info(request, _("You have no bureau with subordinate bureaus to roll up."))
        return redirect("indicators:index")
    bureau = bureau_or_403(user=request.user, code=code)
    periods = ReportingPeriod.objects.order_by(*period_ordering())
    try:
        period = ReportingPeriod.objects.get_by_code(request.GET["period"]) if request.GET.get("period") else None
    except (ValueError, ReportingPeriod.DoesNotExist):
        messages.error(request, _("There is no reporting period “%(code)s”.") % {"code": request.GET["period"]})
        period = None
    period = period or periods.filter(kind=ReportingPeriod.Kind.ANNUAL).first() or periods.first()
    approved_only = flag(request.GET.get("approved"))
    form = RollupForm(
        bureaus=parents if bureau in parents else [*parents, bureau],
        initial={"bureau": bureau.code, "period": period.code if period else "", "approved": approved_only},
    )
    context = {"form": form, "bureau": bureau, "period": period, "result": None, "own_report": None}
    if period is not None:
        context["result"] = rollup_compute(user=request.user, bureau=bureau, period=period, approved_only=approved_only)
        own = Report.objects.filter(bureau=bureau, period=period).select_related("bureau").first()
        if own is not None and policy.can(request.user, "edit", own):
            context["own_report"] = own
    return render(request, "indicators/rollup.html", context)


@login_required
@require_POST
def pull(request, pk: int):
    report = policy.access_report(request.user, pk, "edit")
    overwrite = flag(request.POST.get("overwrite"))
    try:
        result = rollup_pull(report=report, acting_user=request.user, overwrite=overwrite)
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(count)s figures of “%(title)s” were filled in from the roll-up.")
            % {"count": len(result.saved), "title": report.title},
        )
        for warning in result.warnings:
            messages.warning(request, warning)
    if request.POST.get("back") == "consolidate":  # issue 17: pulled from the consolidation workspace
        return redirect("report_consolidate", pk=report.pk)
    query = urlencode({"bureau": report.bureau.code, "period": report.period.code})
    return redirect(f"{reverse('indicators:rollup')}?{query}")


urlpatterns = [
    path("rollup/", rollup, name="rollup"),
    path("rollup/pull/<int:pk>/", pull, name="rollup_pull"),
]
