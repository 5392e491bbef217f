"""Reads about reports, periods and bureaus: what a user sees, the home page, the audit trail."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from .. import policy
from ..models import AuditEvent, Bureau, FrozenDocument, Membership, Report, ReportingPeriod, Section
from ..periods import period_ordering, predecessors
from ..rendering.formats import FROZEN_FORMATS
from .timeliness import due_date


def reports_visible_to(*, user) -> QuerySet[Report]:
    return Report.objects.filter(policy.visible_reports_q(user)).select_related("bureau", "period")


def bureaus_visible_to(*, user) -> QuerySet[Bureau]:
    return Bureau.objects.filter(policy.visible_bureaus_q(user))


def period_by_code(*, code: str) -> ReportingPeriod:
    """ "2022" / "2022H1" -> the period. Raises ValueError or ReportingPeriod.DoesNotExist."""
    return ReportingPeriod.objects.get_by_code(code)


def previous_period(*, period: ReportingPeriod) -> ReportingPeriod | None:
    """The period whose plan this period reports on: the first of the kind's predecessors (periods.py)
    that exists (for a first half: the previous year's second half, or else its annual period)."""
    for year, kind in predecessors(period.year, period.kind):
        found = ReportingPeriod.objects.filter(year=year, kind=kind).first()
        if found:
            return found
    return None


def previous_report(*, report: Report) -> Report | None:
    prev = previous_period(period=report.period)
    if prev is None:
        return None
    return Report.objects.filter(bureau_id=report.bureau_id, period=prev).first()


def plan_items(*, report: Report) -> list[str]:
    """Headings of the plan part of a report (the items promised for the next period)."""
    plan_roots = Section.objects.filter(report=report, parent=None, kind=Section.Kind.PLAN)
    return list(
        Section.objects.filter(parent__in=plan_roots)
        .order_by("parent__position", "position", "pk")
        .values_list("heading", flat=True)
    )


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
    today = today or timezone.localdate()
    memberships = list(Membership.objects.filter(user=user).select_related("bureau").order_by("bureau__path", "role"))
    cards: dict[int, HomeCard] = {}
    for m in memberships:
        card = cards.setdefault(m.bureau_id, HomeCard(bureau=m.bureau, roles=[], rows=[]))
        card.roles.append(m.role)
    staff_ids = [bid for bid, card in cards.items() if card.is_staff]
    periods = list(ReportingPeriod.objects.filter(is_open=True).order_by(*period_ordering()))
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
            due = due_date(period=p, bureau=cards[bureau_id].bureau)  # a new bureau is not late
            row = HomeRow(period=p, report=report, days_left=(due - today).days)
            if report is not None:
                row.can_edit = policy.can(user, "edit", report)
            elif previous[p.pk] is not None and (prev := prev_reports.get((bureau_id, previous[p.pk].pk))):
                row.has_previous = True
                row.plan_items = plan_items(report=prev)
            cards[bureau_id].rows.append(row)
    return list(cards.values())


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


def approved_reports_unfrozen() -> QuerySet[Report]:
    """Approved reports lacking a frozen file of some format: approved before freezing existed
    (issue 15), or their freeze failed. Their downloads are rendered anew until it is made."""
    frozen = Count("frozen_documents", filter=Q(frozen_documents__format__in=FROZEN_FORMATS))
    return (
        Report.objects.filter(state=Report.State.APPROVED)
        .annotate(frozen_count=frozen)
        .filter(frozen_count__lt=len(FROZEN_FORMATS))
        .order_by("pk")
    )
