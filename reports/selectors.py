"""Reads shared by views, exports and commands."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet
from django.utils import timezone

from . import policy
from .models import AuditEvent, Bureau, FrozenDocument, Report, ReportingPeriod, ReviewComment, Section, Transition
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
class HomeRow:
    """One open period on a bureau's card: its report (or None), the deadline and, when the report
    is not started yet, the previous period's plan items that could be carried over."""

    period: ReportingPeriod
    report: Report | None
    days_left: int
    can_edit: bool = False
    plan_items: list[str] = field(default_factory=list)
    has_previous: bool = False

    @property
    def is_done(self) -> bool:
        return self.report is not None and self.report.state in (Report.State.SUBMITTED, Report.State.APPROVED)

    @property
    def overdue(self) -> bool:
        return self.days_left < 0 and not self.is_done

    @property
    def days_overdue(self) -> int:
        return -self.days_left


@dataclass
class HomeCard:
    bureau: Bureau
    roles: list[str]
    rows: list[HomeRow]
    review_counts: list[tuple[str, str, int]] = field(default_factory=list)  # (state, label, count)

    @property
    def role(self) -> str:
        return self.roles[0]

    @property
    def is_staff(self) -> bool:
        return "staff" in self.roles

    @property
    def is_reviewer(self) -> bool:
        return "reviewer" in self.roles


def home_cards(*, user, today: datetime.date | None = None) -> list[HomeCard]:
    """One card per bureau the user belongs to. For a bureau where the user fills in reports: each
    open period with the bureau's report (or None), days to the deadline, and the plan items of the
    previous period's report that starting the report could carry over."""
    from .models import Membership
    from .services.reports import plan_items

    today = today or timezone.localdate()
    memberships = list(Membership.objects.filter(user=user).select_related("bureau").order_by("bureau__path", "role"))
    cards: dict[int, HomeCard] = {}
    for m in memberships:
        card = cards.setdefault(m.bureau_id, HomeCard(bureau=m.bureau, roles=[], rows=[]))
        card.roles.append(m.role)
    staff_ids = [bid for bid, card in cards.items() if card.is_staff]
    periods = list(ReportingPeriod.objects.filter(is_open=True).order_by("-year", "kind"))
    reviewer_ids = [bid for bid, card in cards.items() if card.is_reviewer]
    if reviewer_ids:
        # What waits for the reviewer in the open periods (what the policy lets them see).
        counts = (
            Report.objects.filter(
                policy.visible_reports_q(user), bureau__parent_id__in=reviewer_ids, period__in=periods
            )
            .values("bureau__parent_id", "state")
            .annotate(n=Count("pk"))
        )
        by_bureau: dict[int, dict[str, int]] = defaultdict(dict)
        for c in counts:
            by_bureau[c["bureau__parent_id"]][c["state"]] = c["n"]
        for bid in reviewer_ids:
            cards[bid].review_counts = [
                (state, label, by_bureau[bid][state])
                for state, label in Report.State.choices
                if by_bureau[bid].get(state)
            ]
    if not staff_ids:
        return list(cards.values())

    reports = {
        (r.bureau_id, r.period_id): r
        for r in Report.objects.filter(bureau_id__in=staff_ids, period__in=periods).select_related("period", "bureau")
    }
    previous = {p.pk: previous_period(period=p) for p in periods}
    prev_reports = {
        (r.bureau_id, r.period_id): r
        for r in Report.objects.filter(
            bureau_id__in=staff_ids, period__in=[p for p in previous.values() if p is not None]
        )
    }
    for bureau_id in staff_ids:
        for p in periods:
            report = reports.get((bureau_id, p.pk))
            row = HomeRow(period=p, report=report, days_left=(p.deadline - today).days)
            if report is not None:
                row.can_edit = policy.can(user, "edit", report)
            elif previous[p.pk] is not None and (prev := prev_reports.get((bureau_id, previous[p.pk].pk))):
                row.has_previous = True
                row.plan_items = plan_items(report=prev)
            cards[bureau_id].rows.append(row)
    return list(cards.values())


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


def frozen_documents(*, report: Report) -> dict[str, FrozenDocument]:
    """An approved report's frozen files by format ({} for any other state: they are never served)."""
    if report.state != Report.State.APPROVED:
        return {}
    return {d.format: d for d in FrozenDocument.objects.filter(report=report)}
