"""Figures checked against the text: where a section states a figure for an indicator (家庭医生签约
服务覆盖率达73%) and the report's grid holds a different value, say so."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from reports.importing.figures import CatalogueEntry, Figure, Matcher, figures_of_text
from reports.models import Report, Section
from reports.selectors.tree import flatten, section_tree

from .models import IndicatorDefinition, IndicatorValue


def figure_catalogue() -> list[CatalogueEntry]:
    """The indicator catalogue as plain data for the text parser."""
    return [
        CatalogueEntry(slug=slug, name_zh=name_zh, aliases=CatalogueEntry.split_aliases(aliases), unit=unit, kind=kind)
        for slug, name_zh, aliases, unit, kind in IndicatorDefinition.objects.order_by("topic", "position").values_list(
            "slug", "name_zh", "aliases", "unit", "kind"
        )
    ]


@dataclass
class Mismatch:
    section: Section
    indicator: IndicatorDefinition
    figure: Figure  # as stated in the text
    text_value: Decimal  # the text's figure in the indicator's unit
    grid_value: Decimal

    @property
    def text_figure(self) -> str:
        return self.figure.text


_NUMBER = re.compile(r"\d[\d,]*(?:\.(\d+))?")


def tolerance(figure: Figure, text_value: Decimal) -> Decimal:
    """Half a unit of the last digit the text gives, in the indicator's unit: "73%" allows
    72.5–73.5, "1.2万人" allows ±500 persons."""
    m = _NUMBER.search(figure.text)
    step = Decimal(5).scaleb(-len(m.group(1) or "") - 1) if m else Decimal("0.5")
    written = Decimal(m.group(0).replace(",", "")) if m else Decimal(0)
    return step * abs(text_value / written) if written else step


def figure_mismatches(*, report: Report, sections: list | None = None) -> list[Mismatch]:
    """Each figure in a section's heading or text that names an indicator whose value in the grid
    differs from it beyond the text's rounding. Indicators without a value are not compared.
    `sections` may pass the report's sections already loaded (the editor has them)."""
    values = {
        v.definition.slug: v
        for v in IndicatorValue.objects.filter(report=report, value__isnull=False).select_related("definition")
    }
    matcher = Matcher([e for e in figure_catalogue() if e.slug in values])
    mismatches = []
    for node in flatten(section_tree(report=report, sections=sections)):
        section = node.section
        texts = [section.heading, *section.paragraphs]
        for i, text in enumerate(texts):
            for figure in figures_of_text(text, matcher, paragraph=i - 1):
                stored = values.get(figure.indicator or "")
                if stored is None:
                    continue
                text_value = figure.value_in(stored.definition.unit)
                if text_value is None:
                    continue
                if abs(text_value - stored.value) > tolerance(figure, text_value):
                    mismatches.append(
                        Mismatch(
                            section=section,
                            indicator=stored.definition,
                            figure=figure,
                            text_value=text_value,
                            grid_value=stored.value,
                        )
                    )
    return mismatches
