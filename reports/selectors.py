"""Reads shared by views, exports and commands."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet

from . import policy
from .models import AuditEvent, Bureau, Report, ReportingPeriod, Section
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


def audit_events(
    *,
    bureau: Bureau | None = None,
    actor=None,
    action: str | None = None,
    since: datetime.datetime | None = None,
) -> QuerySet[AuditEvent]:
    """The audit trail for an administrator, newest first. `bureau` includes its whole subtree."""
    qs = AuditEvent.objects.select_related("actor", "report", "bureau")
    if bureau is not None:
        qs = qs.filter(bureau__path__startswith=bureau.path)
    if actor is not None:
        qs = qs.filter(actor=actor)
    if action is not None:
        qs = qs.filter(action=action)
    if since is not None:
        qs = qs.filter(created_at__gte=since)
    return qs.order_by("-created_at", "-pk")
