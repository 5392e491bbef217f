"""Roll-up: a bureau's indicators summed or recomputed over the reports of the bureaus under it.

Which reports count
- Only reports of *leaf* bureaus (those with no subordinate bureau) under the chosen bureau are added
  up. A city's own report already covers its counties, so adding city and county reports together
  would count the same people twice; the leaves are the finest figures and each person once.
- Submitted (under review) and approved reports count by default, approved ones only on request
  (`approved_only=True`): a draft is not a figure anyone has vouched for. The page says which.
- Figures are visible by bureau, not by person (`policy.figures_visible_q`): everyone who may look
  at a bureau's figures gets the same roll-up and the same list of its bureaus and their states, and
  the same trends and export (trends.py, export.py read `figure_reports` too). No drafts, for anyone.

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
from typing import NamedTuple

from django.db.models import Aggregate, CharField, Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

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


def counted_states(*, approved_only: bool = False) -> list[str]:
    """The states whose figures count: submitted and approved, or approved only."""
    return [Report.State.APPROVED] if approved_only else list(policy.FIGURE_STATES)


def figure_reports(*, user, bureau: Bureau, approved_only: bool = False) -> QuerySet[Report]:
    """The reports of `bureau` and every bureau under it (any period) whose figures count: the one
    set the roll-up, trends and export read, the same for everyone who may see the bureau's figures."""
    return Report.objects.filter(
        policy.figures_visible_q(user),
        bureau__path__startswith=bureau.path,
        state__in=counted_states(approved_only=approved_only),
    )


def counted_reports(
    *, user, bureau: Bureau, include_self: bool = False, approved_only: bool = False
) -> QuerySet[Report]:
    """The leaf reports under `bureau` whose figures are added up (any period)."""
    qs = figure_reports(user=user, bureau=bureau, approved_only=approved_only).filter(is_leaf_q("bureau_id"))
    return qs if include_self else qs.exclude(bureau_id=bureau.pk)


class IdList(Aggregate):
    """Comma-separated values of a group: STRING_AGG on PostgreSQL, GROUP_CONCAT on SQLite."""

    function = "GROUP_CONCAT"
    template = "%(function)s(%(distinct)s%(expressions)s, ',')"
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="STRING_AGG", **extra_context)


def aggregate_values(values: QuerySet[IndicatorValue], *group_by: str, lacking_for: list[int] = ()) -> QuerySet:
    """The one GROUP BY: value sum, numerator and denominator sums over the rows that give both,
    how many rows gave a value / both parts, and (for the definitions in `lacking_for`, the rates)
    the ids of the reports that gave a value without its parts."""
    lacking = Q(definition_id__in=list(lacking_for), value__isnull=False) & (
        Q(numerator__isnull=True) | Q(denominator__isnull=True)
    )
    sums = {
        "total": Sum("value"),
        "reported": Count("value"),
        "num": Sum("numerator", filter=_PARTS),
        "den": Sum("denominator", filter=_PARTS),
        "with_parts": Count("pk", filter=_PARTS),
    }
    if lacking_for:
        sums["lacking"] = IdList(Cast("report_id", CharField()), filter=lacking)
    return values.values(*group_by).annotate(**sums).order_by()


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


class SubBureau(NamedTuple):
    """A bureau under the rolled-up one and where its report for the period stands."""

    code: str
    name: str
    depth: int  # levels below the rolled-up bureau (1: directly under it)
    is_leaf: bool  # only leaves are added up
    status: str  # APPROVED, SUBMITTED or NOT_SUBMITTED
    counted: bool

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


APPROVED, SUBMITTED, NOT_SUBMITTED = "approved", "submitted", "not_submitted"
STATUS_LABELS = {
    APPROVED: _("approved"),
    SUBMITTED: _("submitted, under review"),
    NOT_SUBMITTED: _("not submitted"),
}


@dataclass
class Rollup:
    bureau: Bureau
    period: ReportingPeriod
    approved_only: bool
    rows: list[RollupRow]
    reports: list[ChildReport]  # the children's reports that were counted
    bureaus: list[SubBureau]  # every bureau under the bureau, in tree order, with its status

    @property
    def expected(self) -> list[SubBureau]:
        return [b for b in self.bureaus if b.is_leaf]

    @property
    def missing(self) -> list[SubBureau]:
        return [b for b in self.expected if not b.counted]

    def by_topic(self) -> list[tuple[str, list[RollupRow]]]:
        labels = dict(IndicatorDefinition.Topic.choices)
        groups: dict[str, list[RollupRow]] = {}
        for row in self.rows:
            groups.setdefault(row.definition.topic, []).append(row)
        return [(labels.get(topic, topic), rows) for topic, rows in groups.items()]


def rollup_compute(*, user, bureau: Bureau, period: ReportingPeriod, approved_only: bool = False) -> Rollup:
    """The roll-up of `bureau` for `period` as `user` may see it. A fixed number of queries: the
    catalogue, the aggregate, the counted reports (which also name the children whose rates lack
    their parts), the bureaus under it with their reports' states."""
    reports = counted_reports(user=user, bureau=bureau, approved_only=approved_only).filter(period=period)
    definitions = list(IndicatorDefinition.objects.order_by("topic", "position", "slug"))
    rate_ids = [d.pk for d in definitions if d.is_rate]
    values = IndicatorValue.objects.filter(report__in=reports)
    aggregates = {a["definition_id"]: a for a in aggregate_values(values, "definition_id", lacking_for=rate_ids)}
    counted = list(reports.order_by("bureau__path").values_list("pk", "bureau__code", "bureau__name", "state"))
    name_of = {pk: name for pk, _code, name, _state in counted}
    order = {pk: i for i, (pk, *_rest) in enumerate(counted)}
    lacking: dict[int, list[str]] = {}
    for def_id, agg in aggregates.items():
        ids = sorted({int(x) for x in (agg.get("lacking") or "").split(",") if x}, key=lambda pk: order.get(pk, 0))
        lacking[def_id] = [name_of[pk] for pk in ids if pk in name_of]
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
    state_labels = {state: str(label) for state, label in Report.State.choices}  # translated once
    children = [
        ChildReport(bureau_code=code, bureau_name=name, state=state, state_label=state_labels.get(state, state))
        for _pk, code, name, state in counted
    ]
    return Rollup(
        bureau=bureau,
        period=period,
        approved_only=approved_only,
        rows=rows,
        reports=children,
        bureaus=sub_bureaus(user=user, bureau=bureau, period=period, counted={code for _pk, code, *_ in counted}),
    )


def sub_bureaus(*, user, bureau: Bureau, period: ReportingPeriod, counted: set[str]) -> list[SubBureau]:
    """Every bureau under `bureau` (the user may look at its figures, so at all of them) and whether
    its report for `period` is approved, submitted or not submitted. One query."""
    state = Report.objects.filter(
        policy.figures_visible_q(user), bureau_id=OuterRef("pk"), period=period, state__in=policy.FIGURE_STATES
    ).values("state")[:1]
    rows = (
        Bureau.objects.filter(policy.figure_bureaus_q(user), path__startswith=bureau.path)
        .exclude(pk=bureau.pk)
        .annotate(leaf=is_leaf_q(), state=Subquery(state))
        .order_by("path")
        .values_list("code", "name", "depth", "leaf", "state")
    )
    status = {Report.State.APPROVED: APPROVED, Report.State.SUBMITTED: SUBMITTED}
    return [
        SubBureau(code, name, depth - bureau.depth, leaf, status.get(st, NOT_SUBMITTED), code in counted)
        for code, name, depth, leaf, st in rows
    ]


def rollup_bureaus(*, user) -> QuerySet[Bureau]:
    """Bureaus with subordinates that this user may roll up."""
    return Bureau.objects.filter(policy.figure_bureaus_q(user)).filter(~is_leaf_q()).order_by("path")


def bureau_for_user(*, user, code: str) -> Bureau | None:
    """The bureau with this code if the user may look at its figures, else None."""
    return Bureau.objects.filter(policy.figure_bureaus_q(user), code=(code or "").strip()).first()
