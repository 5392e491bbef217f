"""The one document structure of a report, built once and rendered as HTML, PDF and Word.

Renderers never touch the ORM: everything they print is in these dataclasses, so the three outputs
cannot drift apart. `build_document` costs a fixed number of queries whatever the report's size.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from indicators.models import IndicatorValue
from indicators.numbers import number_text

from ..models import Report, Section, Transition
from ..selectors.tree import SectionNode, section_tree
from ..text import clean_text
from .layout import LINE_CHARS, SIGNATURE_RIGHT_EM, body_width, signature_indents, title_lines

# A draft is not signed yet: the date is left for the signing day, never today's.
DATE_PLACEHOLDER = "　　年　月　日"


class Audience:
    """Who a document is for: the official (public) document never carries the review trail."""

    OFFICIAL = "official"
    INTERNAL = "internal"
    ALL = (OFFICIAL, INTERNAL)


@dataclass(frozen=True)
class DocSection:
    number: str  # 一、 （一） 1. （1）, computed from position
    heading: str
    depth: int
    paragraphs: tuple[str, ...]
    children: tuple[DocSection, ...] = ()

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()

    @property
    def level(self) -> int:
        """1..4: the heading style (一、 黑体, （一） 楷体, 1. and （1） 仿宋); deeper levels look like 4."""
        return min(self.depth, 4)

    @property
    def tag(self) -> str:
        return f"h{self.level + 1}"


@dataclass(frozen=True)
class IndicatorRow:
    number: int
    name: str
    unit: str
    value: str
    numerator: str
    denominator: str
    note: str


@dataclass(frozen=True)
class TrailEntry:
    when: datetime.datetime
    date_text: str
    actor: str
    from_state: str
    to_state: str
    comment: str


@dataclass(frozen=True)
class Signature:
    bureau_name: str
    date: datetime.date | None  # None: not signed yet (a draft)
    date_text: str  # 2023年8月16日, or the placeholder
    name_right_em: float  # right indents in characters, by signature_indents()
    date_right_em: float

    @property
    def date_left_em(self) -> float:
        """The date's left indent on the 28-character line: two characters right of the name's first
        character, whatever width a word processor gives the date's digits."""
        return LINE_CHARS - self.name_right_em - body_width(self.bureau_name) + SIGNATURE_RIGHT_EM


@dataclass(frozen=True)
class Attachment:
    number: int | None  # None when it is the only one: "附件：标题", "附件" (GB/T 9704-2012 §7.3.4)
    title: str

    @property
    def label(self) -> str:
        return _("Attachment") + (str(self.number) if self.number else "")


@dataclass(frozen=True)
class Document:
    report_id: int
    title: str
    title_lines: tuple[str, ...]
    bureau_name: str
    bureau_code: str
    period_code: str
    period_label: str
    state: str
    state_label: str
    is_final: bool  # approved: no 草稿 watermark
    sections: tuple[DocSection, ...]
    indicators: tuple[IndicatorRow, ...]
    signature: Signature
    trail: tuple[TrailEntry, ...]  # empty unless built for Audience.INTERNAL
    attachments: tuple[Attachment, ...] = field(default=())
    lead: tuple[str, ...] = ()  # paragraphs before 一、 (issue 14's Report.lead)
    audience: str = Audience.OFFICIAL

    @property
    def indicator_attachment(self) -> Attachment | None:
        return self.attachments[0] if self.indicators else None

    @property
    def indicator_notes(self) -> bool:
        """Whether the indicator table needs its notes column (an empty one squeezes the names)."""
        return any(row.note for row in self.indicators)

    @property
    def filename_stem(self) -> str:
        return filename_stem(title=self.title, bureau_name=self.bureau_name)

    def all_sections(self) -> list[DocSection]:
        return [s for top in self.sections for s in top.walk()]


def chinese_date(day: datetime.date) -> str:
    """2023-08-16 -> 2023年8月16日 (Arabic numerals, no leading zeros)."""
    return f"{day.year}年{day.month}月{day.day}日"


def filename_stem(*, title: str, bureau_name: str) -> str:
    """A file name a clerk recognises: 宣州区卫生健康委员会2022年工作总结 (bureau added if the title lacks it)."""
    return safe_filename(title if bureau_name in title else f"{bureau_name}{title}")


def safe_filename(name: str) -> str:
    return "".join("_" if ch in '\\/:*?"<>|\r\n\t' else ch for ch in name).strip() or "report"


def signature(*, bureau_name: str, date: datetime.date | None) -> Signature:
    date_text = chinese_date(date) if date else DATE_PLACEHOLDER
    name_right, date_right = signature_indents(name_width=body_width(bureau_name), date_width=body_width(date_text))
    return Signature(
        bureau_name=bureau_name, date=date, date_text=date_text, name_right_em=name_right, date_right_em=date_right
    )


def _signed_on(report: Report) -> datetime.date | None:
    """The signing date: set by the clerk, else the approval date; None (a placeholder) before that."""
    if report.signed_on:
        return report.signed_on
    if report.approved_at:
        return timezone.localtime(report.approved_at).date()
    return None


def _doc_section(node: SectionNode) -> DocSection:
    return DocSection(
        number=node.number,
        heading=clean_text(node.section.heading),
        depth=node.depth,
        paragraphs=tuple(node.section.paragraphs),
        children=tuple(_doc_section(child) for child in node.children),
    )


def _indicator_rows(report: Report) -> tuple[IndicatorRow, ...]:
    values = (
        IndicatorValue.objects.filter(report=report)
        .select_related("definition")
        .order_by("definition__topic", "definition__position", "definition__slug")
    )
    rows = []
    for value in values:
        if value.value is None and not value.note:
            continue
        rows.append(
            IndicatorRow(
                number=len(rows) + 1,
                name=value.definition.name,
                unit=value.definition.unit,
                value=number_text(value.value),
                numerator=number_text(value.numerator),
                denominator=number_text(value.denominator),
                note=clean_text(value.note),
            )
        )
    return tuple(rows)


def _trail(report: Report) -> tuple[TrailEntry, ...]:
    entries = []
    for t in Transition.objects.filter(report=report).select_related("actor").order_by("created_at", "pk"):
        actor = t.actor.get_full_name() or t.actor.username if t.actor else _("(deleted user)")
        when = timezone.localtime(t.created_at)
        entries.append(
            TrailEntry(
                when=when,
                date_text=f"{chinese_date(when.date())} {when:%H:%M}",
                actor=actor,
                from_state=Report.State(t.from_state).label,
                to_state=Report.State(t.to_state).label,
                comment=clean_text(t.comment),
            )
        )
    return tuple(entries)


def _lead(report: Report) -> tuple[str, ...]:
    """Issue 14's 导语 (text before 一、), when the model has it."""
    lead = getattr(report, "lead", "") or ""
    return tuple(p.strip() for p in lead.splitlines() if p.strip())


def build_document(*, report: Report, audience: str = Audience.OFFICIAL) -> Document:
    """The report as a document: 3 queries (report, sections, values), one more for the review trail
    of an internal document. The official document never carries the trail (issue 15)."""
    if audience not in Audience.ALL:
        raise ValueError(f"unknown audience {audience!r}")
    report = Report.objects.select_related("bureau", "period").get(pk=report.pk)
    sections = list(Section.objects.filter(report=report).order_by("position", "pk"))
    tree = section_tree(report=report, sections=sections)
    indicators = _indicator_rows(report)
    trail = _trail(report) if audience == Audience.INTERNAL else ()
    titles = [_("Main indicators")] if indicators else []
    numbered = len(titles) > 1  # GB/T 9704: a lone attachment is not numbered
    attachments = tuple(Attachment(number=i if numbered else None, title=t) for i, t in enumerate(titles, start=1))
    return Document(
        report_id=report.pk,
        title=clean_text(report.title),
        title_lines=title_lines(clean_text(report.title), bureau_name=clean_text(report.bureau.name)),
        bureau_name=clean_text(report.bureau.name),
        bureau_code=report.bureau.code,
        period_code=report.period.code,
        period_label=str(report.period.label),
        state=report.state,
        state_label=str(report.get_state_display()),
        is_final=report.state == Report.State.APPROVED,
        sections=tuple(_doc_section(node) for node in tree),
        indicators=indicators,
        signature=signature(bureau_name=clean_text(report.bureau.name), date=_signed_on(report)),
        trail=trail,
        attachments=attachments,
        lead=_lead(report),
        audience=audience,
    )
