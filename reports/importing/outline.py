"""Report text to a document outline: title, numbered sections at every level, paragraphs, the
kind of each top-level part, and several documents in one file (第一篇, 第二篇 …).

Pure Python (no Django imports). `parse_text` never raises: whatever the input, it returns a result.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from .clean import clean_lines
from .figures import CatalogueEntry, Figure, Matcher, find_figures
from .kinds import KINDS, assign_kinds, kind_of
from .markers import CN, CN_DIGITS, INLINE_AT, MARKER_RE, RANK, Marker, cn_value, label, marker_at
from .messages import Notice, _

__all__ = ["KINDS", "OutlineDocument", "OutlineSection", "ParseResult", "assign_kinds", "cn_value", "kind_of"]
__all__ += ["label", "parse_text"]

_SENTENCE_END = re.compile(r"[。！？]")
_DOC_HEADER = re.compile(rf"^第(?P<n>[{CN_DIGITS}\d]{{1,4}})篇(?:[：:\s]+(?P<title>.*))?$")
_TRAILING = "。：；，、 "
_JOINABLE_END = re.compile(r"[。！？；：…”’」』）)]$")
_TITLE_JUNK = re.compile(r"(范文|范本|模板|精选|\d+则|\d+篇)+$")
_MAX_HEADING = 120


@dataclass
class OutlineSection:
    number: str
    heading: str
    kind: str = "other"
    paragraphs: list[str] = field(default_factory=list)
    children: list[OutlineSection] = field(default_factory=list)
    style: str = field(default=CN, compare=False, repr=False)
    value: int = field(default=1, compare=False, repr=False)

    def walk(self, path: tuple[int, ...] = ()):
        """(path, section) for this section and everything under it; a path is child indexes."""
        yield path, self
        for i, child in enumerate(self.children):
            yield from child.walk(path + (i,))

    def as_dict(self) -> dict:
        return {
            "number": self.number,
            "heading": self.heading,
            "kind": self.kind,
            "paragraphs": list(self.paragraphs),
            "children": [c.as_dict() for c in self.children],
        }


@dataclass
class OutlineDocument:
    title: str | None
    preamble: list[str] = field(default_factory=list)
    sections: list[OutlineSection] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)

    def walk(self):
        """(path, section) over all sections, depth first; top-level paths are (i,)."""
        for i, section in enumerate(self.sections):
            yield from section.walk((i,))

    def as_dict(self) -> dict:
        """The JSON shape of `import_text --json`. Text before the first heading is a leading
        section without number or heading."""
        sections = [s.as_dict() for s in self.sections]
        if self.preamble:
            sections.insert(
                0, {"number": "", "heading": "", "kind": "other", "paragraphs": self.preamble, "children": []}
            )
        return {
            "title": self.title,
            "sections": sections,
            "figures": [f.as_dict() for f in self.figures],
            "warnings": [str(n) for n in self.notices],
        }


@dataclass
class ParseResult:
    documents: list[OutlineDocument]
    notices: list[Notice] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"documents": [d.as_dict() for d in self.documents]}


class _Builder:
    """Feeds cleaned lines of one document into a section tree."""

    def __init__(self) -> None:
        self.sections: list[OutlineSection] = []
        self.preamble: list[str] = []
        self.stack: list[OutlineSection] = []
        self.notices: list[Notice] = []
        self.open_paragraph = False  # the last paragraph may continue on the next line
        self.heading_pending: OutlineSection | None = None
        self.placeholders = False

    # where text goes
    def _paragraphs(self) -> list[str]:
        return self.stack[-1].paragraphs if self.stack else self.preamble

    def add_text(self, text: str, *, new_line: bool) -> None:
        text = text.strip()
        if not text:
            return
        paragraphs = self._paragraphs()
        if new_line and self.open_paragraph and paragraphs:
            paragraphs[-1] += text
        else:
            paragraphs.append(text)
        self.open_paragraph = len(paragraphs[-1]) >= 10 and not _JOINABLE_END.search(paragraphs[-1])

    def _siblings(self, depth: int) -> list[OutlineSection]:
        return self.stack[depth - 1].children if depth else self.sections

    def _depth_for(self, style: str) -> int:
        for i, node in enumerate(self.stack):
            if node.style == style:
                return i
        depth = len(self.stack)
        while depth and RANK[self.stack[depth - 1].style] > RANK[style]:
            depth -= 1
        return depth

    def expects(self, marker: Marker) -> bool:
        """Would this marker, found inside running text, continue the numbering?"""
        for node in self.stack:
            if node.style == marker.style:
                return marker.value is None or marker.value == node.value + 1
        if marker.value is None:
            return bool(self.stack) and RANK[marker.style] > RANK[self.stack[-1].style]
        deepest = RANK[self.stack[-1].style] if self.stack else -1
        return marker.value == 1 and RANK[marker.style] > deepest

    def open_heading(self, marker: Marker, heading: str, *, at_line_start: bool) -> None:
        depth = self._depth_for(marker.style)
        siblings = self._siblings(depth)
        previous = siblings[-1] if siblings and siblings[-1].style == marker.style else None
        expected = previous.value + 1 if previous else 1
        value = marker.value
        if value is None:
            value = expected
            self.placeholders = True
        elif at_line_start and value != expected:
            if previous is None and depth == 0 and not self.sections:
                self.notices.append(
                    Notice(
                        _("The text starts at %(number)s: earlier parts may be missing."),
                        number=label(marker.style, value),
                    )
                )
            else:
                self.notices.append(
                    Notice(
                        _("Numbering jumps from %(before)s to %(after)s."),
                        before=label(marker.style, expected - 1) if previous else "—",
                        after=label(marker.style, value),
                    )
                )
        section = OutlineSection(number=label(marker.style, value), heading=heading, style=marker.style, value=value)
        siblings.append(section)
        self.stack = self.stack[:depth] + [section]
        self.open_paragraph = False
        self.heading_pending = section if not heading else None

    def feed_line(self, line: str) -> None:
        if self.heading_pending is not None:
            pending = self.heading_pending
            self.heading_pending = None
            if len(line) <= 40 and not _SENTENCE_END.search(line[:-1]) and marker_at(line, 0) is None:
                pending.heading = line.rstrip(_TRAILING)
                return
        marker = marker_at(line, 0, alone=True)
        if marker is None:
            self._feed_running_text(line, new_line=True)
            return
        heading, rest = self._split_heading(line[marker.end :], marker)
        self.open_heading(marker, heading, at_line_start=True)
        self._feed_running_text(rest, new_line=False)

    def _split_heading(self, text: str, marker: Marker) -> tuple[str, str]:
        """A heading runs to the first full stop, or to where a first sub-heading starts inline."""
        end = _SENTENCE_END.search(text)
        limit = end.start() if end else len(text)
        for m in MARKER_RE.finditer(text, 0, limit):
            sub = marker_at(text, m.start())
            if sub and sub.value == 1 and RANK[sub.style] > RANK[marker.style] and m.start() >= 2:
                return text[: m.start()].rstrip(_TRAILING), text[m.start() :]
        heading, rest = text[:limit], text[limit + 1 :] if end else ""
        if len(heading) > _MAX_HEADING:
            comma = heading.find("，", 4)
            if 0 < comma <= _MAX_HEADING:
                heading, rest = heading[:comma], heading[comma + 1 :] + (text[limit:] if end else "")
            else:
                heading, rest = heading[:_MAX_HEADING], heading[_MAX_HEADING:] + (text[limit:] if end else "")
        return heading.rstrip(_TRAILING), rest

    def _feed_running_text(self, text: str, *, new_line: bool) -> None:
        """Paragraph text, split where a heading starts inline after a full stop and continues the
        numbering (so 其中，①… and 一是…二是… stay text)."""
        while text:
            for pos in [0, *(m.start() for m in INLINE_AT.finditer(text))]:
                marker = marker_at(text, pos) if pos < len(text) else None
                if marker is not None and self.expects(marker):
                    self.add_text(text[:pos], new_line=new_line)
                    heading, text = self._split_heading(text[marker.end :], marker)
                    self.open_heading(marker, heading, at_line_start=False)
                    new_line = False
                    break
            else:
                self.add_text(text, new_line=new_line)
                return


# --- titles ---------------------------------------------------------------------------------


def _is_title_like(line: str) -> bool:
    return 2 <= len(line) <= 50 and not re.search(r"[。！？；：，]", line) and marker_at(line, 0, alone=True) is None


def _is_byline(line: str) -> bool:
    return line.startswith("（") and line.endswith("）") and len(line) <= 40


def _same_title(a: str, b: str) -> bool:
    a, b = _TITLE_JUNK.sub("", a), _TITLE_JUNK.sub("", b)
    return bool(a and b) and (a in b or b in a)


def _split_front(lines: list[str], title: str | None) -> tuple[str | None, list[str]]:
    """The title (given by 第N篇, or the short lines at the top) and the lines after it."""
    i = 0
    title = _TITLE_JUNK.sub("", title or "") or title
    if title:
        while i < len(lines) and i < 3 and _is_title_like(lines[i]) and _same_title(lines[i], title):
            i += 1
        while i < len(lines) and _is_byline(lines[i]):
            i += 1
        return title or None, lines[i:]
    parts = []
    while i < len(lines) and len(parts) < 3 and _is_title_like(lines[i]) and not _is_byline(lines[i]):
        if not parts or not _same_title(lines[i], "".join(parts)):
            parts.append(lines[i])  # a web copy repeats the title under the page's own heading
        i += 1
    while parts and i < len(lines) and _is_byline(lines[i]):
        i += 1
    if parts and i >= len(lines):
        return "".join(parts), []
    return ("".join(parts) or None), lines[i:]


# --- documents -------------------------------------------------------------------------------


def split_documents(lines: list[str]) -> list[tuple[str | None, list[str]]]:
    """Lines grouped by 第一篇 / 第二篇 … headers; text before the first header (a compilation's
    own title) is dropped unless it is a report itself, and repeats of it are dropped later on."""
    chunks: list[tuple[str | None, list[str]]] = [(None, [])]
    for line in lines:
        m = _DOC_HEADER.match(line)
        if m:
            chunks.append(((m.group("title") or "").strip(), []))
        else:
            chunks[-1][1].append(line)
    if len(chunks) == 1:
        return chunks
    head = chunks[0][1]
    rest = chunks[1:]
    if head and all(_is_title_like(line) for line in head):
        repeated = set(head)
        rest = [(t, [line for line in body if line not in repeated]) for t, body in rest]
        return rest
    return (chunks[:1] if head else []) + rest


def build_document(
    lines: list[str], *, title: str | None, catalogue: Sequence[CatalogueEntry] | Matcher = ()
) -> OutlineDocument:
    title, body = _split_front(lines, title)
    builder = _Builder()
    for line in body:
        builder.feed_line(line)
    if builder.placeholders:
        builder.notices.append(Notice(_("Placeholder heading numbers (X、) were numbered by position.")))
    assign_kinds(builder.sections, title)
    doc = OutlineDocument(title=title, preamble=builder.preamble, sections=builder.sections, notices=builder.notices)
    doc.figures = find_figures(doc, catalogue)
    if not doc.sections:
        doc.notices.append(Notice(_("No numbered headings were found; the text is kept as one introduction.")))
    return doc


def parse_text(text: str, catalogue: Sequence[CatalogueEntry] = ()) -> ParseResult:
    """Parse report text (possibly several reports) into outlines with figures. Never raises."""
    try:
        cleaned = clean_lines(text if isinstance(text, str) else "")
        matcher = Matcher(catalogue)
        documents = [
            build_document(body, title=title, catalogue=matcher)
            for title, body in split_documents(cleaned.lines)
            if body or title
        ]
        if not documents:
            documents = [OutlineDocument(title=None)]
        for doc in documents:
            doc.notices[:0] = cleaned.notices
        return ParseResult(documents=documents, notices=cleaned.notices)
    except Exception as exc:  # the parser must never fail the caller; say what happened instead
        notice = Notice(_("The text could not be read completely (%(error)s)."), error=type(exc).__name__)
        return ParseResult(documents=[OutlineDocument(title=None, notices=[notice])], notices=[notice])
