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
    r"(?P<unit>个百分点|/10万|/十万|人次|剂次|亿元|万元|人|名|个|张|家|所|次|份|例|件|岁|天|%|‰)"
)
PER_100K = "1/10万"
_AGE_BAND = re.compile(r"及?以[上下]|至|[-~－—]|组|段")
# Words that round a figure: 近500人, 约3%, 超过1万人, 300余人, 1.2万多人, 90%以上, 80人左右.
_APPROX_BEFORE = re.compile(r"(近|约|超过|超|逾|将近|接近|大约|不少于|不低于|至少)$")
_APPROX_AFTER = re.compile(r"^(以上|左右|余|多)")
# A figure the text aims at rather than reports: 力争…达到75%, 目标…, 计划新建…, 预计…
_TARGET_WORDS = re.compile(r"目标|力争|争取|计划|预计|确保|要求|不低于|不少于|规划|将达到|拟")
_CHANGE_BEFORE = re.compile(
    r"(增长|增加|提高|提升|上升|下降|降低|减少|增幅|降幅|同比|环比|比上年)(了|近|约|超过?|逾)?$"
)
_PART_WORDS = re.compile(r"新增|新建|新发|新招|其中|增加")
# 分别为 A%、B%、C%: one value for each of the labels listed before 分别.
_RESPECTIVELY = re.compile(r"分别(?:为|是|达到了?|达|提高到|提升到|降至|下降到|控制在|保持在)?$")
_LIST_GAP = re.compile(r"^(、|和|及|与|，)$")
_LABEL_SPLIT = re.compile(r"、|和|及|与")
_SENTENCE = re.compile(r"[。；！？]")
_CLAUSE = re.compile(r"[，、：（）]")
_LINK_WORDS = re.compile(
    r"(分别|已经|已|共计|共|累计|总计|合计|达到了|达到|达|为|是|至|到|约|近|超过|以上|提高到|提升到|提高至|提升至|"
    r"增至|保持在|稳定在|控制在|维持在|总数|数量|人数)+$"
)
_WINDOW = 60
# Who a figure is about, when the words before the indicator's name say (60岁以上老年人疫苗接种率 is not
# the children's vaccination rate). A word here that the indicator's own wordings lack names another
# population; places (农村, 城乡) and the whole population (居民, 常住人口) do not.
_POPULATION = re.compile(
    r"\d+岁|儿童|婴幼儿|婴儿|新生儿|幼儿|学生|青少年|学龄|老年|老人|孕产妇|孕妇|产妇|育龄|男性|女性|"
    r"贫困|脱贫|建档立卡|低保|特困|残疾|流动|重点人群|职工|农民工"
)


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


_KIND_UNITS = {"percent": "%", "permille": "‰", "per_100k": PER_100K}


def compatible(entry: CatalogueEntry, figure: Figure) -> bool:
    """Could the figure be the indicator's level (its unit converts; it is no change or target)?"""
    if figure.unit == CHANGE_UNIT or figure.is_change or figure.role != LEVEL:
        return False
    want = _KIND_UNITS.get(entry.kind)
    if figure.unit in ("%", "‰", PER_100K):
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
        self._can_name: dict[tuple[str, bool, str], bool] = {}
        self.populations = {
            entry.slug: {m.group() for t in entry.terms() for m in _POPULATION.finditer(t)} for entry in self.entries
        }

    def unnamed(self, text: str) -> str:
        """The text without the indicators' own wordings (免疫规划 and 目标人群 name indicators, not targets)."""
        found = {t for b in {text[i : i + 2] for i in range(len(text) - 1)} for _o, t, _e in self.by_bigram.get(b, ())}
        for term in sorted((t for t in found if t in text), key=len, reverse=True):
            text = text.replace(term, "")
        return text

    def _other_population(self, slug: str, window: str, anchor: int, at: int) -> bool:
        """Do the words of the indicator's clause before its wording (`anchor`: where the wording,
        or a split wording's start, stands; `at`: where its last words start) name a population its
        own wordings do not? A wording that opens its clause takes the clause before as its subject;
        an earlier indicator's wording ends the subject of this one."""
        start = max(window.rfind(c, 0, anchor) for c in "，；：") + 1
        if start == anchor:
            start = max(window.rfind(c, 0, max(start - 1, 0)) for c in "，；：") + 1
        own = self.populations[slug]
        others = [m.start() for m in _POPULATION.finditer(window, start, at) if m.group() not in own]
        if not others:
            return False
        for b in {window[i : i + 2] for i in range(start, anchor - 1)}:
            for _order, term, _entry in self.by_bigram.get(b, ()):
                j = window.rfind(term, start, anchor)
                if j >= 0:
                    start = max(start, j + len(term))
        return any(i >= start for i in others)

    def could_name(self, figure: Figure) -> bool:
        """Is there an indicator this figure could state at all (its unit, a level)? Saves the
        word search for most figures of a long text (次, 份, targets, changes)."""
        key = (figure.unit, figure.is_change, figure.role)
        if key not in self._can_name:
            self._can_name[key] = any(compatible(entry, figure) for entry in self.entries)
        return self._can_name[key]

    def guess(self, figure: Figure, before: str) -> tuple[str | None, int]:
        """The slug of the indicator the words before the figure name (or None), and how strongly:
        a whole wording beats a split one; of whole ones, the one ending nearest the figure, and of
        those the longest (重点人群签约服务覆盖率 over 签约服务覆盖率)."""
        window = _SENTENCE.split(before[-_WINDOW:])[-1].translate(QUOTES)
        clause = _CLAUSE.split(window)[-1]
        if _PART_WORDS.search(clause):
            return None, 0
        best: tuple | None = None  # (score, slug, where the wording or a split wording's start stands)
        bigrams = {window[i : i + 2] for i in range(len(window) - 1)}
        candidates = sorted(c for b in bigrams for c in self.by_bigram.get(b, ()))
        for _order, term, entry in candidates:
            i = window.rfind(term)
            if i < 0 or re.search(r"\d", window[i + len(term) :]) or not compatible(entry, figure):
                continue
            score = (3, i + len(term), len(term))  # the nearest the figure, the longest of those
            if best is None or score > best[0]:
                best = (score, entry.slug, i)
        if best is not None:
            if self._other_population(best[1], window, best[2], best[2]):
                return None, 0
            return best[1], 3000 + best[0][2]
        key = _LINK_WORDS.sub("", clause)
        earlier = window[: len(window) - len(clause)]
        for n in range(min(len(key), self.longest_suffix), 1, -1):
            for head, _term, entry in self.suffixes.get(key[-n:], ()):
                if not compatible(entry, figure):
                    continue
                if head in earlier:
                    score, found = (2, n, len(head)), earlier.rfind(head)
                elif n >= 3 and len(head) >= 3 and head[:3] in earlier:
                    score, found = (1, n, 3), earlier.rfind(head[:3])
                else:
                    continue
                if best is None or score > best[0]:
                    best = (score, entry.slug, found)
            if best is not None:
                at = len(earlier) + clause.rfind(key[-n:])
                if self._other_population(best[1], window, best[2], at):
                    return None, 0
                return best[1], best[0][0] * 1000 + best[0][1]
        return None, 0

    def guess_after(self, figure: Figure, before: str, after: str) -> tuple[str | None, int]:
        """The indicator named right after the figure (提供870个托位), if the clause before it is
        not about a part (新增…)."""
        clause = _CLAUSE.split(_SENTENCE.split(before[-_WINDOW:])[-1])[-1]
        if _PART_WORDS.search(clause):
            return None, 0
        after = after[1:] if after.startswith("的") else after
        best: tuple[int, str] | None = None
        for _order, term, entry in self.by_bigram.get(after[:2], ()):
            if after.startswith(term) and compatible(entry, figure) and (best is None or len(term) > best[0]):
                best = (len(term), entry.slug)
        return (best[1], 2000 + best[0]) if best else (None, 0)


def figures_in(text: str) -> Iterable[tuple[re.Match, Decimal, str, bool]]:
    """Each figure in a piece of text: the match, its value (万 scaled), its unit, is it a change."""
    for m in _FIGURE.finditer(text):
        if m.group("unit") == "岁" and _AGE_BAND.match(text, m.end()):
            continue  # 65岁及以上老年人: an age band, not a figure
        try:
            value = Decimal(m.group("num").replace(",", ""))
        except InvalidOperation:  # pragma: no cover - the pattern only lets digits through
            continue
        unit = m.group("unit")
        if m.group("wan"):
            value = Decimal(plain(value * 10_000))
        if unit == "名":
            unit = PERSONS
        elif unit in ("/10万", "/十万"):
            unit = PER_100K
        is_change = unit == CHANGE_UNIT or bool(_CHANGE_BEFORE.search(text[max(0, m.start() - 6) : m.start()]))
        yield m, value, unit, is_change


def _role(text: str, m: re.Match, is_change: bool, matcher: Matcher | None) -> str:
    if is_change:
        return CHANGE
    sentence = _SENTENCE.split(text[max(0, m.start() - _WINDOW) : m.start()])[-1]
    if matcher is not None and _TARGET_WORDS.search(sentence):
        sentence = matcher.unnamed(sentence)
    return TARGET if _TARGET_WORDS.search(sentence) else LEVEL


def _approximate(text: str, m: re.Match) -> bool:
    return bool(
        m.group("approx")
        or (m.group("wan") and m.group().rstrip(m.group("unit"))[-1] in "余多")
        or _APPROX_BEFORE.search(text[max(0, m.start() - 4) : m.start()])
        or _APPROX_AFTER.match(text[m.end() : m.end() + 2])
    )


def _list_labels(text: str, figures: list[Figure]) -> dict[int, str]:
    """For figures listed after 分别为 (高血压、糖尿病患者规范管理率分别为68%、66%), the words
    naming each one: its own label with the wording the labels share (患者规范管理率)."""
    out: dict[int, str] = {}
    i = 0
    while i < len(figures):
        j = i
        while j + 1 < len(figures) and _LIST_GAP.match(text[figures[j].end : figures[j + 1].start]):
            j += 1
        before = text[: figures[i].start]
        said = _RESPECTIVELY.search(before)
        if j > i and said:
            clause = _CLAUSE.sub("", _SENTENCE.split(before[: said.start()])[-1][-_WINDOW:])
            head = re.split(r"[，：（）]", _SENTENCE.split(before[: said.start()])[-1])[-1]
            labels = [p for p in _LABEL_SPLIT.split(head) if p]
            if len(labels) == j - i + 1 and clause:
                last = labels[-1]
                for k, label in enumerate(labels):
                    out[i + k] = label if k == len(labels) - 1 else label + "|" + last
        i = j + 1
    return out


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
        found.append(
            Figure(
                text=m.group(),
                value=value,
                unit=unit,
                section=section,
                paragraph=paragraph,
                start=m.start(),
                end=m.end(),
                is_change=is_change,
                context=text[max(0, m.start() - 30) : m.end() + 10],
                approximate=_approximate(text, m),
                role=_role(words, m, is_change, matcher),
            )
        )
    if matcher is None or not matcher.entries:
        return found
    labels = _list_labels(words, found)
    for k, figure in enumerate(found):
        if not matcher.could_name(figure):
            continue
        if k in labels:
            figure.indicator, figure.strength = _guess_label(matcher, figure, labels[k])
        else:
            figure.indicator, figure.strength = matcher.guess(figure, words[: figure.start])
        if figure.indicator is None:
            figure.indicator, figure.strength = matcher.guess_after(figure, words[: figure.start], words[figure.end :])
    return found


def _guess_label(matcher: Matcher, figure: Figure, label: str) -> tuple[str | None, int]:
    """A listed figure's label, alone or with the shortest tail of the last label (label|last)
    that makes it name an indicator the tail alone does not name."""
    own, _bar, last = label.partition("|")
    for n in range(len(last), -1, -1):
        tail = last[n:]
        slug, strength = matcher.guess(figure, own + tail)
        if slug and (not tail or matcher.guess(figure, tail)[0] != slug):
            return slug, strength
    return None, 0


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
