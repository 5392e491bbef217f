"""The official document measured against GB/T 9704-2012 (../shared/reference/official-document-layout.md)
with pdfplumber: the PDF, and the Word file as LibreOffice lays it out (converted headless), on the demo
report and on a long one: title lines, 22 lines a page, 28 characters a line, flush right edges,
page-number position and side, signature and date positions."""

from __future__ import annotations

import datetime
import io
import os
import re
import shutil
import subprocess
from collections import defaultdict
from dataclasses import dataclass

import pdfplumber
import pytest

from reports.models import Report
from reports.rendering.document import build_document
from reports.rendering.formats import render_report
from tests.factories import SectionFactory
from tests.reports.documents import make_report

pytestmark = pytest.mark.django_db

MM = 72 / 25.4
LEFT, RIGHT, TOP, BOTTOM = 28 * MM, 184 * MM, 37 * MM, 262 * MM  # the 156 x 225 mm type area
CHAR = (RIGHT - LEFT) / 28  # 28 characters a line
LINE = (BOTTOM - TOP) / 22  # 22 lines a page
SOFFICE = shutil.which("soffice")


@dataclass
class Line:
    baseline: float
    top: float
    bottom: float
    x0: float
    x1: float
    size: float
    font: str
    text: str

    @property
    def cjk_only(self) -> bool:
        return all(ord(ch) > 0x2E80 for ch in self.text)


def pages_of(content: bytes) -> list[list[Line]]:
    """Each page's text lines (characters grouped by their top), top to bottom."""
    out = []
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        for page in pdf.pages:
            rows = defaultdict(list)
            for c in page.chars:
                if c["text"].strip() and c["size"] < 40:  # not the draft watermark
                    rows[round(c["top"])].append(c)
            lines = []
            for _top, chars in sorted(rows.items()):
                chars.sort(key=lambda c: c["x0"])
                lines.append(
                    Line(
                        baseline=page.height - chars[0]["matrix"][5],
                        top=chars[0]["top"],
                        bottom=chars[0]["bottom"],
                        x0=chars[0]["x0"],
                        x1=chars[-1]["x1"],
                        size=round(chars[0]["size"], 1),
                        font=chars[0]["fontname"],
                        text="".join(c["text"] for c in chars),
                    )
                )
            out.append(lines)
    return out


def body(lines: list[Line]) -> list[Line]:
    return [ln for ln in lines if abs(ln.size - 16) < 0.5 and TOP - 2 < ln.top < BOTTOM]


def full_lines(pages: list[list[Line]]) -> list[Line]:
    """Body lines that continue on the next line (the next starts at the left edge, unindented)."""
    out = []
    for lines in pages:
        rows = body(lines)
        out += [a for a, b in zip(rows, rows[1:]) if abs(b.x0 - LEFT) < 1.5 * MM and a.x1 > RIGHT - 3 * CHAR]
    return out


def check_layout(pages: list[list[Line]], *, doc, flush_mm: float | None, page_number_font: str = "") -> None:
    # Title: the lines title_lines() chose, in 22 pt, centred on the type area.
    title = [ln for ln in pages[0] if abs(ln.size - 22) < 0.5][: len(doc.title_lines)]
    assert [ln.text.replace(" ", "") for ln in title] == [t.replace(" ", "") for t in doc.title_lines]
    for ln in title:
        assert abs((ln.x0 + ln.x1) / 2 - (LEFT + RIGHT) / 2) < 2 * MM, ln

    # 22 lines a page on the 10.23 mm grid; never more.
    counts = [len(body(lines)) for lines in pages]
    assert max(counts) <= 22
    if len(pages) > 3:
        assert counts.count(22) >= 1, counts
    for lines in pages:
        rows = body(lines)
        for a, b in zip(rows, rows[1:]):
            steps = (b.baseline - a.baseline) / LINE
            # Headings in another face sit up to 0.3 mm off the body's baseline grid (its ascent).
            assert abs(steps - round(steps)) < 0.05, (a.text, b.text, steps)

    # 28 characters a line: a full line of Chinese text holds 28 characters (26 after an indent).
    cjk = [ln for ln in full_lines(pages) if ln.cjk_only]
    assert cjk or len(pages) < 3, "no full line of Chinese text to measure"
    for ln in cjk:
        assert len(ln.text) == (28 if abs(ln.x0 - LEFT) < MM else 26), ln

    # Right edge: no full line overflows; flush within flush_mm where the renderer justifies.
    for ln in full_lines(pages):
        assert ln.x1 < RIGHT + 0.5 * MM, ln
        assert ln.x1 > RIGHT - 1.6 * CHAR, ln  # at worst a digit run or a kept-back punctuation mark
        if flush_mm is not None:
            assert ln.x1 > RIGHT - flush_mm * MM, ln
        if ln.cjk_only:
            assert abs(ln.x1 - RIGHT) < MM, ln

    # Page numbers "— N —", 4号, their dash line about 7 mm below the type area; odd pages at the right,
    # even pages at the left, one character (14 pt) in.
    for number, lines in enumerate(pages, start=1):
        (mark,) = [ln for ln in lines if ln.top > BOTTOM]
        assert re.fullmatch(rf"—{number}—", mark.text), mark
        assert abs(mark.size - 14) < 0.5 and page_number_font in mark.font, mark
        assert abs((mark.top + mark.bottom) / 2 - BOTTOM - 7 * MM) < 1 * MM, (mark.top - BOTTOM) / MM
        if number % 2:
            assert abs(mark.x1 - (RIGHT - 14)) < 1.5 * MM, mark
        else:
            assert abs(mark.x0 - (LEFT + 14)) < 1.5 * MM, mark

    # Signature (§7.3.5.2): the name 2 characters from the right margin, the date on the next line, its
    # first character 2 characters right of the name's first.
    lines = [ln for page in pages for ln in body(page)]
    name = next(i for i, ln in enumerate(lines) if ln.text == doc.signature.bureau_name and ln.x0 > LEFT + 4 * CHAR)
    name_line, date_line = lines[name], lines[name + 1]
    assert date_line.text == doc.signature.date_text
    assert abs(RIGHT - name_line.x1 - 2 * CHAR) < 1.5 * MM, (RIGHT - name_line.x1) / CHAR
    assert abs(date_line.x0 - name_line.x0 - 2 * CHAR) < 1.5 * MM, (date_line.x0 - name_line.x0) / CHAR
    assert abs(date_line.baseline - name_line.baseline - LINE) < MM


PARAGRAPH = (
    "本年度围绕基层卫生服务能力提升开展工作，逐月调度重点任务，按季度通报进展情况，对照年初目标逐项核对完成程度，"
    "对滞后事项明确责任科室和完成时限，确保各项任务按计划推进到位。"
)


def long_report() -> Report:
    """The demo report plus twelve chapters of plain Chinese paragraphs (our own text): about ten pages."""
    report = make_report(state=Report.State.DRAFT, hostile=False)
    for i in range(12):
        SectionFactory(
            report=report, position=10 + i, heading=f"重点任务推进情况之{i + 1}", body="\n".join([PARAGRAPH] * 3)
        )
    Report.objects.filter(pk=report.pk).update(
        state=Report.State.APPROVED, title=f"{report.title}和下半年工作安排", signed_on=datetime.date(2026, 7, 20)
    )
    report.refresh_from_db()
    return report


@pytest.mark.parametrize("maker", [make_report, long_report], ids=["demo", "long"])
def test_pdf_measures_like_the_official_layout(maker):
    report = maker() if maker is long_report else maker(hostile=False)
    doc = build_document(report=report)
    pages = pages_of(render_report(report=report, fmt="pdf"))
    # Every full line flush (reports/rendering/justify.py); before, up to 73 % ended 1.4-8.4 mm short.
    check_layout(pages, doc=doc, flush_mm=0.5, page_number_font="HR-Song")


def test_justified_pdf_text_extracts_unchanged():
    report = long_report()
    with pdfplumber.open(io.BytesIO(render_report(report=report, fmt="pdf"))) as pdf:
        text = "".join(page.extract_text() for page in pdf.pages)
    assert PARAGRAPH[:40] in text.replace("\n", "")


def _libreoffice_pdf(content: bytes, tmp_path) -> bytes:
    if not SOFFICE:
        if os.environ.get("E2E_REQUIRED"):  # .ci/run installs libreoffice-writer-nogui: missing is a failure
            pytest.fail("E2E_REQUIRED is set but soffice (libreoffice-writer-nogui) is missing")
        pytest.skip("LibreOffice (soffice) not installed")
    source = tmp_path / "report.docx"
    source.write_bytes(content)
    subprocess.run(
        [SOFFICE, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf"]
        + ["--outdir", str(tmp_path), str(source)],
        check=True,
        capture_output=True,
        timeout=240,
    )
    return (tmp_path / "report.pdf").read_bytes()


@pytest.mark.parametrize("maker", [make_report, long_report], ids=["demo", "long"])
def test_word_file_measures_like_the_official_layout_in_libreoffice(maker, tmp_path):
    report = maker() if maker is long_report else maker(hostile=False)
    doc = build_document(report=report)
    pages = pages_of(_libreoffice_pdf(render_report(report=report, fmt="docx"), tmp_path))
    check_layout(pages, doc=doc, flush_mm=1.0)
