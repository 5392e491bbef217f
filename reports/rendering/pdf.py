"""The report as a PDF in the official-document layout, through WeasyPrint.

Fonts: the body is FandolFang (shipped in static/fonts, GPL with font exception), headings use the
Noto CJK and AR PL UKai families from Debian (see reports/rendering/checks.py). WeasyPrint embeds subsets
(never full fonts); with libharfbuzz-subset0 installed that takes a fraction of a second.
"""

from __future__ import annotations

import atexit
import threading
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from .document import Document
from .fontcache import install as keep_font_files
from .justify import install as install_justification

PDF_CSS = Path(settings.BASE_DIR) / "static" / "css" / "document-pdf.css"


_local = threading.local()
# Drop the cached font configuration before interpreter teardown (its __del__ needs live modules).
atexit.register(lambda: _local.__dict__.clear())


def _stylesheet():
    """The parsed stylesheet and its font configuration (with FandolFang loaded), once per thread:
    WeasyPrint's font configuration is not shared between threads."""
    cached = getattr(_local, "stylesheet", None)
    if cached is None:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        install_justification()
        font_config = FontConfiguration()
        keep_font_files(font_config.font_map)
        cached = _local.stylesheet = (CSS(filename=str(PDF_CSS), font_config=font_config), font_config)
    return cached


def document_html(*, doc: Document) -> str:
    """The HTML WeasyPrint lays out (also handy to look at in a browser)."""
    with translation.override("zh-hans"):
        return render_to_string("reports/document_pdf.html", {"doc": doc})


def html_to_pdf(*, html: str) -> bytes:
    from weasyprint import HTML

    stylesheet, font_config = _stylesheet()
    return HTML(string=html, base_url=str(PDF_CSS.parent)).write_pdf(stylesheets=[stylesheet], font_config=font_config)


def document_pdf(*, doc: Document) -> bytes:
    return html_to_pdf(html=document_html(doc=doc))


def review_log_pdf(*, doc: Document) -> bytes:
    """The internal review log (an Audience.INTERNAL document's trail) in the same page layout."""
    with translation.override("zh-hans"):
        return html_to_pdf(html=render_to_string("reports/review_log_pdf.html", {"doc": doc}))
