"""The clerk's workspace: start a report, edit its sections and indicator grid (issue 3).

Why ~410 lines: one page with several forms (head, sections, grid, comments); each view is thin.

Every change is a plain form POST answered by a redirect back to the section's anchor, so the page
works with JavaScript off; static/js/editor.js only adds the unsaved-changes warning and comforts.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from indicators import selectors as indicator_selectors
from indicators.crosscheck import figure_mismatches
from indicators.grid import GridCell, grid_cells, grid_parse
from indicators.services import values_save

from .. import policy
from ..forms import ReportHeadForm, ReportStartForm, SectionAddForm, SectionForm
from ..models import Report, Section
from ..selectors.consolidation import source_notes
from ..selectors.review import open_review_comments
from ..selectors.tree import (
    SectionNode,
    add_child_refusal,
    indent_refusal,
    max_depth,
    outdent_refusal,
    section_tree,
)
from ..services import ConflictError, ServiceError, editing
from ..services.reports import report_create

TABS = ("text", "indicators")


@require_POST
@login_required
def report_start(request: HttpRequest) -> HttpResponse:
    form = ReportStartForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("This report cannot be started: the period is closed or unknown."))
        return redirect("home")
    bureau, period = form.cleaned_data["bureau"], form.cleaned_data["period"]
    if not policy.can_start(request.user, bureau):
        raise PermissionDenied
    try:
        report = report_create(
            bureau=bureau,
            period=period,
            acting_user=request.user,
            carry_over_plan=form.cleaned_data["carry_over_plan"],
        )
    except ServiceError as e:
        messages.error(request, str(e))
        return redirect("home")
    messages.success(request, _("The report for %(period)s is started.") % {"period": period.label})
    return redirect("report_edit", pk=report.pk)


# ----- the editor page ------------------------------------------------------------------------------


@dataclass
class OutlineItem:
    """A section as the editor shows it, with the moves it allows."""

    node: SectionNode
    siblings: int
    height: int
    form: SectionForm | None = None
    conflict: Section | None = None

    @property
    def section(self) -> Section:
        return self.node.section

    @property
    def depth(self) -> int:
        return self.node.depth

    @property
    def number(self) -> str:
        return self.node.number

    @property
    def anchor(self) -> str:
        return f"s{self.node.pk}"

    @property
    def can_up(self) -> bool:
        return self.node.index > 1

    @property
    def can_down(self) -> bool:
        return self.node.index < self.siblings

    @property
    def can_indent(self) -> bool:
        return indent_refusal(index=self.node.index, depth=self.depth, height=self.height) is None

    @property
    def can_outdent(self) -> bool:
        return outdent_refusal(depth=self.depth) is None

    @property
    def can_add_child(self) -> bool:
        return add_child_refusal(depth=self.depth) is None


def outline_items(nodes: list[SectionNode]) -> list[OutlineItem]:
    items: list[OutlineItem] = []

    def visit(siblings: list[SectionNode]) -> int:
        tallest = 0
        for node in siblings:
            item = OutlineItem(node=node, siblings=len(siblings), height=0)
            items.append(item)
            item.height = 1 + visit(node.children)
            tallest = max(tallest, item.height)
        return tallest

    visit(nodes)
    return items


def editor_page(
    request: HttpRequest,
    report: Report,
    *,
    tab: str = "text",
    bound: SectionForm | None = None,
    conflict: Section | None = None,
    cells: list[GridCell] | None = None,
    head: ReportHeadForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """Draw the editor. `bound` is a section form carrying what the clerk typed (after a refusal),
    `conflict` the other person's version of that section, `cells` the grid as typed."""
    sections = list(Section.objects.filter(report=report).select_related("updated_by"))
    items = outline_items(section_tree(report=report, sections=sections))
    # the reviewer's open comments, each shown beside the section or the grid row it is about
    by_section: dict[int, list] = {}
    by_indicator: dict[int, list] = {}
    for c in open_review_comments(report=report) if report.state == Report.State.RETURNED else ():
        if c.section_id:
            by_section.setdefault(c.section_id, []).append(c)
        elif c.indicator_id:
            by_indicator.setdefault(c.indicator_id, []).append(c)
    for item in items:
        item.comments = by_section.get(item.section.pk, [])
    context = {
        "report": report,
        "tab": tab,
        "items": items,
        "can": policy.allowed_actions(request.user, report),
        "mismatches": figure_mismatches(report=report, sections=sections),
        "max_depth": max_depth(),
    }
    if tab == "text":
        context["head_form"] = head or ReportHeadForm(report=report, seen=editing.head_fingerprint(report=report))
        for item in items:
            if bound is not None and bound.section.pk == item.section.pk:
                item.form, item.conflict = bound, conflict
            else:
                item.form = SectionForm(section=item.section)
        context["source_notes"] = source_notes(report=report)  # issue 17: the margin notes
        context["add_form"] = SectionAddForm(
            parents=[
                (i.section.pk, f"{'　' * (i.depth - 1)}{i.number} {i.section.heading}")
                for i in items
                if i.can_add_child
            ]
        )
    else:
        if cells is None:
            cells = grid_cells(rows=indicator_selectors.grid_rows(report=report))
        for cell in cells:
            cell.comments = by_indicator.get(cell.definition.pk, [])
        context["indicator_comments"] = [c for cell in cells for c in cell.comments]
        context["groups"] = indicator_selectors.grid_groups(rows=cells)
        context["cells"] = cells
        context["error_count"] = sum(1 for c in cells if c.errors)
    return render(request, "reports/editor.html", context, status=status)


@login_required
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        report = policy.access_report(request.user, pk, "edit")
    except PermissionDenied:
        report = policy.access_report(request.user, pk, "view")
        if not report.is_locked:
            raise
        # an old edit link to an approved report: say why, and offer to read it
        return render(request, "reports/locked.html", {"report": report}, status=403)
    tab = request.GET.get("tab", "text")
    return editor_page(request, report, tab=tab if tab in TABS else "text")


def back_to(report: Report, anchor: str = "", tab: str = "text") -> HttpResponse:
    url = reverse("report_edit", kwargs={"pk": report.pk})
    if tab != "text":
        url += f"?tab={tab}"
    return redirect(url + (f"#{anchor}" if anchor else ""))


@require_POST
@login_required
def section_save_view(request: HttpRequest, pk: int, sid: int) -> HttpResponse:
    report = policy.access_report(request.user, pk, "edit")
    section = get_object_or_404(Section, pk=sid, report=report)
    form = SectionForm(request.POST, section=section)
    by_script = request.headers.get("X-Requested-With") == "fetch"
    if not form.is_valid():
        if by_script:
            return JsonResponse({"error": _("The section was not saved: it needs a heading.")}, status=400)
        messages.error(request, _("The section was not saved: it needs a heading."))
        return editor_page(request, report, bound=form, status=400)
    try:
        saved = editing.section_save(
            section=section,
            acting_user=request.user,
            heading=form.cleaned_data["heading"],
            body=form.cleaned_data["body"],
            version=form.cleaned_data["version"],
        )
    except ConflictError as e:
        if by_script:  # the script shows it and keeps the text; a full-page save then shows both
            return JsonResponse({"error": str(e), "conflict": True, "version": e.current.version}, status=409)
        messages.error(request, str(e))
        # Keep the clerk's text; their next save deliberately replaces the version they have now seen.
        data = request.POST.copy()
        data[form.add_prefix("version")] = str(e.current.version)
        return editor_page(request, report, bound=SectionForm(data, section=e.current), conflict=e.current, status=409)
    except ServiceError as e:
        if by_script:
            return JsonResponse({"error": str(e)}, status=400)
        messages.error(request, str(e))
        return editor_page(request, report, bound=form, status=400)
    if by_script:
        # static/js/editor.js saves in place; anything but success falls back to a full-page submit.
        return JsonResponse(
            {
                "version": saved.version,
                "heading": saved.heading,
                "body": saved.body,
                "status": _("Saved by %(who)s at %(when)s")
                % {
                    "who": request.user.get_full_name() or request.user.username,
                    "when": date_format(timezone.localtime(saved.updated_at), "m-d H:i"),
                },
            }
        )
    messages.success(request, _("Saved “%(heading)s”.") % {"heading": saved.heading})
    return back_to(report, f"s{saved.pk}")


@require_POST
@login_required
def report_head_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the report's title, lead and signing date; on a refusal the clerk's typing stays in the form."""
    report = policy.access_report(request.user, pk, "edit")
    form = ReportHeadForm(request.POST, report=report, seen="")
    if not form.is_valid():
        if "signed_on" in form.errors:
            messages.error(request, _("The title and lead were not saved: the date signed is not a valid date."))
        else:
            messages.error(request, _("The title and lead were not saved: the report needs a title."))
        return editor_page(request, report, head=form, status=400)
    try:
        _saved, changed = editing.report_head_save(
            report=report,
            acting_user=request.user,
            title=form.cleaned_data["title"],
            lead=form.cleaned_data["lead"],
            signed_on=form.cleaned_data["signed_on"],
            seen=form.cleaned_data["seen"],
        )
    except ConflictError as e:
        messages.error(request, str(e))
        data = request.POST.copy()
        data[form.add_prefix("seen")] = editing.head_fingerprint(report=e.current)
        return editor_page(request, e.current, head=ReportHeadForm(data, report=e.current, seen=""), status=409)
    except ServiceError as e:
        messages.error(request, str(e))
        return editor_page(request, report, head=form, status=400)
    if changed:
        what = pgettext("list separator", ", ").join(str(form.fields[name].label) for name in changed)
        messages.success(request, _("Saved: %(what)s.") % {"what": what})
    else:
        messages.info(request, _("The title, lead and date signed are unchanged: nothing to save."))
    return back_to(report, "head")


SECTION_ACTIONS = {
    "up": lambda s, u: editing.section_move(section=s, acting_user=u, direction="up"),
    "down": lambda s, u: editing.section_move(section=s, acting_user=u, direction="down"),
    "indent": lambda s, u: editing.section_indent(section=s, acting_user=u),
    "outdent": lambda s, u: editing.section_outdent(section=s, acting_user=u),
}


@require_POST
@login_required
def section_action_view(request: HttpRequest, pk: int, sid: int, action: str) -> HttpResponse:
    report = policy.access_report(request.user, pk, "edit")
    section = get_object_or_404(Section, pk=sid, report=report)
    anchor = f"s{section.pk}"
    try:
        if action in SECTION_ACTIONS:
            SECTION_ACTIONS[action](section, request.user)
        elif action == "delete":
            count = editing.section_delete(section=section, acting_user=request.user)
            messages.success(
                request, _("Deleted “%(heading)s” (%(count)s sections).") % {"heading": section.heading, "count": count}
            )
            anchor = f"s{section.parent_id}" if section.parent_id else ""
        elif action == "add-child":
            child = editing.section_add(
                report=report, acting_user=request.user, heading=_("New section"), parent=section
            )
            anchor = f"s{child.pk}"
        elif action == "add-after":
            sibling = editing.section_add(
                report=report,
                acting_user=request.user,
                heading=_("New section"),
                parent=section.parent,
                after=section,
            )
            anchor = f"s{sibling.pk}"
        else:
            raise Http404
    except ServiceError as e:
        messages.error(request, str(e))
    return back_to(report, anchor)


@require_POST
@login_required
def section_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    report = policy.access_report(request.user, pk, "edit")
    form = SectionAddForm(request.POST, parents=[(s.pk, "") for s in Section.objects.filter(report=report)])
    if not form.is_valid():
        messages.error(request, _("Give the new section a heading."))
        return back_to(report, "add")
    parent_id = form.cleaned_data["parent"]
    parent = Section.objects.filter(pk=parent_id, report=report).first() if parent_id else None
    try:
        section = editing.section_add(
            report=report, acting_user=request.user, heading=form.cleaned_data["heading"], parent=parent
        )
    except ServiceError as e:
        messages.error(request, str(e))
        return back_to(report, "add")
    return back_to(report, f"s{section.pk}")


@require_POST
@login_required
def values_save_view(request: HttpRequest, pk: int) -> HttpResponse:
    report = policy.access_report(request.user, pk, "edit")
    cells = grid_cells(rows=indicator_selectors.grid_rows(report=report), data=request.POST)
    inputs = grid_parse(cells=cells)
    if any(c.errors for c in cells):
        messages.error(request, _("Nothing was saved: some entries are not numbers. They are marked below."))
        return editor_page(request, report, tab="indicators", cells=cells, status=400)
    if not inputs:
        messages.info(request, _("No figures were changed."))
        return back_to(report, tab="indicators")
    try:
        result = values_save(report=report, acting_user=request.user, rows=inputs)
    except ConflictError as e:
        messages.error(request, _("Nothing was saved.") + " " + str(e))
        return editor_page(request, report, tab="indicators", cells=cells, status=409)
    except ServiceError as e:
        messages.error(request, _("Nothing was saved.") + " " + str(e))
        return editor_page(request, report, tab="indicators", cells=cells, status=400)
    messages.success(request, _("Saved %(count)s figures.") % {"count": len(result.saved) + len(result.removed)})
    for warning in result.warnings:
        messages.warning(request, warning)
    return back_to(report, tab="indicators")


@require_POST
@login_required
def comment_mark_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The bureau marks a reviewer's comment resolved, or not yet."""
    report = policy.access_report(request.user, pk, "edit")
    raw = request.POST.get("comment", "")
    try:
        comment = editing.review_comment_mark(
            report=report,
            comment_id=int(raw) if raw.isdigit() else 0,
            resolved=request.POST.get("resolved") == "1",
            acting_user=request.user,
        )
    except ServiceError as e:
        messages.error(request, str(e))
        return back_to(report)
    if request.POST.get("back") == "submit":  # marked on the submit page's list of comments
        return redirect(reverse("report_submit", args=[report.pk]) + f"#c{comment.pk}")
    if comment.section_id:
        return back_to(report, f"s{comment.section_id}")
    return back_to(report, f"i-{comment.indicator.slug}", tab="indicators") if comment.indicator_id else back_to(report)


urlpatterns = [
    path("reports/start/", report_start, name="report_start"),
    path("reports/<int:pk>/edit/", report_edit, name="report_edit"),
    path("reports/<int:pk>/edit/head/", report_head_view, name="report_head_save"),
    path("reports/<int:pk>/edit/sections/add/", section_add_view, name="section_add"),
    path("reports/<int:pk>/edit/sections/<int:sid>/", section_save_view, name="section_save"),
    path(
        "reports/<int:pk>/edit/sections/<int:sid>/<slug:action>/",
        section_action_view,
        name="section_action",
    ),
    path("reports/<int:pk>/edit/indicators/", values_save_view, name="values_save"),
    path("reports/<int:pk>/comments/mark/", comment_mark_view, name="comment_mark"),
]
