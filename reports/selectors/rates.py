"""Reporting rates and period summaries (issue 16): per period, how many bureaus submitted, on time,
were approved, were returned at least once — by level and by bureau."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q

from .. import policy
from ..models import Bureau, Report, ReportingPeriod, Transition


@dataclass
class Rate:
    label: str
    expected: int = 0  # bureaus that owe a report
    submitted: int = 0  # submitted at least once
    on_time: int = 0
    approved: int = 0
    returned: int = 0  # returned (or reopened) at least once
    bureau: Bureau | None = None
    report: Report | None = None

    def pct(self, n: int) -> float:
        return round(100 * n / self.expected, 1) if self.expected else 0.0

    @property
    def percentages(self) -> dict[str, float]:
        return {k: self.pct(getattr(self, k)) for k in ("submitted", "on_time", "approved", "returned")}


@dataclass
class Rates:
    period: ReportingPeriod
    levels: list[Rate]  # one per bureau level, then the total
    bureaus: list[Rate]


COLUMNS = ("expected", "submitted", "on_time", "approved", "returned")


def rate_bureaus_q(user) -> Q:
    """The bureaus whose rates the user sees: every bureau strictly below one they review (all
    bureaus below the top for a superuser)."""
    if policy.can_close_periods(user) and not policy.roles_of(user).reviewer_paths:
        return Q(parent__isnull=False)
    q = Q(pk__in=[])
    for path in policy.roles_of(user).reviewer_paths:
        q |= Q(path__startswith=path) & ~Q(path=path)
    return q


def reporting_rates(*, user, period: ReportingPeriod) -> Rates:
    """Counts over the bureaus the user reviews (the whole subtree below theirs), by level and by
    bureau. Three queries."""
    bureaus = list(Bureau.objects.filter(rate_bureaus_q(user)).order_by("path"))
    returned = Transition.objects.filter(report=OuterRef("pk"), to_state=Report.State.RETURNED)
    reports = {
        r.bureau_id: r
        for r in Report.objects.filter(period=period, bureau__in=bureaus).annotate(was_returned=Exists(returned))
    }
    levels = {value: Rate(str(label)) for value, label in Bureau.Level.choices}
    total = Rate("total")
    rows = []
    for b in bureaus:
        r = reports.get(b.pk)
        row = Rate(b.name, bureau=b, report=r, expected=1)
        if r is not None:
            row.submitted = int(r.first_submitted_at is not None)
            row.on_time = int(r.first_submitted_at is not None and r.days_late == 0)
            row.approved = int(r.state == Report.State.APPROVED)
            row.returned = int(r.was_returned)
        rows.append(row)
        for agg in (levels[b.level], total):
            for k in COLUMNS:
                setattr(agg, k, getattr(agg, k) + getattr(row, k))
    return Rates(period=period, levels=[lv for lv in levels.values() if lv.expected] + [total], bureaus=rows)


def period_summary(*, period: ReportingPeriod) -> dict:
    """For the close confirmation: reports per state, and bureaus below the top without a report."""
    counts = dict(Report.objects.filter(period=period).values_list("state").annotate(n=Count("pk")))
    started = Report.objects.filter(period=period).values("bureau_id")
    missing = Bureau.objects.filter(parent__isnull=False).exclude(pk__in=started).count()
    return {
        "states": [(label, counts.get(value, 0)) for value, label in Report.State.choices],
        "missing": missing,
    }
