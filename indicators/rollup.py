"""Roll-up: a bureau's indicators summed or recomputed over the reports of the bureaus under it.

Which reports count
- Only reports of *leaf* bureaus (those with no subordinate bureau) under the chosen bureau are added
  up. A city's own report already covers its counties, so adding city and county reports together
  would count the same people twice; the leaves are the finest figures and each person once.
- Only submitted and approved reports count by default: a draft is not a figure anyone has vouched
  for. `include_drafts=True` adds drafts, but only those the user may see anyway (the policy shows
  drafts to their own bureau's staff and to administrators), so the toggle never reveals more.
- Only reports whose figures the user may read (`policy.figures_visible_q`).

How each indicator is combined
- counts and money: summed.
- rates (a multiplier and a denominator): the summed numerators over the summed denominators, times
  the multiplier — never an average of the children's rates. Children that gave the rate without its
  numerator and denominator are left out of it and named.
- anything else (life expectancy, natural growth rate): not additive, no roll-up figure.

The sums are computed by the database: one GROUP BY query over the subtree (materialised path).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum

from reports import policy
from reports.models import Bureau, Report, ReportingPeriod

from .models import IndicatorDefinition, IndicatorValue

SUM, RATE, NONE = "sum", "rate", "none"
_PARTS = Q(numerator__isnull=False, denominator__isnull=False)


def method_of(definition: IndicatorDefinition) -> str:
    if definition.is_rate:
        return RATE
    if definition.is_summable:
        return SUM
    return NONE


def is_leaf_q(bureau_ref: str = "pk") -> Exists:
    """True for bureaus with no subordinate bureau (negate with ~ for parents)."""
    return ~Exists(Bureau.objects.filter(parent_id=OuterRef(bureau_ref)))


def counted_states(*, include_drafts: bool) -> list[str]:
    states = list(policy.FIGURE_STATES)
    if include_drafts:
        states += [Report.State.DRAFT, Report.State.RETURNED]
    return states


def counted_reports(
    *, user, bureau: Bureau, include_drafts: bool = False, include_self: bool = False
) -> QuerySet[Report]:
    """The leaf reports under `bureau` whose figures count for this user (any period)."""
    qs = Report.objects.filter(
        policy.figures_visible_q(user),
        bureau__path__startswith=bureau.path,
        state__in=counted_states(include_drafts=include_drafts),
    ).filter(is_leaf_q("bureau_id"))
    return qs if include_self else qs.exclude(bureau_id=bureau.pk)


def leaf_bureaus(*, user, bureau: Bureau) -> QuerySet[Bureau]:
    """The leaf bureaus under `bureau` that this user may look at: the children expected to report."""
    return (
        Bureau.objects.filter(policy.figure_bureaus_q(user), path__startswith=bureau.path)
        .exclude(pk=bureau.pk)
        .filter(is_leaf_q())
    )


def aggregate_values(values: QuerySet[IndicatorValue], *group_by: str) -> QuerySet:
    """The one GROUP BY: value sum, numerator and denominator sums over the rows that give both,
    and how many rows gave a value / both parts."""
    return (
        values.values(*group_by)
        .annotate(
            total=Sum("value"),
            reported=Count("value"),
            num=Sum("numerator", filter=_PARTS),
            den=Sum("denominator", filter=_PARTS),
            with_parts=Count("pk", filter=_PARTS),
        )
        .order_by()
    )


def combine(definition: IndicatorDefinition, agg: dict | None) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
    """(value, numerator, denominator) of a roll-up from one aggregate row."""
    if not agg:
        return None, None, None
    method = method_of(definition)
    if method == SUM:
        return agg["total"], None, None
    if method == RATE and agg["with_parts"]:
        return definition.compute_rate(agg["num"], agg["den"]), agg["num"], agg["den"]
    return None, None, None


@dataclass
class RollupRow:
    definition: IndicatorDefinition
    method: str
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    reported: int = 0  # children that gave a figure for this indicator
    with_parts: int = 0  # of them, children that gave numerator and denominator
    lacking_parts: list[str] = field(default_factory=list)  # children that gave a rate without its parts

    @property
    def is_partial(self) -> bool:
        return self.method == RATE and bool(self.lacking_parts)


@dataclass
class ChildReport:
    bureau_code: str
    bureau_name: str
    state: str
    state_label: str


@dataclass
class Rollup:
    bureau: Bureau
    period: ReportingPeriod
    include_drafts: bool
    rows: list[RollupRow]
    reports: list[ChildReport]  # the children's reports that were counted
    expected: list[Bureau]  # the leaf bureaus under the bureau (visible to the user)

    @property
    def missing(self) -> list[Bureau]:
        counted = {r.bureau_code for r in self.reports}
        return [b for b in self.expected if b.code not in counted]

    def by_topic(self) -> list[tuple[str, list[RollupRow]]]:
        labels = dict(IndicatorDefinition.Topic.choices)
        groups: dict[str, list[RollupRow]] = {}
        for row in self.rows:
            groups.setdefault(row.definition.topic, []).append(row)
        return [(labels.get(topic, topic), rows) for topic, rows in groups.items()]


def rollup_compute(*, user, bureau: Bureau, period: ReportingPeriod, include_drafts: bool = False) -> Rollup:
    """The roll-up of `bureau` for `period` as `user` may see it. A fixed number of queries: the
    catalogue, the aggregate, the counted reports, the expected children, the rates lacking parts."""
    reports = counted_reports(user=user, bureau=bureau, include_drafts=include_drafts).filter(period=period)
    values = IndicatorValue.objects.filter(report__in=reports)
    aggregates = {a["definition_id"]: a for a in aggregate_values(values, "definition_id")}
    definitions = list(IndicatorDefinition.objects.order_by("topic", "position", "slug"))
    rate_ids = [d.pk for d in definitions if d.is_rate]
    lacking: dict[int, list[str]] = {}
    for def_id, name in (
        values.filter(definition_id__in=rate_ids, value__isnull=False)
        .exclude(_PARTS)
        .order_by("report__bureau__path")
        .values_list("definition_id", "report__bureau__name")
    ):
        lacking.setdefault(def_id, []).append(name)
    rows = []
    for d in definitions:
        agg = aggregates.get(d.pk)
        value, numerator, denominator = combine(d, agg)
        rows.append(
            RollupRow(
                definition=d,
                method=method_of(d),
                value=value,
                numerator=numerator,
                denominator=denominator,
                reported=agg["reported"] if agg else 0,
                with_parts=agg["with_parts"] if agg else 0,
                lacking_parts=lacking.get(d.pk, []),
            )
        )
    state_labels = dict(Report.State.choices)
    children = [
        ChildReport(bureau_code=code, bureau_name=name, state=state, state_label=str(state_labels.get(state, state)))
        for code, name, state in reports.order_by("bureau__path").values_list("bureau__code", "bureau__name", "state")
    ]
    return Rollup(
        bureau=bureau,
        period=period,
        include_drafts=include_drafts,
        rows=rows,
        reports=children,
        expected=list(leaf_bureaus(user=user, bureau=bureau).order_by("path")),
    )


def rollup_bureaus(*, user) -> QuerySet[Bureau]:
    """Bureaus with subordinates that this user may roll up."""
    return Bureau.objects.filter(policy.figure_bureaus_q(user)).filter(~is_leaf_q()).order_by("path")


def bureau_for_user(*, user, code: str) -> Bureau | None:
    """The bureau with this code if the user may look at its figures, else None."""
    return Bureau.objects.filter(policy.figure_bureaus_q(user), code=(code or "").strip()).first()
