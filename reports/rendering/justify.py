"""Justified Chinese body text in WeasyPrint (issue 15).

WeasyPrint 70 justifies a line by widening its spaces only (U+0020, U+00A0), and Chinese has none,
so 30-70 % of full lines ended 1.4-8 mm short of the type area. Typesetters spread the gap between
characters instead. Here each pair of adjacent ideographs gets a ZERO WIDTH SPACE between them,
and WeasyPrint is taught to count that as an expandable space: full lines come out flush, while
the PDF's text (copy, search) stays as it was, since Pango draws no glyph for U+200B.

The ZWSP is also a line-break opportunity, which is harmless between two ideographs (they may
break anyway) and is never put next to punctuation or inside digits and Latin words.
`document-pdf.css` gives paragraphs `word-spacing` equal to minus their letter-spacing, so an
unstretched ZWSP stays exactly zero wide and the 28-character grid is unchanged.
"""

from __future__ import annotations

import re

ZWSP = "\u200b"
_BETWEEN_IDEOGRAPHS = re.compile(r"(?<=[\u3400-\u4dbf\u4e00-\u9fff])(?=[\u3400-\u4dbf\u4e00-\u9fff])")
_BODY_PARAGRAPH = re.compile(r'(<p class="doc-para[^"]*">)(.*?)(</p>)', re.S)


def spread_points(text: str) -> str:
    """Mark where a justified line may be widened: between two ideographs."""
    return _BETWEEN_IDEOGRAPHS.sub(ZWSP, text)


def justify_body(html: str) -> str:
    """Body paragraphs of the rendered document HTML, with spread points (markup is ASCII: untouched)."""
    return _BODY_PARAGRAPH.sub(lambda m: m[1] + spread_points(m[2]) + m[3], html)


class _Regex:
    """`re` for weasyprint.text.line_break, whose word-spacing pattern gains U+200B."""

    def __getattr__(self, name):
        return getattr(re, name)

    @staticmethod
    def finditer(pattern, string, flags=0):
        if pattern == b" |\xc2\xa0":
            pattern = b" |\xc2\xa0|\xe2\x80\x8b"
        return re.finditer(pattern, string, flags)


def install() -> bool:
    """Teach WeasyPrint (70.x) that U+200B is expandable. Returns False (ragged right, nothing
    patched) on a WeasyPrint whose code no longer looks as expected; the measured layout test fails then."""
    import inspect

    from weasyprint.formatting_structure import boxes
    from weasyprint.layout import inline
    from weasyprint.text import line_break

    if getattr(inline, "_hr_zwsp", False):
        return True
    if "re.finditer(' |\\u00a0'.encode()" not in inspect.getsource(line_break.Layout.set_text):
        return False

    def count_expandable_spaces(box):
        if isinstance(box, boxes.TextBox):
            return box.text.count(" ") + box.text.count("\u00a0") + box.text.count(ZWSP)
        if isinstance(box, (boxes.LineBox, boxes.InlineBox)):
            return sum(count_expandable_spaces(child) for child in box.children)
        return 0

    inline.count_expandable_spaces = count_expandable_spaces
    line_break.re = _Regex()
    inline._hr_zwsp = True
    return True
