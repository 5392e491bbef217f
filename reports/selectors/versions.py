"""Frozen content of a submission, and what changed between two submissions (or two edits).

`report_content` is the JSON a ReportVersion stores; `versions_compare` lines two of them up section
by section (by section id) and value by value (by indicator slug). Text differences are computed per
character (Chinese has no spaces between words) and rendered as escaped HTML with <ins>/<del>.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from indicators.models import IndicatorDefinition, IndicatorValue

from ..models import Report, ReportVersion, Section
from .tree import flatten, section_tree


def _num(value: Decimal | None) -> str | None:
    return None if value is None else f"{value.normalize():f}"


def report_content(*, report: Report) -> dict:
    """The report's sections (numbered, in reading order) and values, as plain JSON data."""
    sections = list(Section.objects.filter(report=report).order_by("position", "pk"))
    values = IndicatorValue.objects.filter(report=report).select_related("definition")
    return {
        "title": report.title,
        "sections": [
            {
                "id": n.section.pk,
                "number": n.number,
                "depth": n.depth,
                "heading": n.section.heading,
                "body": n.section.body,
                "kind": n.section.kind,
                "parent": n.section.parent_id,
            }
            for n in flatten(section_tree(report=report, sections=sections))
        ],
        "values": [
            {
                "slug": v.definition.slug,
                "value": _num(v.value),
                "numerator": _num(v.numerator),
                "denominator": _num(v.denominator),
                "note": v.note,
            }
            for v in sorted(values, key=lambda v: (v.definition.topic, v.definition.position, v.definition.slug))
        ],
    }


def text_diff_html(old: str, new: str) -> SafeString:
    """Character-level diff of two texts as escaped HTML: removed text in <del>, added text in <ins>."""
    matcher = difflib.SequenceMatcher(None, old or "", new or "", autojunk=False)
    out = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(escape(old[i1:i2]))
            continue
        if op in ("delete", "replace"):
            out.append(f"<del>{escape(old[i1:i2])}</del>")
        if op in ("insert", "replace"):
            out.append(f"<ins>{escape(new[j1:j2])}</ins>")
    # Every piece was escaped above.
    return mark_safe("".join(out).replace("\n", "<br>"))


@dataclass
class SectionChange:
    status: str  # "added", "removed", "changed", "same"
    number: str
    heading: str
    old_heading: str
    heading_html: SafeString
    body_html: SafeString
    section_id: int
    flags: list = field(default_factory=list)  # the reviewer's comments on it at the last return (set by views)

    @property
    def changed(self) -> bool:
        return self.status != "same"


@dataclass
class ValueChange:
    slug: str
    name: str
    unit: str
    old: dict | None
    new: dict | None

    @property
    def status(self) -> str:
        if self.old is None:
            return "added"
        if self.new is None:
            return "removed"
        return "same" if self.old == self.new else "changed"


@dataclass
class Comparison:
    sections: list[SectionChange]
    values: list[ValueChange]

    @property
    def changed_sections(self) -> list[SectionChange]:
        return [s for s in self.sections if s.changed]

    @property
    def changed_values(self) -> list[ValueChange]:
        return [v for v in self.values if v.status != "same"]

    @property
    def has_changes(self) -> bool:
        return bool(self.changed_sections or self.changed_values)


def versions_compare(*, old: dict, new: dict) -> Comparison:
    """Line up two contents (from `report_content`): sections by id, values by indicator slug."""
    old_sections = {s["id"]: s for s in old.get("sections", [])}
    new_ids = {s["id"] for s in new.get("sections", [])}

    def change(status: str, shown: dict, before: dict | None, after: dict | None) -> SectionChange:
        b_heading, b_body = (before["heading"], before["body"]) if before else ("", "")
        a_heading, a_body = (after["heading"], after["body"]) if after else ("", "")
        return SectionChange(
            status=status,
            number=shown["number"],
            heading=shown["heading"],
            old_heading=b_heading,
            heading_html=text_diff_html(b_heading, a_heading),
            body_html=text_diff_html(b_body, a_body),
            section_id=shown["id"],
        )

    sections = []
    for s in new.get("sections", []):
        before = old_sections.get(s["id"])
        if before is None:
            sections.append(change("added", s, None, s))
        else:
            same = (before["heading"], before["body"]) == (s["heading"], s["body"])
            sections.append(change("same" if same else "changed", s, before, s))
    sections += [change("removed", s, s, None) for s in old.get("sections", []) if s["id"] not in new_ids]

    old_values = {v["slug"]: v for v in old.get("values", [])}
    new_values = {v["slug"]: v for v in new.get("values", [])}
    slugs = list(new_values) + [slug for slug in old_values if slug not in new_values]
    definitions = {d.slug: d for d in IndicatorDefinition.objects.filter(slug__in=slugs)}
    values = []
    for slug in slugs:
        d = definitions.get(slug)
        values.append(
            ValueChange(
                slug=slug,
                name=d.name if d else slug,
                unit=d.unit if d else "",
                old=old_values.get(slug),
                new=new_values.get(slug),
            )
        )
    return Comparison(sections=sections, values=values)


def latest_comparison(*, report: Report) -> tuple[ReportVersion | None, ReportVersion | None, Comparison | None]:
    """The two latest submitted versions and what changed between them (None before a resubmission)."""
    latest = list(ReportVersion.objects.filter(report=report).order_by("-number")[:2])
    if len(latest) < 2:
        return (latest[0] if latest else None), None, None
    new, old = latest
    return new, old, versions_compare(old=old.content, new=new.content)
