"""Figures checked against the text: where a section states a figure for an indicator (家庭医生签约
服务覆盖率达73%) and the report's grid holds a different value, say so.

A warning nobody can trust is worse than none, so a figure is compared only when the text plainly
states the indicator's level (`level_figures`):
- the indicator's own words (its name or an alias in the catalogue) stand whole in the same clause,
  at most NEAR characters before the number, with no other number in between, and its clause names no
  population the indicator's words lack (60岁以上老年人…疫苗接种率: the parser's matcher refuses it);
- not an approximation: 多, 余, 近, 约, 超过, 以上, 左右 … are never compared as exact;
- not a target (目标, 力争, 计划 … anywhere earlier in the sentence) and not a change (提高…个百分点,
  增长…%, 比上年 …).
The labelled sentences in tests/indicators/crosscheck_labelled.tsv and bench/crosscheck.py measure it.
"""

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


NEAR = 12  # characters between the end of the indicator's words and the number
_CLAUSE_END = re.compile(r"[，,。；;！？!?：:\n]")
_SENTENCE_END = re.compile(r"[。；;！？!?\n]")
_APPROX_BEFORE = re.compile(r"(近|约|超过|超|逾|将近|接近|大约|不少于|不低于|不足|不到|低于|高于|由|从)$")
_APPROX_AFTER = re.compile(r"^(以上|左右|上下|多|余|以内|以下)")
_TARGET = re.compile(r"目标|力争|计划|预计|争取|确保|要求|任务|将达|拟")
_CHANGE = re.compile(r"(增长|增加|提高|提升|上升|下降|降低|减少)(?![至到])|增幅|降幅|同比|环比|比上年|较上年|新增|净增")


def _words_end(terms: list[str], clause: str, sentence: str, split: bool) -> int:
    """Where the indicator's words end in the clause (-1: not there). Whole words in the clause; or,
    when the parser found the wording split (高血压患者规范管理人数…，规范管理率), its last three or
    more characters in the clause and the rest earlier in the sentence."""
    ends = [clause.rfind(t) + len(t) for t in terms if t in clause]
    for t in terms if split and not ends else ():
        for n in range(len(t) - 1, 2, -1):
            if t[-n:] in clause and t[:-n][:3] in sentence[: len(sentence) - len(clause)]:
                ends.append(clause.rfind(t[-n:]) + n)
                break
    return max(ends, default=-1)


def level_figures(text: str, matcher: Matcher, *, paragraph: int = 0) -> list[Figure]:
    """The figures of `text` that state an indicator's level, each with its indicator (see above)."""
    terms = {entry.slug: entry.terms() for entry in matcher.entries}
    found = []
    for figure in figures_of_text(text, matcher, paragraph=paragraph):
        if figure.indicator is None or figure.is_change or "余" in figure.text or "多" in figure.text:
            continue
        before, after = text[: figure.start], text[figure.end :]
        clause = _CLAUSE_END.split(before)[-1]
        sentence = _SENTENCE_END.split(before)[-1]
        end = _words_end(terms[figure.indicator], clause, sentence, split=figure.strength < 3000)
        gap = clause[end:]
        unnamed = matcher.unnamed(sentence)  # 孕前优生健康检查目标人群覆盖率 names no target
        if (
            end < 0
            or len(gap) > NEAR
            or _APPROX_BEFORE.search(gap)
            or _APPROX_AFTER.match(after)
            or _TARGET.search(unnamed)
            or _CHANGE.search(gap)
        ):
            continue
        found.append(figure)
    return found


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
    matcher = Matcher(figure_catalogue())  # all of it: 婴儿死亡率 is not 死亡率 when only the latter has a value
    mismatches = []
    for node in flatten(section_tree(report=report, sections=sections)):
        section = node.section
        texts = [section.heading, *section.paragraphs]
        for i, text in enumerate(texts):
            for figure in level_figures(text, matcher, paragraph=i - 1):
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
