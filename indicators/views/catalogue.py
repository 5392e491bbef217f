"""The indicators landing page (catalogue by topic) and one indicator's trend."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.urls import path

from reports.models import Bureau, Membership, Report
from reports.periods import period_ordering
from reports.policy import figure_bureaus_q, visible_reports_q

from ..forms import ExportForm, RollupForm
from ..models import IndicatorDefinition
from ..rollup import rollup_bureaus
from ..trends import trend_compute
from ._common import bureau_or_403, flag


def _default_bureau(user) -> Bureau | None:
    return Bureau.objects.filter(figure_bureaus_q(user)).order_by("depth", "path").first()


@login_required
def index(request):
    bureau = _default_bureau(request.user)
    labels = dict(IndicatorDefinition.Topic.choices)
    topics: dict[str, list[IndicatorDefinition]] = {}
    for d in IndicatorDefinition.objects.order_by("topic", "position", "slug"):
        topics.setdefault(d.topic, []).append(d)
    parents = list(rollup_bureaus(user=request.user))
    visible = list(Bureau.objects.filter(figure_bureaus_q(request.user)).order_by("path"))
    own_reports = (
        Report.objects.filter(
            visible_reports_q(request.user),
            bureau__memberships__user=request.user,
            bureau__memberships__role=Membership.Role.STAFF,
        )
        .select_related("bureau", "period")
        .order_by(*period_ordering("period__"), "bureau__path")
        .distinct()[:12]
    )
    return render(
        request,
        "indicators/index.html",
        {
            "bureau": bureau,
            "own_reports": own_reports,
            "topics": [(labels.get(t, t), defs) for t, defs in topics.items()],
            "rollup_form": RollupForm(bureaus=parents, stacked=True, initial={"bureau": parents[0].code})
            if parents
            else None,
            "export_form": ExportForm(bureaus=visible, initial={"year_from": 2020, "year_to": 2030})
            if visible
            else None,
        },
    )


@login_required
def trend(request, slug: str):
    definition = get_object_or_404(IndicatorDefinition, slug=slug)
    code = request.GET.get("bureau")
    bureau = bureau_or_403(user=request.user, code=code) if code else _default_bureau(request.user)
    if bureau is None:
        bureau = bureau_or_403(user=request.user, code="")
    approved_only = flag(request.GET.get("approved"))  # the roll-up's switch, the roll-up's name
    result = trend_compute(user=request.user, definition=definition, bureau=bureau, approved_only=approved_only)
    bureaus = list(Bureau.objects.filter(figure_bureaus_q(request.user)).order_by("path"))
    return render(
        request,
        "indicators/trend.html",
        {
            "trend": result,
            "definition": definition,
            "bureau": bureau,
            "bureaus": bureaus,
            "annual_table": result.table(result.annual),
            "half_table": result.table(result.half_years),
            "chart": result.chart_data(),
        },
    )


urlpatterns = [
    path("", index, name="index"),
    path("<slug:slug>/", trend, name="trend"),
]
