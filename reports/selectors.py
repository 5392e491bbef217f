"""Reads shared by views, exports and commands."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet

from . import policy
from .models import Bureau, Report, ReportingPeriod, ReviewComment, Section, Transition
from .numbering import section_number


def reports_visible_to(*, user) -> QuerySet[Report]:
    return Report.objects.filter(policy.visible_reports_q(user)).select_related("bureau", "period")


def bureaus_visible_to(*, user) -> QuerySet[Bureau]:
    return Bureau.objects.filter(policy.visible_bureaus_q(user))


def period_by_code(*, code: str) -> ReportingPeriod:
    """ "2022" / "2022H1" -> the period. Raises ValueError or ReportingPeriod.DoesNotExist."""
    return ReportingPeriod.objects.get_by_code(code)


def previous_period(*, period: ReportingPeriod) -> ReportingPeriod | None:
    """The period whose plan this period reports on: previous year for annual, H1 for H2, and the
    previous year's H2 (or else its annual report) for H1."""
    kind = ReportingPeriod.Kind
    if period.kind == kind.ANNUAL:
        candidates = [(period.year - 1, kind.ANNUAL)]
    elif period.kind == kind.H2:
        candidates = [(period.year, kind.H1)]
    else:
        candidates = [(period.year - 1, kind.H2), (period.year - 1, kind.ANNUAL)]
    for year, k in candidates:
        found = ReportingPeriod.objects.filter(year=year, kind=k).first()
        if found:
            return found
    return None


def previous_report(*, report: Report) -> Report | None:
    prev = previous_period(period=report.period)
    if prev is None:
        return None
    return Report.objects.filter(bureau_id=report.bureau_id, period=prev).first()


@dataclass
class SectionNode:
    section: Section
    depth: int
    index: int  # 1-based among siblings
    number: str
    children: list[SectionNode] = field(default_factory=list)

    @property
    def pk(self) -> int:
        return self.section.pk

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


def section_tree(*, report: Report, sections: list[Section] | None = None) -> list[SectionNode]:
    """The report's sections as a numbered tree, from one query (or from `sections` already loaded)."""
    if sections is None:
        sections = list(Section.objects.filter(report=report).order_by("position", "pk"))
    by_parent: dict[int | None, list[Section]] = defaultdict(list)
    for s in sorted(sections, key=lambda s: (s.position, s.pk or 0)):
        by_parent[s.parent_id].append(s)

    def build(parent_id: int | None, depth: int) -> list[SectionNode]:
        nodes = []
        for i, s in enumerate(by_parent.get(parent_id, []), start=1):
            node = SectionNode(section=s, depth=depth, index=i, number=section_number(depth, i))
            node.children = build(s.pk, depth + 1)
            nodes.append(node)
        return nodes

    return build(None, 1)


def flatten(nodes: list[SectionNode]) -> list[SectionNode]:
    return [n for node in nodes for n in node.walk()]


@dataclass
class HomeCard:
    bureau: Bureau
    role: str
    rows: list[tuple[ReportingPeriod, Report | None]]


def home_cards(*, user) -> list[HomeCard]:
    """For each bureau the user belongs to: the open periods with that bureau's report (or None)."""
    from .models import Membership

    memberships = list(Membership.objects.filter(user=user).select_related("bureau").order_by("bureau__path", "role"))
    periods = list(ReportingPeriod.objects.filter(is_open=True).order_by("-year", "kind"))
    bureau_ids = {m.bureau_id for m in memberships}
    reports = {
        (r.bureau_id, r.period_id): r
        for r in Report.objects.filter(bureau_id__in=bureau_ids, period__in=periods).select_related("period")
    }
    cards = []
    for m in memberships:
        rows = [(p, reports.get((m.bureau_id, p.pk))) for p in periods]
        cards.append(HomeCard(bureau=m.bureau, role=m.role, rows=rows))
    return cards


def open_review_comments(*, report: Report) -> list[ReviewComment]:
    """The reviewer's remarks the bureau still has to deal with (those of the latest return or reopen;
    resubmitting marks them as dealt with), in the report's reading order: sections first, by number,
    then indicator values. Each comment gets `.number` (the section's current number, or "")."""
    comments = list(
        ReviewComment.objects.filter(report=report, resolved=False).select_related(
            "section", "indicator", "author", "transition"
        )
    )
    if not comments:
        return []
    order = {node.pk: (i, node.number) for i, node in enumerate(flatten(section_tree(report=report)))}
    for c in comments:
        c.number = order.get(c.section_id, (0, ""))[1]

    def key(c: ReviewComment):
        if c.section_id is not None:
            return (0, order.get(c.section_id, (10**6, ""))[0], c.pk)
        if c.indicator_id is not None:
            return (1, 0, c.pk)
        return (2, 0, c.pk)

    return sorted(comments, key=key)


def latest_return(*, report: Report) -> Transition | None:
    """The step that sent the report back (returned by review, or reopened), if it is returned now."""
    if report.state != Report.State.RETURNED:
        return None
    return (
        Transition.objects.filter(report=report, to_state=Report.State.RETURNED)
        .select_related("actor")
        .order_by("-created_at", "-pk")
        .first()
    )
