"""Reads of the indicator catalogue and values, shared by the editor grid and exports."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from reports.models import Report
from reports.selectors.reports import previous_report

from .models import IndicatorDefinition, IndicatorValue


@dataclass
class GridRow:
    """One line of the editor's indicator grid: the definition, this report's value (or None:
    not reported) and the previous period's value for comparison."""

    definition: IndicatorDefinition
    current: IndicatorValue | None
    previous: IndicatorValue | None

    @property
    def slug(self) -> str:
        return self.definition.slug

    @property
    def version(self) -> int:
        return self.current.version if self.current is not None else 0

    @property
    def value(self) -> Decimal | None:
        return self.current.value if self.current is not None else None

    @property
    def previous_value(self) -> Decimal | None:
        return self.previous.value if self.previous is not None else None

    @property
    def change(self) -> Decimal | None:
        if self.value is None or self.previous_value is None:
            return None
        return self.value - self.previous_value

    @property
    def trend(self) -> str:
        """ "better", "worse", "same" or "" (no direction, or nothing to compare)."""
        change = self.change
        if change is None or self.definition.higher_is_better is None:
            return ""
        if change == 0:
            return "same"
        return "better" if (change > 0) == self.definition.higher_is_better else "worse"

    @property
    def out_of_range(self) -> bool:
        return self.definition.out_of_range(self.value)


@dataclass
class GridGroup:
    topic: str
    label: str
    rows: list[GridRow]


def grid_rows(*, report: Report) -> list[GridRow]:
    """Every catalogue indicator with this report's and the previous period's value: a fixed number
    of queries, whatever the size of the catalogue."""
    definitions = list(IndicatorDefinition.objects.order_by("topic", "position", "slug"))
    current = {v.definition_id: v for v in IndicatorValue.objects.filter(report=report)}
    prev_report = previous_report(report=report)
    previous = {v.definition_id: v for v in IndicatorValue.objects.filter(report=prev_report)} if prev_report else {}
    return [GridRow(definition=d, current=current.get(d.pk), previous=previous.get(d.pk)) for d in definitions]


def grid_groups(*, rows: list[GridRow]) -> list[GridGroup]:
    """The rows grouped by topic, in the catalogue's topic order."""
    labels = dict(IndicatorDefinition.Topic.choices)
    order = list(labels)
    groups: dict[str, GridGroup] = {}
    for row in rows:
        topic = row.definition.topic
        if topic not in groups:
            groups[topic] = GridGroup(topic=topic, label=str(labels.get(topic, topic)), rows=[])
        groups[topic].rows.append(row)
    return sorted(groups.values(), key=lambda g: order.index(g.topic) if g.topic in order else len(order))


def rate_without_parts(row) -> str:  # row: a ValueInput or an IndicatorValue
    """The warning for a rate given without its parts (the roll-up cannot count it), or ""."""
    d = row.definition
    if d.is_rate and row.value is not None and row.numerator is None and row.denominator is None:
        return _("%(name)s: the roll-up cannot count this value; please give the numerator and the denominator.") % {
            "name": d.name
        }
    return ""
