"""An outline back to plain text in the standard numbering (一、（一）1.（1）①), one heading or
paragraph a line. Parsing the result gives the same outline (a property test checks it).

Pure Python (no Django imports).
"""

from __future__ import annotations

from collections.abc import Sequence

from reports.numbering import chinese_numeral, section_number

from .outline import OutlineDocument, OutlineSection


def _render_sections(sections: Sequence[OutlineSection], depth: int, out: list[str]) -> None:
    for index, section in enumerate(sections, start=1):
        out.append(f"{section_number(depth, index)}{section.heading}")
        out.extend(section.paragraphs)
        _render_sections(section.children, depth + 1, out)


def render_document(doc: OutlineDocument) -> str:
    out: list[str] = []
    if doc.title:
        out.append(doc.title)
    out.extend(doc.lead)
    _render_sections(doc.sections, 1, out)
    return "\n".join(out) + "\n"


def render_documents(docs: Sequence[OutlineDocument]) -> str:
    """One document as itself; several as a compilation headed 第一篇：, 第二篇： …"""
    if len(docs) == 1:
        return render_document(docs[0])
    parts = []
    for n, doc in enumerate(docs, start=1):
        parts.append(f"第{chinese_numeral(n)}篇：{doc.title or ''}\n" + render_document(doc))
    return "\n".join(parts)
