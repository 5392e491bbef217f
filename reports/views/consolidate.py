"""The consolidation workspace (issue 17): a parent bureau writes its own report from its children's.

GET shows the children's passages by section kind and topic (approved reports; submitted ones with
?submitted=1), who has not reported, the parent's outline with where its text came from, a search
over the reports the user may read (?q=) and the figures against the roll-up. POST takes the ticked
passages over into a chosen section. Plain forms, no JavaScript needed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from indicators.rollup import rollup_compute

from .. import policy
from ..models import Report, Section
from ..selectors import consolidation
from ..selectors.tree import flatten, section_tree
from ..services import ServiceError
from ..services.consolidation import PassageRef, passages_take


@login_required
def consolidate(request: HttpRequest, pk: int) -> HttpResponse:
    report = policy.access_consolidation(request.user, pk, act=False)
    include_submitted = request.GET.get("submitted") == "1"
    query = consolidation.clean_query(request.GET.get("q", ""))
    candidates = consolidation.source_reports(user=request.user, report=report, include_submitted=True)
    shown = [r for r in candidates if include_submitted or r.state == Report.State.APPROVED]
    sections = list(Section.objects.filter(report=report))
    outline = section_tree(report=report, sections=sections)
    notes = consolidation.source_notes(report=report)
    rollup = rollup_compute(user=request.user, bureau=report.bureau, period=report.period)
    context = {
        "report": report,
        "can_take": policy.can_consolidate(request.user, report),
        "include_submitted": include_submitted,
        "hidden_submitted": [r for r in candidates if r not in shown],
        "sources": shown,
        "missing": consolidation.missing_children(report=report, reports=candidates),
        "kinds": consolidation.passages_by_kind(reports=shown),
        "outline": flatten(outline),
        "notes": notes,
        "stale_count": sum(1 for ns in notes.values() for n in ns if n.stale),
        "query": query,
        "hits": consolidation.search_texts(user=request.user, query=query) if query else None,
        "takeable": {r.pk for r in candidates},
        "changes": consolidation.rollup_changes(report=report, rollup=rollup),
        "checks": consolidation.figure_checks(report=report, rollup=rollup, nodes=outline, notes=notes),
        "rollup": rollup,
    }
    return render(request, "reports/consolidate.html", context)


@require_POST
@login_required
def consolidate_take(request: HttpRequest, pk: int) -> HttpResponse:
    report = policy.access_consolidation(request.user, pk, act=True)
    back = reverse("report_consolidate", kwargs={"pk": report.pk})
    if request.POST.get("submitted") == "1":
        back += "?" + urlencode({"submitted": "1"})
    target_id = request.POST.get("target", "")
    target = Section.objects.filter(pk=target_id, report=report).first() if target_id.isdigit() else None
    if target is None:
        messages.error(request, _("Choose the section of your report the passages should go into."))
        return redirect(back)
    version = request.POST.get(f"v-{target.pk}", "")
    try:
        refs = [PassageRef.parse(v) for v in request.POST.getlist("p")]
        saved = passages_take(
            report=report,
            acting_user=request.user,
            target=target,
            version=int(version) if version.isdigit() else -1,
            refs=refs,
            as_list=request.POST.get("mode") == "list",
        )
    except ServiceError as e:  # a conflict too: nothing was taken over
        messages.error(request, str(e))
        return redirect(back)
    messages.success(
        request,
        _("Taken over into “%(heading)s”. Rewrite it in the editor as you see fit.") % {"heading": saved.heading},
    )
    return redirect(f"{back}#o{saved.pk}")


urlpatterns = [
    path("reports/<int:pk>/consolidate/", consolidate, name="report_consolidate"),
    path("reports/<int:pk>/consolidate/take/", consolidate_take, name="consolidate_take"),
]
