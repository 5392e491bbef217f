"""Figures in report text (a number with its unit) and a guess of the catalogue indicator each one
states, from the words before it.

Pure Python (no Django imports). The catalogue comes in as plain data (`CatalogueEntry`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal, InvalidOperation

from .structure import CHANGE, LEVEL, QUOTES, TARGET, CatalogueEntry, Figure, OutlineDocument, plain

__all__ = ["CHANGE", "LEVEL", "TARGET", "CatalogueEntry", "Figure", "Matcher", "catalogue_from_fixture", "plain"]

PERSONS = "人"
CHANGE_UNIT = "个百分点"

_FIGURE = re.compile(
    r"(?<![\dA-Za-z.×_])"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?![\d.]*[xX×])"
    r"(?P<approx>余|多)?"
    r"(?:(?P<wan>万)(?:余|多)?)?"
    r"(?P<unit>个百分点|人次|亿元|万元|人|名|个|张|家|所|次|份|例|%|‰)"
)
_CHANGE_BEFORE = re.compile(
    r"(增长|增加|提高|提升|上升|下降|降低|减少|增幅|降幅|同比|环比|比上年)(了|近|约|超过?|逾)?$"
)
_PART_WORDS = re.compile(r"新增|新建|新发|新招|其中|增加")
_SENTENCE = re.compile(r"[。；！？]")
_CLAUSE = re.compile(r"[，、：（）]")
_LINK_WORDS = re.compile(
    r"(分别|已经|已|共计|共|累计|总计|合计|达到了|达到|达|为|是|至|到|约|近|超过|以上|提高到|提升到|提高至|提升至|"
    r"增至|保持在|稳定在|控制在|维持在|总数|数量|人数)+$"
)
_WINDOW = 60


def catalogue_from_fixture(records: Iterable[dict]) -> list[CatalogueEntry]:
    """Catalogue entries from the records of fixtures/indicators.json (for tests and benches that
    run without a database)."""
    return [
        CatalogueEntry(
            slug=r["fields"]["slug"],
            name_zh=r["fields"]["name_zh"],
            aliases=CatalogueEntry.split_aliases(r["fields"].get("aliases", "")),
            unit=r["fields"].get("unit", ""),
            kind=r["fields"].get("kind", "count"),
        )
        for r in records
        if r.get("model", "indicators.indicatordefinition") == "indicators.indicatordefinition"
    ]


_KIND_UNITS = {"percent": "%", "permille": "‰"}


def compatible(entry: CatalogueEntry, figure: Figure) -> bool:
    if figure.unit == CHANGE_UNIT or figure.is_change:
        return False
    want = _KIND_UNITS.get(entry.kind)
    if figure.unit in ("%", "‰"):
        return want == figure.unit or entry.unit == figure.unit
    if want:
        return False
    return figure.value_in(entry.unit) is not None


class Matcher:
    """Guesses the indicator a figure states. A wording of the indicator either stands whole in
    the sentence before the figure with no other number in between ("签约服务覆盖率达73%"), or is
    split: its end closes the clause right before the figure and its start (at least its first
    three characters) stands earlier in the sentence ("高血压规范管理人数…，规范管理率39.4%")."""

    def __init__(self, catalogue: Sequence[CatalogueEntry]) -> None:
        self.entries = list(catalogue)
        self.terms = [(term, entry) for entry in self.entries for term in entry.terms()]
        self.by_bigram: dict[str, list[tuple[int, str, CatalogueEntry]]] = {}
        for order, (term, entry) in enumerate(self.terms):  # ties go to the catalogue's order
            self.by_bigram.setdefault(term[:2], []).append((order, term, entry))
        self.suffixes: dict[str, list[tuple[str, str, CatalogueEntry]]] = {}
        for term, entry in self.terms:
            for n in range(2, len(term)):
                self.suffixes.setdefault(term[-n:], []).append((term[:-n], term, entry))
        self.longest_suffix = max((len(s) for s in self.suffixes), default=0)

    def guess(self, figure: Figure, before: str) -> tuple[str | None, int]:
        """The slug of the indicator the words before the figure name (or None), and how strongly:
        a whole wording beats a split one, a longer wording a shorter one."""
        window = _SENTENCE.split(before[-_WINDOW:])[-1].translate(QUOTES)
        clause = _CLAUSE.split(window)[-1]
        if _PART_WORDS.search(clause):
            return None, 0
        best: tuple[tuple, str] | None = None
        bigrams = {window[i : i + 2] for i in range(len(window) - 1)}
        candidates = sorted(c for b in bigrams for c in self.by_bigram.get(b, ()))
        for _order, term, entry in candidates:
            i = window.rfind(term)
            if i < 0 or re.search(r"\d", window[i + len(term) :]) or not compatible(entry, figure):
                continue
            score = (3, len(term), i)
            if best is None or score > best[0]:
                best = (score, entry.slug)
        if best is not None:
            return best[1], best[0][0] * 1000 + best[0][1]
        key = _LINK_WORDS.sub("", clause)
        earlier = window[: len(window) - len(clause)]
        for n in range(min(len(key), self.longest_suffix), 1, -1):
            for head, _term, entry in self.suffixes.get(key[-n:], ()):
                if not compatible(entry, figure):
                    continue
                if head in earlier:
                    score = (2, n, len(head))
                elif n >= 3 and len(head) >= 3 and head[:3] in earlier:
                    score = (1, n, 3)
                else:
                    continue
                if best is None or score > best[0]:
                    best = (score, entry.slug)
            if best is not None:
                return best[1], best[0][0] * 1000 + best[0][1]
        return None, 0


def figures_in(text: str) -> Iterable[tuple[re.Match, Decimal, str, bool]]:
    """Each figure in a piece of text: the match, its value (万 scaled), its unit, is it a change."""
    for m in _FIGURE.finditer(text):
        try:
            value = Decimal(m.group("num").replace(",", ""))
        except InvalidOperation:  # pragma: no cover - the pattern only lets digits through
            continue
        unit = m.group("unit")
        if m.group("wan"):
            value = Decimal(plain(value * 10_000))
        if unit == "名":
            unit = PERSONS
        is_change = unit == CHANGE_UNIT or bool(_CHANGE_BEFORE.search(text[max(0, m.start() - 6) : m.start()]))
        yield m, value, unit, is_change


def figures_of_text(
    text: str,
    matcher: Matcher | None,
    *,
    section: tuple[int, ...] | None = None,
    paragraph: int = 0,
    probe: Callable[[str], str] | None = None,
) -> list[Figure]:
    """The figures of one piece of text; `probe` gives the words in simplified characters for the
    indicator guess (the figures keep the text as written)."""
    found = []
    words = probe(text) if probe else text
    if len(words) != len(text):
        words = text
    for m, value, unit, is_change in figures_in(text):
        figure = Figure(
            text=m.group(),
            value=value,
            unit=unit,
            section=section,
            paragraph=paragraph,
            start=m.start(),
            end=m.end(),
            is_change=is_change,
            context=text[max(0, m.start() - 30) : m.end() + 10],
        )
        if matcher is not None and matcher.entries:
            figure.indicator, figure.strength = matcher.guess(figure, words[: m.start()])
        found.append(figure)
    return found


def find_figures(
    doc: OutlineDocument, catalogue: Sequence[CatalogueEntry] | Matcher, *, probe: Callable[[str], str] | None = None
) -> list[Figure]:
    """All figures of a document, in reading order, each with its indicator guess."""
    matcher = catalogue if isinstance(catalogue, Matcher) else Matcher(catalogue)
    figures: list[Figure] = []
    for i, paragraph in enumerate(doc.lead):
        figures += figures_of_text(paragraph, matcher, section=None, paragraph=i, probe=probe)
    for path, section in doc.walk():
        figures += figures_of_text(section.heading, matcher, section=path, paragraph=-1, probe=probe)
        for i, paragraph in enumerate(section.paragraphs):
            figures += figures_of_text(paragraph, matcher, section=path, paragraph=i, probe=probe)
    return figures
