"""Submit, review, return, approve, reopen; the supervisor's overview; history (issue 4).

Thin views: the services decide and record; these pages show what the policy allows and turn the
services' refusals into messages.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from indicators.crosscheck import figure_mismatches
from indicators.selectors import grid_rows

from .. import policy
from ..forms import ReopenForm, ReviewForm
from ..models import ReportVersion
from ..selectors import review as review_selectors
from ..selectors.checks import submission_problems
from ..services import ServiceError
from ..services.workflow import SubmissionRefused, report_approve, report_reopen, report_return, report_submit
from ..workflow import REVIEW_DECISIONS


@login_required
@require_http_methods(["GET", "POST"])
def submit(request, pk: int):
    """GET: a confirm page listing what still stops the submission. POST: submit (the service decides:
    PermissionDenied becomes 403, a refusal a message)."""
    report = policy.access_report(request.user, pk, "view")
    problems = submission_problems(report=report) if report.is_editable else []
    if request.method == "POST":
        try:
            report_submit(report=report, acting_user=request.user)
        except SubmissionRefused as exc:
            messages.error(request, str(exc))
            problems = exc.problems
        except ServiceError as exc:
            messages.error(request, str(exc))
            return redirect("report_submit", pk=report.pk)
        else:
            messages.success(request, _("The report was submitted for review."))
            return redirect("report_history", pk=report.pk)
    return render(
        request,
        "reports/review_submit.html",
        {
            "report": report,
            "problems": [p for p in problems if p.blocking],
            "warnings": [p for p in problems if not p.blocking],
            "can_submit": policy.can(request.user, "submit", report),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def review(request, pk: int):
    """The reviewer reads the report, comments on sections and values, and returns or approves it;
    an approved report can be reopened from here with a reason."""
    report = policy.access_report(request.user, pk, "view")
    if not policy.can_review_bureau(request.user, report.bureau):
        raise PermissionDenied
    editable = policy.can(request.user, "review", report)
    material = review_selectors.review_material(report=report)
    data = request.POST if request.method == "POST" else None
    form = ReviewForm(
        data,
        section_ids=[n.pk for n in material.nodes] if editable else [],
        slugs=[v.definition.slug for v in material.values] if editable else [],
    )
    form.editable = editable
    reopen_form = ReopenForm(data if data is not None and data.get("decision") == "reopen" else None)
    confirming = False
    if request.method == "POST":
        decision = request.POST.get("decision")
        try:
            if decision == "reopen":
                if reopen_form.is_valid():
                    report_reopen(report=report, acting_user=request.user, reason=reopen_form.cleaned_data["reason"])
                    messages.success(request, _("The report was reopened and sent back to its bureau."))
                    return redirect("report_history", pk=report.pk)
            elif decision == "approve" and request.POST.get("confirm") != "1" and form.is_valid():
                confirming = True  # approving locks the report: a second POST confirms it
            elif decision in ("return", "approve") and form.is_valid():
                step, done = {
                    "return": (report_return, _("The report was returned to its bureau with your comments.")),
                    "approve": (report_approve, _("The report was approved. It is now locked.")),
                }[decision]
                step(
                    report=report,
                    acting_user=request.user,
                    comment=form.cleaned_data["comment"],
                    section_comments=form.section_comments(),
                    indicator_comments=form.indicator_comments(),
                )
                messages.success(request, done)
                return redirect("review_overview")
            elif decision not in REVIEW_DECISIONS:
                messages.error(request, _("Choose to return or to approve the report."))
        except ServiceError as exc:
            messages.error(request, str(exc))
    grid = {row.definition.pk: row for row in grid_rows(report=report)}  # with the previous period's values
    return render(
        request,
        "reports/review.html",
        {
            "report": report,
            "actions": policy.allowed_actions(request.user, report),
            "four_eyes": policy.four_eyes_refusal(request.user, "review", report),
            "m": material,
            "rows": [(node, form[f"section_{node.pk}"] if editable else None) for node in material.nodes],
            "value_rows": [
                (v, grid.get(v.definition_id), form[f"indicator_{v.definition.slug}"] if editable else None)
                for v in material.values
            ],
            "mismatches": figure_mismatches(report=report),
            "confirming": confirming,
            "form": form,
            "reopen_form": reopen_form,
        },
    )


@login_required
def history(request, pk: int):
    """The report's trail: transitions with comments, submitted versions, and content edits, which can be
    compared two at a time (?kind=section|value&a=<history id>&b=<history id>)."""
    report = policy.access_report(request.user, pk, "view")
    compared = None
    kind = request.GET.get("kind")
    if kind and request.GET.get("a", "").isdigit() and request.GET.get("b", "").isdigit():
        compared = review_selectors.history_compare(
            report=report, kind=kind, a=int(request.GET["a"]), b=int(request.GET["b"])
        )
        if compared is None:
            messages.error(request, _("These two records cannot be compared."))
    return render(
        request,
        "reports/review_history.html",
        {
            "report": report,
            "actions": policy.allowed_actions(request.user, report),
            "can_review": policy.can_review_bureau(request.user, report.bureau),
            "transitions": review_selectors.report_transitions(report=report),
            "versions": list(
                ReportVersion.objects.filter(report=report).select_related("created_by").order_by("-number")
            ),
            "edits": review_selectors.report_edits(report=report),
            "compared": compared,
            "compare_kind": kind,
        },
    )


@login_required
def overview(request):
    """For a reviewer: the bureaus directly under theirs × the open periods, filterable by period and state."""
    if not policy.is_reviewer(request.user):
        raise PermissionDenied
    data = review_selectors.review_overview(
        user=request.user, period_code=request.GET.get("period") or None, state=request.GET.get("state") or None
    )
    return render(
        request,
        "reports/review_overview.html",
        {
            "data": data,
            "state_cards": [
                (s, review_selectors.state_label(s), data.counts[s]) for s in review_selectors.OVERVIEW_STATES
            ],
        },
    )


urlpatterns = [
    path("reports/<int:pk>/submit/", submit, name="report_submit"),
    path("reports/<int:pk>/review/", review, name="report_review"),
    path("reports/<int:pk>/history/", history, name="report_history"),
    path("review/", overview, name="review_overview"),
]
