"""The report as HTML: the read view's fragment and a standalone file for `render_report`."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string

from .document import Document

SCREEN_CSS = Path(settings.BASE_DIR) / "static" / "css" / "document.css"


def document_fragment(*, doc: Document) -> str:
    """The document's markup (title, sections, signature, attachments); user text is escaped."""
    return render_to_string("reports/document_content.html", {"doc": doc})


def document_standalone(*, doc: Document) -> str:
    """One self-contained HTML file (styles embedded) that prints like the read view."""
    return render_to_string(
        "reports/document_standalone.html", {"doc": doc, "css": SCREEN_CSS.read_text(encoding="utf-8")}
    )
