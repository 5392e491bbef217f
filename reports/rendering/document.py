"""The one document structure of a report, built once and rendered as HTML, PDF and Word.

Renderers never touch the ORM: everything they print is in these dataclasses, so the three outputs
cannot drift apart. `build_document` costs a fixed number of queries whatever the report's size.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from indicators.models import IndicatorValue
from indicators.numbers import number_text

from ..models import Report, Section, Transition
from ..selectors.tree import SectionNode, section_tree

# A 2号 (22 pt) title fits 20 characters on the 156 mm type area.
TITLE_CHARS_PER_LINE = 20


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
    date: datetime.date
    date_text: str  # 2023年8月16日


@dataclass(frozen=True)
class Attachment:
    number: int
    title: str


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
    trail: tuple[TrailEntry, ...]
    attachments: tuple[Attachment, ...] = field(default=())

    @property
    def indicator_attachment(self) -> Attachment | None:
        return self.attachments[0] if self.indicators else None

    @property
    def trail_attachment(self) -> Attachment | None:
        return self.attachments[-1] if self.trail else None

    @property
    def filename_stem(self) -> str:
        return filename_stem(title=self.title, bureau_name=self.bureau_name)

    def all_sections(self) -> list[DocSection]:
        return [s for top in self.sections for s in top.walk()]


def chinese_date(day: datetime.date) -> str:
    """2023-08-16 -> 2023年8月16日 (Arabic numerals, no leading zeros)."""
    return f"{day.year}年{day.month}月{day.day}日"


def format_decimal(value: Decimal | None) -> str:
    """Decimal -> plain text without trailing zeros or exponent: 12.5000 -> 12.5, 3E+2 -> 300."""
    return number_text(value)


def filename_stem(*, title: str, bureau_name: str) -> str:
    """A file name a clerk recognises: 宣州区卫生健康委员会2022年工作总结 (bureau added if the title lacks it)."""
    return safe_filename(title if bureau_name in title else f"{bureau_name}{title}")


def safe_filename(name: str) -> str:
    return "".join("_" if ch in '\\/:*?"<>|\r\n\t' else ch for ch in name).strip() or "report"


def _width(text: str) -> float:
    """Width in em: ASCII (digits of a year) is half width, everything else full width."""
    return sum(0.5 if ord(ch) < 0x80 else 1.0 for ch in text)


def title_lines(title: str, *, per_line: int = TITLE_CHARS_PER_LINE) -> tuple[str, ...]:
    """Split a long title into balanced lines (a trapezoid: upper lines no longer than lower ones),
    so the last line never holds a lone character."""
    title = " ".join(title.split())
    total = _width(title)
    if total <= per_line:
        return (title,)
    count = math.ceil(total / per_line)
    out: list[str] = []
    rest = title
    for i in range(count - 1, 0, -1):
        # Cut where the remaining lines share the rest evenly, rounding the cut down (upper lines shorter).
        target = _width(rest) / (i + 1)
        cut, width = 0, 0.0
        while cut < len(rest) and width + _width(rest[cut]) <= target:
            width += _width(rest[cut])
            cut += 1
        out.append(rest[:cut])
        rest = rest[cut:]
    out.append(rest)
    return tuple(out)


def _signed_on(report: Report) -> datetime.date:
    if report.signed_on:
        return report.signed_on
    if report.approved_at:
        return timezone.localtime(report.approved_at).date()
    return timezone.localdate()


def _doc_section(node: SectionNode) -> DocSection:
    return DocSection(
        number=node.number,
        heading=node.section.heading,
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
                value=format_decimal(value.value),
                numerator=format_decimal(value.numerator),
                denominator=format_decimal(value.denominator),
                note=value.note,
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
                comment=t.comment,
            )
        )
    return tuple(entries)


def build_document(*, report: Report) -> Document:
    """The report as a document: 4 queries (report, sections, values, transitions)."""
    report = Report.objects.select_related("bureau", "period").get(pk=report.pk)
    sections = list(Section.objects.filter(report=report).order_by("position", "pk"))
    tree = section_tree(report=report, sections=sections)
    indicators = _indicator_rows(report)
    trail = _trail(report)
    attachments = []
    if indicators:
        attachments.append(Attachment(number=len(attachments) + 1, title=_("Main indicators")))
    if trail:
        attachments.append(Attachment(number=len(attachments) + 1, title=_("Review record")))
    signed = _signed_on(report)
    return Document(
        report_id=report.pk,
        title=report.title,
        title_lines=title_lines(report.title),
        bureau_name=report.bureau.name,
        bureau_code=report.bureau.code,
        period_code=report.period.code,
        period_label=str(report.period.label),
        state=report.state,
        state_label=str(report.get_state_display()),
        is_final=report.state == Report.State.APPROVED,
        sections=tuple(_doc_section(node) for node in tree),
        indicators=indicators,
        signature=Signature(bureau_name=report.bureau.name, date=signed, date_text=chinese_date(signed)),
        trail=trail,
        attachments=tuple(attachments),
    )
