"""The report as a Word file (python-docx): the same document structure as the PDF, in real Word
styles (Title, Heading 1-4, Normal), A4 with the official margins, "— N —" page numbers in a PAGE
field alternating right/left, and the indicator table as a Word table on an attachment page."""

from __future__ import annotations

import io

from django.utils import translation
from django.utils.translation import gettext as _
from docx import Document as WordDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from ..models import Report
from .document import Document, build_document

# Font names as Chinese Word installations know them.
FANG = "仿宋"
HEI = "黑体"
KAI = "楷体"
SONG = "宋体"
TITLE = "方正小标宋简体"
LINE = Pt(28.95)  # 22 lines in the 225 mm type area
INDENT = Pt(32)  # two 3号 characters

HEADING_FONTS = {1: HEI, 2: KAI, 3: FANG, 4: FANG}


def _set_fonts(style_or_run, *, east_asia: str, size: Pt, bold: bool = False, ascii_font: str = "Times New Roman"):
    font = style_or_run.font
    font.name = ascii_font
    font.size = size
    font.bold = bold
    font.italic = False
    font.color.rgb = RGBColor(0, 0, 0)
    element = style_or_run.element
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi"):
        fonts.set(qn(attr), ascii_font)
    fonts.set(qn("w:eastAsia"), east_asia)
    for theme_attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        if fonts.get(qn(theme_attr)) is not None:
            del fonts.attrib[qn(theme_attr)]


def _set_paragraph_format(style, *, indent: bool = True, align=WD_ALIGN_PARAGRAPH.JUSTIFY):
    fmt = style.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.first_line_indent = INDENT if indent else Pt(0)
    fmt.alignment = align


def _styles(word: WordDocument) -> None:
    styles = word.styles
    normal = styles["Normal"]
    _set_fonts(normal, east_asia=FANG, size=Pt(16))
    _set_paragraph_format(normal)
    title = styles["Title"]
    _set_fonts(title, east_asia=TITLE, size=Pt(22), ascii_font=TITLE)
    _set_paragraph_format(title, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    title.paragraph_format.space_after = LINE
    # The Title style of the default template draws a rule under itself: remove it.
    ppr = title.element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):
        ppr.remove(border)
    for level, east_asia in HEADING_FONTS.items():
        style = styles[f"Heading {level}"]
        _set_fonts(style, east_asia=east_asia, size=Pt(16))
        _set_paragraph_format(style)
        style.paragraph_format.keep_with_next = True
    table_style = styles["Table Grid"]
    _set_fonts(table_style, east_asia=FANG, size=Pt(12))


def _page_number_paragraph(paragraph, *, align) -> None:
    """ "— N —" with N a PAGE field, so Word and LibreOffice number the pages themselves."""
    paragraph.alignment = align
    paragraph.paragraph_format.first_line_indent = Pt(0)
    paragraph.paragraph_format.left_indent = Pt(14) if align == WD_ALIGN_PARAGRAPH.LEFT else Pt(0)
    paragraph.paragraph_format.right_indent = Pt(14) if align == WD_ALIGN_PARAGRAPH.RIGHT else Pt(0)

    def run(text: str = ""):
        r = paragraph.add_run(text)
        _set_fonts(r, east_asia=SONG, size=Pt(14), ascii_font=SONG)
        return r

    run("— ")
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        r = run()
        if kind:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            r._r.append(fld)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            r._r.append(instr)
        else:
            r.text = text
    run(" —")


def _page_setup(word: WordDocument) -> None:
    section = word.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(28)
    word.settings.odd_and_even_pages_header_footer = True
    _page_number_paragraph(section.footer.paragraphs[0], align=WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number_paragraph(section.even_page_footer.paragraphs[0], align=WD_ALIGN_PARAGRAPH.LEFT)


def _draft_marker(word: WordDocument) -> None:
    """Not approved: say so in the header of every page (Word has no portable diagonal watermark)."""
    section = word.sections[0]
    for header in (section.header, section.even_page_header):
        paragraph = header.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(_("DRAFT"))
        _set_fonts(run, east_asia=HEI, size=Pt(14), ascii_font=HEI)
        run.font.color.rgb = RGBColor(0x99, 0x99, 0x99)


def _attachment_heading(word: WordDocument, *, number: int, title: str) -> None:
    label = word.add_paragraph()
    label.paragraph_format.first_line_indent = Pt(0)
    label.paragraph_format.page_break_before = True
    run = label.add_run(f"{_('Attachment')}{number}")
    _set_fonts(run, east_asia=HEI, size=Pt(16))
    word.add_paragraph().paragraph_format.first_line_indent = Pt(0)
    word.add_paragraph(title, style="Title")


def _table(word: WordDocument, headers: list[str], rows: list[list[str]], numeric: set[int]) -> None:
    table = word.add_table(rows=1, cols=len(headers))
    table.style = word.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, text in enumerate(headers):
        cell = table.rows[0].cells[i]
        paragraph = cell.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(text)
        _set_fonts(run, east_asia=HEI, size=Pt(12))
    # Repeat the header row on every page.
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)
    for values in rows:
        cells = table.add_row().cells
        for i, text in enumerate(values):
            paragraph = cells[i].paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if i in numeric else WD_ALIGN_PARAGRAPH.LEFT
            run = paragraph.add_run(text)
            _set_fonts(run, east_asia=FANG, size=Pt(12))
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                fmt = paragraph.paragraph_format
                fmt.first_line_indent = Pt(0)
                fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE


def document_docx(*, doc: Document) -> bytes:
    word = WordDocument()
    word.core_properties.title = doc.title
    word.core_properties.author = doc.bureau_name
    word.core_properties.language = "zh-CN"
    _styles(word)
    _page_setup(word)
    if not doc.is_final:
        _draft_marker(word)

    title = word.add_paragraph(style="Title")
    for i, line in enumerate(doc.title_lines):
        if i:
            title.add_run().add_break(WD_BREAK.LINE)
        title.add_run(line)

    for section in doc.all_sections():
        word.add_paragraph(f"{section.number}{section.heading}", style=f"Heading {section.level}")
        for text in section.paragraphs:
            word.add_paragraph(text)

    if doc.attachments:
        word.add_paragraph()
        for i, a in enumerate(doc.attachments):
            p = word.add_paragraph(f"{_('Attachments:') if i == 0 else ''}{a.number}. {a.title}")
            p.paragraph_format.first_line_indent = Pt(0)
            p.paragraph_format.left_indent = INDENT if i == 0 else Pt(80)

    word.add_paragraph()
    for text in (doc.signature.bureau_name, doc.signature.date_text):
        p = word.add_paragraph(text)
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        p.paragraph_format.first_line_indent = Pt(0)
        p.paragraph_format.right_indent = INDENT

    if (a := doc.indicator_attachment) is not None:
        _attachment_heading(word, number=a.number, title=a.title)
        _table(
            word,
            [_("No."), _("Indicator"), _("Unit"), _("Value"), _("Numerator"), _("Denominator"), _("Note")],
            [[str(r.number), r.name, r.unit, r.value, r.numerator, r.denominator, r.note] for r in doc.indicators],
            numeric={0, 3, 4, 5},
        )
    if (a := doc.trail_attachment) is not None:
        _attachment_heading(word, number=a.number, title=a.title)
        _table(
            word,
            [_("Time"), _("Step"), _("By"), _("Comment")],
            [[t.date_text, f"{t.from_state} → {t.to_state}", t.actor, t.comment] for t in doc.trail],
            numeric=set(),
        )

    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def report_docx(*, report: Report) -> bytes:
    with translation.override("zh-hans"):
        doc = build_document(report=report)
        return document_docx(doc=doc)
