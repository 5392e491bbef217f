"""Text as people type and paste it, made safe to store and to print.

Pure Python (no Django imports): the editor, the Excel upload, the admin and the text import all
call `clean_text` at their door, and the exporters call it on the way out (rows stored before the
doors were cleaned may still hold such characters; python-docx and openpyxl refuse them).
"""

from __future__ import annotations

import re

# Line breaks of every origin: Windows and old Mac newlines, Word's manual line break (vertical
# tab) and page break (form feed), Unicode line and paragraph separators, NEL.
_NEWLINES = re.compile(r"\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
# C0 control characters other than tab and newline, DEL, and the two non-characters XML forbids.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\ufffe\uffff]")
# Leading indentation as Word pastes it: full-width (ideographic) and ordinary spaces, tabs.
_INDENT = re.compile(r"^[ \t\u3000\u00a0]+")


def clean_text(text: str | None) -> str:
    """Newlines normalised to \\n, C0 control characters other than \\n and \\t removed."""
    return _CONTROL.sub("", _NEWLINES.sub("\n", text or ""))


def tidy_paragraphs(text: str | None) -> str:
    """A body as one paragraph per line: clean, without the leading full-width spaces Word pastes as
    first-line indent (the documents indent paragraphs themselves), trailing spaces or blank lines."""
    lines = (_INDENT.sub("", line).rstrip() for line in clean_text(text).split("\n"))
    return "\n".join(line for line in lines if line)
