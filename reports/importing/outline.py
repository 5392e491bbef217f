"""Report text to a document outline: title, numbered sections at every level, paragraphs, the
kind of each top-level part, and several documents in one file (第一篇, 第二篇 …).

Pure Python (no Django imports). `parse_text` never raises: whatever the input, it returns a result.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .body import ATTACHMENTS, find_body, is_date, is_title_like, opens_report
from .clean import HEADING_GAP, NOISE_REMOVED, clean_lines, to_simplified
from .figures import Matcher, find_figures
from .kinds import KINDS, assign_kinds, kind_of
from .markers import CN, CN_DIGITS, INLINE_AT, MARKER_RE, PART, RANK, Marker, cn_value, label, marker_at
from .messages import Notice, _
from .structure import CatalogueEntry, OutlineDocument, OutlineSection, ParseResult

__all__ = ["KINDS", "OutlineDocument", "OutlineSection", "ParseResult", "assign_kinds", "cn_value", "kind_of"]
__all__ += ["label", "parse_text"]

_SENTENCE_END = re.compile(r"[。！？]")
_DOC_HEADER = re.compile(rf"^第(?P<n>[{CN_DIGITS}\d]{{1,4}})篇(?:[：:\s]+(?P<title>.*))?$")
_TRAILING = "。：；，、 "
_JOINABLE_END = re.compile(r"[。！？；：…”’」』）)]$")
_MAX_HEADING = 120
_CLAUSES = re.compile(r"[，；]")
_HEADING_END = re.compile(rf"[。！？{HEADING_GAP}]")
_LIST_AT = re.compile(r"[，；、]")


class _Builder:
    """Feeds cleaned lines of one document into a section tree. A heading that would lie deeper
    than `max_depth` stays text, as written, in the section above it."""

    def __init__(self, max_depth: int | None = None) -> None:
        self.max_depth = max_depth
        self.sections: list[OutlineSection] = []
        self.lead: list[str] = []
        self.stack: list[OutlineSection] = []
        self.notices: list[Notice] = []
        self.open_paragraph = False  # the last paragraph may continue on the next line
        self.heading_pending: OutlineSection | None = None
        self.placeholders = False
        self.attachments = False  # past 附件：, every line is a paragraph of its own

    # where text goes
    def _paragraphs(self) -> list[str]:
        return self.stack[-1].paragraphs if self.stack else self.lead

    def add_text(self, text: str, *, new_line: bool) -> None:
        text = text.strip()
        if not text:
            return
        paragraphs = self._paragraphs()
        if new_line and self.open_paragraph and paragraphs:
            paragraphs[-1] += text
        else:
            paragraphs.append(text)
        self.open_paragraph = len(paragraphs[-1]) >= 5 and not _JOINABLE_END.search(paragraphs[-1])

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

    def _too_deep(self, marker: Marker) -> bool:
        return self.max_depth is not None and self._depth_for(marker.style) >= self.max_depth

    def expects(self, marker: Marker) -> bool:
        """Would this marker, found inside running text, continue the numbering? (A part starts
        only a line of its own.)"""
        if marker.style == PART or self._too_deep(marker):
            return False
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
        if self.attachments or ATTACHMENTS.match(line):
            self.attachments, self.open_paragraph = True, False
            self.add_text(line, new_line=False)
            self.open_paragraph = False
            return
        marker = marker_at(line, 0, alone=True)
        if marker is None or self._too_deep(marker) or _lists_on(line, marker):
            self._feed_running_text(line, new_line=True, opens=marker is None)
            return
        heading, rest = self._split_heading(line[marker.end :], marker)
        self.open_heading(marker, heading, at_line_start=True)
        self._feed_running_text(rest, new_line=False)

    def _split_heading(self, text: str, marker: Marker) -> tuple[str, str]:
        """A heading runs to the first full stop, or to where a first sub-heading starts inline, or
        to a colon that running text (a clause: ，；) follows, or to the space the cleaning kept
        between a heading and its sentence."""
        end = _HEADING_END.search(text)
        limit = end.start() if end else len(text)
        for m in MARKER_RE.finditer(text, 0, limit):
            sub = marker_at(text, m.start())
            if sub and sub.value == 1 and RANK[sub.style] > RANK[marker.style] and m.start() >= 2:
                return text[: m.start()].rstrip(_TRAILING), text[m.start() :]
        colon = text.find("：", 2, limit)
        if colon > 0 and _CLAUSES.search(text, colon + 1, limit):
            return text[:colon].rstrip(_TRAILING), text[colon + 1 :]  # 存在问题：人员不足，设备老旧。
        heading, rest = text[:limit], text[limit + 1 :] if end else ""
        if len(heading) > _MAX_HEADING:
            comma = heading.find("，", 4)
            if 0 < comma <= _MAX_HEADING:
                heading, rest = heading[:comma], heading[comma + 1 :] + (text[limit:] if end else "")
            else:
                heading, rest = heading[:_MAX_HEADING], heading[_MAX_HEADING:] + (text[limit:] if end else "")
        return heading.rstrip(_TRAILING), rest

    def _feed_running_text(self, text: str, *, new_line: bool, opens: bool = True) -> None:
        """Paragraph text, split where a heading starts inline after a full stop and continues the
        numbering (so 其中，①… and 一是…二是… stay text)."""
        while text:
            for pos in [0, *(m.start() for m in INLINE_AT.finditer(text))][0 if opens else 1 :]:
                marker = marker_at(text, pos) if pos < len(text) else None
                if marker is not None and pos and text[pos - 1] == "：" and marker.style != CN:
                    continue  # 如下：一、 opens a part; 做法：1. is a list in a sentence
                if marker is not None and self.expects(marker):
                    self.add_text(text[:pos], new_line=new_line)
                    heading, text = self._split_heading(text[marker.end :], marker)
                    self.open_heading(marker, heading, at_line_start=False)
                    new_line, opens = False, True
                    break
            else:
                self.add_text(text, new_line=new_line)
                return


def _lists_on(line: str, marker: Marker) -> bool:
    """Does the line go on to its next number within its first sentence (①甲；②乙。 1.控烟，2.限酒。)?
    Then it is a list written as one paragraph, not a heading."""
    end = _SENTENCE_END.search(line)
    for m in _LIST_AT.finditer(line, marker.end, end.start() if end else len(line)):
        after = marker_at(line, m.end())
        if after and after.style == marker.style and after.value == (marker.value or 0) + 1:
            return True
    return False


# --- documents -------------------------------------------------------------------------------


def split_documents(entries: list[tuple[str, bool]]) -> list[tuple[str | None, list[tuple[str, bool]]]]:
    """Lines grouped by 第一篇 / 第二篇 … headers. Text before the first header (a compilation's own
    title and the page around it) goes with the first document, where it is found to be furniture."""
    chunks: list[tuple[str | None, list[tuple[str, bool]]]] = [(None, [])]
    for line, noise in entries:
        m = None if noise else _DOC_HEADER.match(line)
        if m:
            chunks.append(((m.group("title") or "").strip(), []))
        else:
            chunks[-1][1].append((line, noise))
    if len(chunks) == 1:
        return [(None, part) for part in _signed_off(entries)]
    head, rest = chunks[0][1], chunks[1:]
    if any(not noise and not is_title_like(line) for line, noise in head):
        return chunks  # the text before the first header is a report itself
    # The compilation's title repeated between and after the parts is furniture too.
    repeated = {line for line, _noise in head}
    marked = [(t, [(line, noise or line in repeated) for line, noise in body]) for t, body in rest]
    return [(marked[0][0], head + marked[0][1]), *marked[1:]]


def _signed_off(entries: list[tuple[str, bool]]) -> list[list[tuple[str, bool]]]:
    """Reports one after another without 第N篇 headers: a new one starts after a date that closes
    numbered text, where a report's title follows and numbered text follows that."""
    kept = [(i, line) for i, (line, noise) in enumerate(entries) if not noise]
    numbered = [marker_at(line, 0, alone=True) is not None for _i, line in kept]
    last = max((k for k, n in enumerate(numbered) if n), default=-1)
    cuts, since = [0], False
    for k, (i, line) in enumerate(kept):
        if numbered[k]:
            since = True
        elif since and k + 1 < last and is_date(line) and opens_report([t for _j, t in kept[k + 1 : k + 3]]):
            cuts.append(i + 1)
            since = False
    return [entries[a:b] for a, b in zip(cuts, [*cuts[1:], len(entries)], strict=True)]


def build_document(
    entries: list[tuple[str, bool]],
    *,
    title: str | None,
    catalogue: Sequence[CatalogueEntry] | Matcher = (),
    traditional: bool = False,
    max_depth: int | None = None,
) -> OutlineDocument:
    probe = (lambda s: to_simplified(s)[0]) if traditional else (lambda s: s)
    found = find_body(entries, title=title, probe=probe)
    builder = _Builder(max_depth)
    for line in found.lead:
        builder.feed_line(line)
    for line in found.body:
        builder.feed_line(line)
    if builder.placeholders:
        builder.notices.append(Notice(_("Placeholder heading numbers (X、) were numbered by position.")))
    assign_kinds(builder.sections, probe(found.title) if found.title else None, probe=probe)
    doc = OutlineDocument(
        title=found.title,
        lead=builder.lead,
        sections=builder.sections,
        notices=builder.notices,
        removed=found.removed,
        signature=found.signature,
        traditional=traditional,
    )
    doc.figures = find_figures(doc, catalogue, probe=probe)
    if not doc.sections:
        doc.notices.append(Notice(_("No numbered headings were found; the text is kept as one introduction.")))
    return doc


def parse_text(
    text: str, catalogue: Sequence[CatalogueEntry] = (), *, simplify: bool = True, max_depth: int | None = None
) -> ParseResult:
    """Parse report text (possibly several reports) into outlines with figures. Traditional
    characters are converted to simplified only with `simplify`; headings deeper than `max_depth`
    (the editor's limit) stay text. Never raises."""
    try:
        cleaned = clean_lines(text if isinstance(text, str) else "", simplify=simplify)
        matcher = Matcher(catalogue)
        documents = [
            build_document(
                entries, title=title, catalogue=matcher, traditional=cleaned.traditional, max_depth=max_depth
            )
            for title, entries in split_documents(cleaned.entries)
            if any(not noise for _line, noise in entries) or title
        ]
        if not documents:
            documents = [OutlineDocument(title=None, removed=[line for line, _noise in cleaned.entries])]
        # Per document, the furniture count is the lines it lists as removed.
        shared = [n for n in cleaned.notices if n.message != NOISE_REMOVED]
        for doc in documents:
            doc.notices[:0] = shared + ([Notice(NOISE_REMOVED, count=len(doc.removed))] if doc.removed else [])
        return ParseResult(documents=documents, notices=cleaned.notices)
    except Exception as exc:  # the parser must never fail the caller; say what happened instead
        notice = Notice(_("The text could not be read completely (%(error)s)."), error=type(exc).__name__)
        return ParseResult(documents=[OutlineDocument(title=None, notices=[notice])], notices=[notice])
