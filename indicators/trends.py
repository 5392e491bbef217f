"""Trends: one indicator for a bureau and its direct subordinates over the years.

Each cell is the bureau's own reported figure when its report gives one; otherwise the roll-up of
the leaf reports under it (summed, or a rate recomputed from summed parts — see rollup.py), marked
as computed. Two queries whatever the size of the tree: the bureau's and children's own values, and
one GROUP BY over the subtree keyed by the child's path prefix and the period.

The reports counted are the roll-up's (`rollup.figure_reports`): submitted and approved, or approved
only, the same for everyone who may see the bureau's figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models.functions import Substr

from reports.models import Bureau, ReportingPeriod
from reports.periods import period_ordering
from reports.policy import figure_bureaus_q

from .models import IndicatorDefinition, IndicatorValue
from .rollup import aggregate_values, combine, counted_reports, figure_reports


@dataclass
class TrendCell:
    value: Decimal | None = None
    computed: bool = False  # a roll-up rather than the bureau's own figure
    reported: int = 0  # for a roll-up: how many leaf reports gave a figure


@dataclass
class TrendLine:
    bureau: Bureau
    is_total: bool
    cells: dict[int, TrendCell] = field(default_factory=dict)  # period id -> cell

    def row(self, periods: list[ReportingPeriod]) -> list[TrendCell]:
        return [self.cells.get(p.pk, TrendCell()) for p in periods]


@dataclass
class Trend:
    definition: IndicatorDefinition
    bureau: Bureau
    lines: list[TrendLine]
    annual: list[ReportingPeriod]
    half_years: list[ReportingPeriod]
    approved_only: bool

    def chart_data(self) -> dict:
        """For Chart.js (passed through json_script): annual periods only, one line per bureau."""
        return {
            "labels": [str(p.year) for p in self.annual],
            "unit": self.definition.unit,
            "datasets": [
                {
                    "label": line.bureau.short_name or line.bureau.name,
                    "total": line.is_total,
                    "data": [None if c.value is None else float(c.value) for c in line.row(self.annual)],
                }
                for line in self.lines
            ],
        }

    def table(self, periods: list[ReportingPeriod]) -> list[tuple[TrendLine, list[TrendCell]]]:
        return [(line, line.row(periods)) for line in self.lines]


def trend_compute(*, user, definition: IndicatorDefinition, bureau: Bureau, approved_only: bool = False) -> Trend:
    children = list(
        Bureau.objects.filter(figure_bureaus_q(user), parent=bureau).order_by("path")
    )  # the subordinates this user may look at
    lines = [TrendLine(bureau=bureau, is_total=True)] + [TrendLine(bureau=c, is_total=False) for c in children]
    by_path = {line.bureau.path: line for line in lines}
    by_id = {line.bureau.pk: line for line in lines}
    periods: set[int] = set()

    # Roll-ups: the leaf reports under the bureau (the bureau itself when it is a leaf), grouped by the
    # child they fall under (its path is the bureau's path plus a six-digit code and a slash).
    prefix_len = len(bureau.path) + 7
    leaf_values = IndicatorValue.objects.filter(
        definition=definition,
        report__in=counted_reports(user=user, bureau=bureau, include_self=True, approved_only=approved_only),
    ).annotate(child_path=Substr("report__bureau__path", 1, prefix_len))
    totals: dict[int, dict] = {}
    for agg in aggregate_values(leaf_values, "child_path", "report__period_id"):
        period_id = agg["report__period_id"]
        periods.add(period_id)
        line = by_path.get(agg["child_path"])
        if line is not None and not line.is_total:
            value, _n, _d = combine(definition, agg)
            line.cells[period_id] = TrendCell(value=value, computed=True, reported=agg["reported"])
        total = totals.setdefault(period_id, {"total": None, "reported": 0, "num": None, "den": None, "with_parts": 0})
        for key in ("total", "num", "den"):
            if agg[key] is not None:
                total[key] = (total[key] or 0) + agg[key]
        total["reported"] += agg["reported"]
        total["with_parts"] += agg["with_parts"]
    for period_id, agg in totals.items():
        value, _n, _d = combine(definition, agg)
        lines[0].cells[period_id] = TrendCell(value=value, computed=True, reported=agg["reported"])

    # Own figures win over roll-ups.
    own = IndicatorValue.objects.filter(
        definition=definition,
        value__isnull=False,
        report__bureau_id__in=list(by_id),
        report__in=figure_reports(user=user, bureau=bureau, approved_only=approved_only),
    ).values_list("report__bureau_id", "report__period_id", "value")
    for bureau_id, period_id, value in own:
        periods.add(period_id)
        by_id[bureau_id].cells[period_id] = TrendCell(value=value)

    ordered = list(ReportingPeriod.objects.filter(pk__in=periods).order_by(*period_ordering(newest_first=False)))
    return Trend(
        definition=definition,
        bureau=bureau,
        lines=lines,
        annual=[p for p in ordered if p.is_annual],
        half_years=[p for p in ordered if not p.is_annual],
        approved_only=approved_only,
    )
