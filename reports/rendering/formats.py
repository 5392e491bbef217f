"""The one registry of output formats: format → renderer, content type, extension, audit action and
audience. The download views, `render_report` and the batch export all read it; an unknown format
raises ValueError instead of falling through."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import translation

from ..models import Report
from .document import Audience, Document, build_document


def _pdf(doc: Document) -> bytes:
    from .pdf import document_pdf

    return document_pdf(doc=doc)


def _docx(doc: Document) -> bytes:
    from .docx import document_docx

    return document_docx(doc=doc)


def _html(doc: Document) -> bytes:
    from .html import document_standalone

    return document_standalone(doc=doc).encode("utf-8")


def _review_log(doc: Document) -> bytes:
    from .pdf import review_log_pdf

    return review_log_pdf(doc=doc)


@dataclass(frozen=True)
class OutputFormat:
    code: str
    render: Callable[[Document], bytes]
    content_type: str
    extension: str
    audit_action: str
    audience: str = Audience.OFFICIAL
    frozen: bool = False  # rendered once when the report is approved and served from storage after
    suffix: str = ""  # added to the file name stem


FORMATS: dict[str, OutputFormat] = {
    f.code: f
    for f in (
        OutputFormat("pdf", _pdf, "application/pdf", "pdf", "export_pdf", frozen=True),
        OutputFormat(
            "docx",
            _docx,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "docx",
            "export_docx",
            frozen=True,
        ),
        OutputFormat("html", _html, "text/html; charset=utf-8", "html", "export_html"),
        OutputFormat(
            "review-log",
            _review_log,
            "application/pdf",
            "pdf",
            "export_review_log",
            audience=Audience.INTERNAL,
            suffix="审核记录",
        ),
    )
}
FROZEN_FORMATS = tuple(code for code, f in FORMATS.items() if f.frozen)


def output_format(code: str) -> OutputFormat:
    try:
        return FORMATS[code]
    except KeyError:
        raise ValueError(f"unknown output format {code!r}; known: {', '.join(FORMATS)}") from None


def render_report(*, report: Report, fmt: str) -> bytes:
    """Build the document for the format's audience and render it (always in Chinese)."""
    output = output_format(fmt)
    with translation.override("zh-hans"):
        return output.render(build_document(report=report, audience=output.audience))


def report_bytes(*, report: Report, fmt: str) -> bytes:
    """An approved report's frozen file when it has one, else a fresh render (the batch export)."""
    if output_format(fmt).frozen and report.state == Report.State.APPROVED:
        frozen = report.frozen_documents.filter(format=fmt).first()
        if frozen is not None:
            with frozen.file.open("rb") as fh:
                return fh.read()
    return render_report(report=report, fmt=fmt)


# Shorthands for the official outputs (the views use the registry entries themselves).
def report_pdf(*, report: Report) -> bytes:
    return render_report(report=report, fmt="pdf")


def report_docx(*, report: Report) -> bytes:
    return render_report(report=report, fmt="docx")
