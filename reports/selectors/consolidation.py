"""Reads for the consolidation workspace (issue 17): the children's passages grouped by section kind
and topic, who has not reported, where the parent's taken-over text came from (and whether that
source has changed since), search over readable reports, and the figures against the roll-up.

Every function runs a fixed number of queries, whatever the number of children."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from .. import policy
from ..models import Bureau, PassageSource, Report, Section, SectionKind, Topic, Transition
from .tree import SectionNode, flatten, section_tree

# ----- the children's passages ------------------------------------------------------------------------


@dataclass
class Passage:
    """One section of a child's report, offered paragraph by paragraph or whole."""

    report: Report
    section: Section
    number: str
    topic: str

    @property
    def bureau(self) -> Bureau:
        return self.report.bureau

    @property
    def paragraphs(self) -> list[tuple[str, str]]:
        """(reference for the take-over form, text)."""
        return [(f"{self.section.pk}:{i}", p) for i, p in enumerate(self.section.paragraphs)]

    @property
    def whole_ref(self) -> str:
        return f"{self.section.pk}:all"


@dataclass
class TopicGroup:
    name: str
    passages: list[Passage] = field(default_factory=list)

    @property
    def bureau_count(self) -> int:
        return len({p.report.bureau_id for p in self.passages})


@dataclass
class KindGroup:
    kind: str
    label: str
    topics: list[TopicGroup]

    @property
    def count(self) -> int:
        return sum(len(t.passages) for t in self.topics)


def topic_of(text: str, topics: list[Topic]) -> str:
    """The topic whose words occur most often in `text` (earlier topics win ties); "" for none."""
    best, best_hits = "", 0
    for topic in topics:
        hits = sum(text.count(word) for word in topic.word_list)
        if hits > best_hits:
            best, best_hits = topic.name, hits
    return best


def source_reports(*, user, report: Report, include_submitted: bool = False) -> list[Report]:
    """The reports of the bureaus directly under `report`'s bureau for the same period whose text the
    user may read: approved ones, and submitted ones on request."""
    states = [Report.State.APPROVED] + ([Report.State.SUBMITTED] if include_submitted else [])
    return list(
        Report.objects.filter(
            policy.texts_readable_q(user), bureau__parent_id=report.bureau_id, period_id=report.period_id
        )
        .filter(state__in=states)
        .select_related("bureau")
        .order_by("bureau__path")
    )


def passages_by_kind(*, reports: list[Report]) -> list[KindGroup]:
    """The sections with text of `reports`, by section kind (in the kinds' order) and by topic (in
    the topics' order, then "other"); within a topic by bureau, then by place in the report."""
    topics = list(Topic.objects.all())
    order = {t.name: i for i, t in enumerate(topics)}
    by_report = {r.pk: r for r in reports}
    sections: dict[int, list[Section]] = {r.pk: [] for r in reports}
    for s in Section.objects.filter(report_id__in=list(by_report)).order_by("position", "pk"):
        sections[s.report_id].append(s)
    groups: dict[str, dict[str, TopicGroup]] = {}
    for r in reports:
        for node in flatten(section_tree(report=r, sections=sections[r.pk])):
            section = node.section
            if not section.body.strip():
                continue
            topic = topic_of(section.heading * 2 + section.body, topics)
            group = groups.setdefault(section.kind, {}).setdefault(topic, TopicGroup(topic or _("Other topics")))
            group.passages.append(Passage(report=r, section=section, number=node.number, topic=topic))
    return [
        KindGroup(
            kind=kind,
            label=str(label),
            topics=[groups[kind][t] for t in sorted(groups[kind], key=lambda t: order.get(t, len(order)))],
        )
        for kind, label in SectionKind.choices
        if kind in groups
    ]


def missing_children(*, report: Report, reports: list[Report]) -> list[Bureau]:
    """The bureaus directly under `report`'s bureau whose report is not among `reports`."""
    counted = {r.bureau_id for r in reports}
    return [b for b in Bureau.objects.filter(parent_id=report.bureau_id).order_by("path") if b.pk not in counted]


# ----- where the parent's text came from ------------------------------------------------------------


@dataclass
class SourceNote:
    link: PassageSource
    reopened: bool

    @property
    def stale(self) -> bool:
        """The source section was deleted or changed, or its report reopened, since the text was taken."""
        s = self.link.source_section
        return self.reopened or s is None or s.version != self.link.source_version


def source_notes(*, report: Report) -> dict[int, list[SourceNote]]:
    """Section id of `report` -> where its taken-over text came from (one query)."""
    reopened = Transition.objects.filter(
        report_id=OuterRef("source_report_id"),
        to_state__in=[Report.State.RETURNED, Report.State.DRAFT],
        created_at__gt=OuterRef("taken_at"),
    )
    links = (
        PassageSource.objects.filter(section__report=report)
        .select_related("source_bureau", "source_report", "source_section")
        .annotate(reopened=Exists(reopened))
        .order_by("section_id", "pk")
    )
    notes: dict[int, list[SourceNote]] = {}
    for link in links:
        notes.setdefault(link.section_id, []).append(SourceNote(link=link, reopened=link.reopened))
    return notes


# ----- search -----------------------------------------------------------------------------------------

SEARCH_LIMIT = 200  # sections


@dataclass
class Hit:
    report: Report
    section: Section
    paragraph: int
    segments: list[tuple[str, bool]]  # (text, is the match)
    heading: list[tuple[str, bool]]  # the section's heading, likewise

    @property
    def ref(self) -> str:
        return f"{self.section.pk}:{self.paragraph}"


@dataclass
class BureauHits:
    bureau: Bureau
    hits: list[Hit]


def highlight(text: str, query: str) -> list[tuple[str, bool]]:
    """`text` cut into pieces, the case-insensitive matches of `query` marked."""
    out, pos = [], 0
    for m in re.finditer(re.escape(query), text, flags=re.IGNORECASE):
        if m.start() > pos:
            out.append((text[pos : m.start()], False))
        out.append((m.group(0), True))
        pos = m.end()
    if pos < len(text):
        out.append((text[pos:], False))
    return out


def clean_query(query: str) -> str:
    return " ".join((query or "").split())[:50]


def search_texts(*, user, query: str, period_id: int | None = None) -> list[BureauHits]:
    """Paragraphs of the reports this user may read that contain `query` (headings count as their
    section's), grouped by bureau. A plain case-insensitive substring search (LIKE / icontains) on
    every database: Chinese has no spaces between words, so word-based full-text search would miss
    most hits, and trigrams do not help two-character queries like 医改."""
    query = clean_query(query)
    if not query:
        return []
    reports = Report.objects.filter(policy.texts_readable_q(user))
    if period_id is not None:
        reports = reports.filter(period_id=period_id)
    sections = (
        Section.objects.filter(Q(body__icontains=query) | Q(heading__icontains=query), report__in=reports)
        .select_related("report__bureau", "report__period")
        .order_by("report__bureau__path", "-report__period__year", "report_id", "position", "pk")[:SEARCH_LIMIT]
    )
    groups: dict[int, BureauHits] = {}
    needle = query.casefold()
    for s in sections:
        in_heading = needle in s.heading.casefold()
        for i, p in enumerate(s.paragraphs):
            if needle in p.casefold() or (in_heading and i == 0):
                group = groups.setdefault(s.report.bureau_id, BureauHits(bureau=s.report.bureau, hits=[]))
                group.hits.append(
                    Hit(
                        report=s.report,
                        section=s,
                        paragraph=i,
                        segments=highlight(p, query),
                        heading=highlight(s.heading, query),
                    )
                )
    return list(groups.values())


# ----- figures ------------------------------------------------------------------------------------------


@dataclass
class FigureChange:
    """What pulling the roll-up would do to one indicator of the parent's grid."""

    name: str
    unit: str
    current: Decimal | None
    rollup: Decimal

    @property
    def fills(self) -> bool:
        return self.current is None


def rollup_changes(*, report: Report, rollup) -> list[FigureChange]:
    """The indicators whose roll-up differs from the value in `report`'s grid (empty or other)."""
    from indicators.models import IndicatorValue

    current = dict(IndicatorValue.objects.filter(report=report).values_list("definition_id", "value"))
    return [
        FigureChange(
            name=row.definition.name, unit=row.definition.unit, current=current.get(row.definition.pk), rollup=row.value
        )
        for row in rollup.rows
        if row.value is not None and current.get(row.definition.pk) != row.value
    ]


@dataclass
class FigureCheck:
    """A figure in taken-over text that differs from the roll-up: it is likely the child's own."""

    node: SectionNode
    name: str
    text: str
    text_value: Decimal
    rollup: Decimal


def figure_checks(*, report: Report, rollup, nodes: list[SectionNode], notes: dict[int, list]) -> list[FigureCheck]:
    """Each figure in a section of `report` holding taken-over text that names an indicator whose
    roll-up differs from it beyond the text's rounding."""
    from indicators.crosscheck import figure_catalogue, tolerance
    from reports.importing.figures import Matcher, figures_of_text

    rolled = {row.definition.slug: row for row in rollup.rows if row.value is not None}
    matcher = Matcher([e for e in figure_catalogue() if e.slug in rolled])
    checks = []
    for node in flatten(nodes):
        if node.pk not in notes:
            continue
        for i, text in enumerate(node.section.paragraphs):
            for figure in figures_of_text(text, matcher, paragraph=i):
                row = rolled.get(figure.indicator or "")
                value = figure.value_in(row.definition.unit) if row else None
                if value is not None and abs(value - row.value) > tolerance(figure, value):
                    checks.append(
                        FigureCheck(
                            node=node, name=row.definition.name, text=figure.text, text_value=value, rollup=row.value
                        )
                    )
    return checks
