"""Checks a report must pass before it is submitted.

Each check is a function `(ctx: CheckContext) -> list[Problem]`, listed in `CHECKS`. Other checks (for
instance figures in the text against the indicator grid) are added with `register_check`; they all
read the same loaded data, so adding a check adds no query per section.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from django.urls import reverse
from django.utils.translation import gettext as _

from indicators.models import IndicatorDefinition, IndicatorValue
from indicators.numbers import number_text

from ..models import Report, Section, SkeletonSection
from .tree import SectionNode, flatten, section_tree


@dataclass(frozen=True)
class Problem:
    """One thing to fix before submitting: a translated message and where to fix it."""

    code: str  # stable identifier, e.g. "section_empty"
    message: str
    url: str  # the editor, with an anchor to the place (#s<pk>; ?tab=indicators#i-<slug>)
    blocking: bool = True  # False: a warning to look at; it does not stop the submission


@dataclass
class CheckContext:
    """The report's content, loaded once and shared by every check."""

    report: Report
    sections: list[Section] = field(default_factory=list)
    values: dict[int, IndicatorValue] = field(default_factory=dict)  # by definition id
    definitions: list[IndicatorDefinition] = field(default_factory=list)
    required_kinds: list[str] = field(default_factory=list)  # the skeleton's required parts, in order

    @classmethod
    def load(cls, report: Report) -> CheckContext:
        return cls(
            report=report,
            sections=list(Section.objects.filter(report=report).order_by("position", "pk")),
            values={
                v.definition_id: v for v in IndicatorValue.objects.filter(report=report).select_related("definition")
            },
            definitions=list(IndicatorDefinition.objects.all()),
            required_kinds=list(
                SkeletonSection.objects.filter(period_kind=report.period.kind, parent=None, required=True)
                .order_by("position", "pk")
                .values_list("kind", flat=True)
            ),
        )

    @cached_property
    def tree(self) -> list[SectionNode]:
        return section_tree(report=self.report, sections=self.sections)

    @cached_property
    def edit_url(self) -> str:
        return reverse("report_edit", args=[self.report.pk])

    def section_url(self, section: Section) -> str:
        return f"{self.edit_url}#s{section.pk}"

    def indicator_url(self, definition: IndicatorDefinition) -> str:
        return f"{self.edit_url}?tab=indicators#i-{definition.slug}"


Check = Callable[[CheckContext], list[Problem]]


def _has_text(node: SectionNode) -> bool:
    return any(n.section.body.strip() for n in node.walk())


def _section_empty(ctx: CheckContext, node: SectionNode) -> Problem:
    return Problem(
        code="section_empty",
        message=_("Section %(number)s %(heading)s has no text yet.")
        % {"number": node.number, "heading": node.section.heading},
        url=ctx.section_url(node.section),
    )


def check_required_sections(ctx: CheckContext) -> list[Problem]:
    """Each required part (work done, problems, plan: the skeleton's kinds, and the kind of any
    required top-level section) has a top-level section of its kind with text, in itself or its
    subsections; whichever row it is. A required subsection, or a required part of no particular
    kind, needs its own text."""
    problems = []
    other = Section.Kind.OTHER
    kinds = [*ctx.required_kinds, *(n.section.kind for n in ctx.tree if n.section.required and n.section.kind != other)]
    for kind in dict.fromkeys(kinds):
        part = [node for node in ctx.tree if node.section.kind == kind]
        if any(_has_text(node) for node in part):
            continue
        if part:
            problems.append(_section_empty(ctx, part[0]))
        else:
            problems.append(
                Problem(
                    code="part_missing",
                    message=_("The report has no part on “%(kind)s”; add one with text.")
                    % {"kind": Section.Kind(kind).label},
                    url=ctx.edit_url,
                )
            )
    for node in flatten(ctx.tree):
        s = node.section
        if s.required and (node.depth > 1 or s.kind == other) and not s.body.strip():
            if node.depth > 1 or not _has_text(node):
                problems.append(_section_empty(ctx, node))
    return problems


def check_empty_sections(ctx: CheckContext) -> list[Problem]:
    """A section with no subsection and no text (a warning; a required one is already a problem)."""
    return [
        Problem(
            code="section_blank",
            message=_("Section %(number)s %(heading)s is empty.")
            % {"number": node.number, "heading": node.section.heading},
            url=ctx.section_url(node.section),
            blocking=False,
        )
        for node in flatten(ctx.tree)
        if not node.children and not node.section.body.strip() and not node.section.required
    ]


def check_required_indicators(ctx: CheckContext) -> list[Problem]:
    """Every required indicator has a value, or a note saying why it is not available."""
    problems = []
    for d in ctx.definitions:
        if not d.required:
            continue
        v = ctx.values.get(d.pk)
        if v is None or (v.value is None and not v.note.strip()):
            problems.append(
                Problem(
                    code="indicator_missing",
                    message=_("%(name)s is required: give its value, or a note saying why it is not available.")
                    % {"name": d.name},
                    url=ctx.indicator_url(d),
                )
            )
    return problems


def check_out_of_range_notes(ctx: CheckContext) -> list[Problem]:
    """A value outside the indicator's plausible range needs a note explaining it."""
    by_id = {d.pk: d for d in ctx.definitions}
    problems = []
    for d in ctx.definitions:
        v = ctx.values.get(d.pk)
        if v is None or v.note.strip() or not by_id[d.pk].out_of_range(v.value):
            continue
        problems.append(
            Problem(
                code="indicator_out_of_range",
                message=_("%(name)s = %(value)s is outside the usual range; please add a note.")
                % {"name": d.name, "value": number_text(v.value, d.unit)},
                url=ctx.indicator_url(d),
            )
        )
    return problems


def check_rates_without_parts(ctx: CheckContext) -> list[Problem]:
    """A rate given without numerator and denominator cannot be counted in the roll-up (a warning)."""
    from indicators.selectors import rate_without_parts

    return [
        Problem(code="rate_without_parts", message=message, url=ctx.indicator_url(v.definition), blocking=False)
        for v in ctx.values.values()
        if (message := rate_without_parts(v))
    ]


def check_figures_against_text(ctx: CheckContext) -> list[Problem]:
    """A figure the text states for an indicator that differs from the grid (a warning: the text may
    quote another year or area on purpose)."""
    from indicators.crosscheck import figure_mismatches

    return [
        Problem(
            code="figure_mismatch",
            message=_("“%(section)s” says %(indicator)s is %(text)s; the grid holds %(grid)s.")
            % {
                "section": m.section.heading,
                "indicator": m.indicator.name,
                "text": m.text_figure,
                "grid": number_text(m.grid_value, m.indicator.unit),
            },
            url=ctx.section_url(m.section),
            blocking=False,
        )
        for m in figure_mismatches(report=ctx.report, sections=ctx.sections)
    ]


CHECKS: list[Check] = [
    check_required_sections,
    check_empty_sections,
    check_required_indicators,
    check_out_of_range_notes,
    check_rates_without_parts,
    check_figures_against_text,
]


def register_check(check: Check) -> Check:
    """Add a check (usable as a decorator). Registering the same function twice adds it once."""
    if check not in CHECKS:
        CHECKS.append(check)
    return check


def submission_problems(*, report: Report) -> list[Problem]:
    """Everything that stops the report from being submitted, in the order of the checks."""
    ctx = CheckContext.load(report)
    return [problem for check in CHECKS for problem in check(ctx)]
