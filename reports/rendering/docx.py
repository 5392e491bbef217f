"""The report as a Word file (python-docx): the same document structure as the PDF, in real Word
styles (Title, Heading 1-4, Normal), A4 with the official margins, a 22 × 28 document grid (so Word
paginates like the PDF), zh-CN east-Asian language in the current compatibility mode, "— N —" page
numbers in a PAGE field alternating right/left about 7 mm below the type area, a real watermark on
drafts, and the indicator table as a Word table on an attachment page."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from docx import Document as WordDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from .document import Document

# Font names as Chinese Word installations know them.
FANG = "仿宋"
HEI = "黑体"
KAI = "楷体"
SONG = "宋体"
TITLE = "方正小标宋简体"
LINE = Pt(28.95)  # 22 lines in the 225 mm type area
CHAR = 442.205 / 28  # pt: 28 characters on the 156 mm line (the grid's character pitch)
INDENT = Pt(2 * CHAR)  # two characters
# Document grid (sectPr/w:docGrid): pitches in twips and in 1/4096 pt beyond the 16 pt default size.
GRID_LINE_PITCH = 579
GRID_CHAR_SPACE = round((CHAR - 16) * 4096)
# Footer distance from the page's bottom edge that puts the page number's dash line about 7 mm below the
# type area (35 mm bottom margin), measured on LibreOffice's rendering (tests/reports/test_document_measured.py).
FOOTER_DISTANCE = Mm(24.3)
FONT_TABLE_FONTS = ("Times New Roman", FANG, HEI, KAI, SONG, TITLE)

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


def _chars_indent(paragraph_format, *, first_line: float = 0, left: float = 0, right: float = 0) -> None:
    """Indents in characters (w:firstLineChars etc., hundredths), with the same in points for readers
    that ignore the character units."""
    paragraph_format.first_line_indent = Pt(first_line * CHAR)
    paragraph_format.left_indent = Pt(left * CHAR)
    paragraph_format.right_indent = Pt(right * CHAR)
    ind = paragraph_format._element.get_or_add_pPr().get_or_add_ind()
    for attr, value in (("w:firstLineChars", first_line), ("w:leftChars", left), ("w:rightChars", right)):
        ind.set(qn(attr), str(round(value * 100)))


_PPR_AFTER_SNAP = ("w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc")
_RPR_AFTER_SPACING = ("w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:lang")


def _no_grid(paragraph_format) -> None:
    """Do not snap characters to the grid: LibreOffice gives a 16 pt character two 15.79 pt cells
    (14 a line), so the 28 characters come from the character spacing instead (see _styles)."""
    ppr = paragraph_format._element.get_or_add_pPr()
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    ppr.insert_element_before(snap, *_PPR_AFTER_SNAP)


def _no_autospace(ppr) -> None:
    """No automatic space between Chinese and digits/Latin (the PDF has none). LibreOffice reads this
    only from the paragraph itself, not from its style: document_docx sets it on every paragraph."""
    for name in ("w:autoSpaceDE", "w:autoSpaceDN"):
        off = OxmlElement(name)
        off.set(qn("w:val"), "0")
        ppr.insert_element_before(off, "w:snapToGrid", *_PPR_AFTER_SNAP)


def _char_spacing(style, twentieths: int) -> None:
    rpr = style.element.get_or_add_rPr()
    for old in rpr.findall(qn("w:spacing")):
        rpr.remove(old)
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), str(twentieths))
    rpr.insert_element_before(spacing, *_RPR_AFTER_SPACING)


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
    # 28 characters a line in Word and LibreOffice alike: 16 pt - 0.3 pt = 15.7 pt (the PDF: 15.79).
    _char_spacing(normal, -6)
    _no_grid(normal.paragraph_format)
    _no_autospace(normal.element.get_or_add_pPr())
    title = styles["Title"]
    _set_fonts(title, east_asia=TITLE, size=Pt(22), ascii_font=TITLE)
    _set_paragraph_format(title, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    title.paragraph_format.space_after = LINE
    # The Title style of the default template draws a rule under itself and spaces its characters.
    ppr = title.element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")) + ppr.findall(qn("w:contextualSpacing")):
        ppr.remove(border)
    rpr = title.element.get_or_add_rPr()
    for extra in rpr.findall(qn("w:kern")) + rpr.findall(qn("w:color")):
        rpr.remove(extra)
    _char_spacing(title, 0)
    for level, east_asia in HEADING_FONTS.items():
        style = styles[f"Heading {level}"]
        _set_fonts(style, east_asia=east_asia, size=Pt(16))
        _set_paragraph_format(style)
        style.paragraph_format.keep_with_next = True
    table_style = styles["Table Grid"]
    _set_fonts(table_style, east_asia=FANG, size=Pt(12))
    # Defaults: 3号, zh-CN east-Asian language (not the template's en-US / ja-JP).
    defaults = styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    defaults.find(qn("w:sz")).set(qn("w:val"), "32")
    defaults.find(qn("w:szCs")).set(qn("w:val"), "32")
    defaults.find(qn("w:lang")).set(qn("w:eastAsia"), "zh-CN")


def _settings(word: WordDocument) -> None:
    """Current compatibility mode (15: Word 2013 and later), zh-CN theme language, and a font table
    that lists only the fonts the document uses (the template's lists Japanese ones)."""
    settings = word.settings.element
    for setting in settings.iter(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            setting.set(qn("w:val"), "15")
    for lang in settings.iter(qn("w:themeFontLang")):
        lang.set(qn("w:eastAsia"), "zh-CN")
    table = next(r.target_part for r in word.part.rels.values() if r.reltype == RT.FONT_TABLE)
    fonts = "".join(f'<w:font w:name="{name}"/>' for name in FONT_TABLE_FONTS)
    table._blob = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">{fonts}</w:fonts>'
    ).encode()


def _page_number_paragraph(paragraph, *, align) -> None:
    """ "— N —" with N a PAGE field, so Word and LibreOffice number the pages themselves."""
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.first_line_indent = Pt(0)
    fmt.left_indent = Pt(14) if align == WD_ALIGN_PARAGRAPH.LEFT else Pt(0)
    fmt.right_indent = Pt(14) if align == WD_ALIGN_PARAGRAPH.RIGHT else Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    _no_grid(fmt)

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
    section.footer_distance = FOOTER_DISTANCE
    grid = section._sectPr.find(qn("w:docGrid"))
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(GRID_LINE_PITCH))
    grid.set(qn("w:charSpace"), str(GRID_CHAR_SPACE))
    word.settings.odd_and_even_pages_header_footer = True
    _page_number_paragraph(section.footer.paragraphs[0], align=WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number_paragraph(section.even_page_footer.paragraphs[0], align=WD_ALIGN_PARAGRAPH.LEFT)


# A real Word watermark (Design > Watermark makes the same VML shape): 草稿 across every page.
WATERMARK = """<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"
 xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"><w:pict>
<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800"
 path="m@7,l@8,m@5,21600l@6,21600e"><v:path textpathok="t" o:connecttype="custom"/>
<v:textpath on="t" fitshape="t"/><o:lock v:ext="edit" text="t" shapetype="t"/></v:shapetype>
<v:shape id="PowerPlusWaterMarkObject{n}" o:spid="_x0000_s{n}" type="#_x0000_t136"
 style="position:absolute;margin-left:0;margin-top:0;width:400pt;height:200pt;rotation:315;z-index:-251657216;
 mso-position-horizontal:center;mso-position-horizontal-relative:margin;
 mso-position-vertical:center;mso-position-vertical-relative:margin" o:allowincell="f"
 fillcolor="#b0b0b0" stroked="f"><v:fill opacity="0.45"/>
<v:textpath style="font-family:&quot;{font}&quot;;font-size:1pt" string="{text}"/></v:shape>
</w:pict></w:r>"""


def _draft_marker(word: WordDocument) -> None:
    """Not approved: a diagonal 草稿 watermark behind every page (in both page headers)."""
    section = word.sections[0]
    for n, header in enumerate((section.header, section.even_page_header), start=2049):
        paragraph = header.paragraphs[0]
        _no_grid(paragraph.paragraph_format)
        paragraph._p.append(parse_xml(WATERMARK.format(n=n, font=HEI, text=_("DRAFT"))))


def _attachment_heading(word: WordDocument, *, label_text: str, title: str) -> None:
    label = word.add_paragraph()
    label.paragraph_format.first_line_indent = Pt(0)
    label.paragraph_format.page_break_before = True
    run = label.add_run(label_text)
    _set_fonts(run, east_asia=HEI, size=Pt(16))
    word.add_paragraph().paragraph_format.first_line_indent = Pt(0)
    word.add_paragraph(title, style="Title")


def _table(
    word: WordDocument, headers: list[str], rows: list[list[str]], numeric: set[int], widths_mm: list[float]
) -> None:
    table = word.add_table(rows=1, cols=len(headers))
    table.style = word.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths_mm):
        column.width = Mm(width)  # the table grid, which LibreOffice reads (Word reads the cells)
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
        for width, cell in zip(widths_mm, row.cells):
            cell.width = Mm(width)
            for paragraph in cell.paragraphs:
                fmt = paragraph.paragraph_format
                fmt.first_line_indent = Pt(0)
                fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
                fmt.alignment = paragraph.alignment
                _no_grid(fmt)


def document_docx(*, doc: Document) -> bytes:
    word = WordDocument()
    word.core_properties.title = doc.title
    word.core_properties.author = doc.bureau_name
    word.core_properties.language = "zh-CN"
    _styles(word)
    _settings(word)
    _page_setup(word)
    if not doc.is_final:
        _draft_marker(word)

    title = word.add_paragraph(style="Title")
    for i, line in enumerate(doc.title_lines):
        if i:
            title.add_run().add_break(WD_BREAK.LINE)
        title.add_run(line)

    for text in doc.lead:
        word.add_paragraph(text)
    for section in doc.all_sections():
        word.add_paragraph(f"{section.number}{section.heading}", style=f"Heading {section.level}")
        for text in section.paragraphs:
            word.add_paragraph(text)

    if doc.attachments:
        word.add_paragraph()
        for i, a in enumerate(doc.attachments):
            number = f"{a.number}. " if a.number else ""
            p = word.add_paragraph(f"{_('Attachments:') if i == 0 else ''}{number}{a.title}")
            _chars_indent(p.paragraph_format, left=2 if i == 0 else 5)

    # GB/T 9704-2012 §7.3.5.2: one blank line, the name 右空二字, the date two characters further right.
    word.add_paragraph()
    # The date is placed from the left: word processors widen digits next to Chinese unpredictably.
    sig = doc.signature
    name = word.add_paragraph(sig.bureau_name)
    name.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _chars_indent(name.paragraph_format, right=sig.name_right_em)
    date = word.add_paragraph(sig.date_text)
    date.alignment = WD_ALIGN_PARAGRAPH.LEFT
    _chars_indent(date.paragraph_format, left=sig.date_left_em)

    if (a := doc.indicator_attachment) is not None:
        _attachment_heading(word, label_text=a.label, title=a.title)
        notes = doc.indicator_notes  # no empty notes column
        _table(
            word,
            [_("No."), _("Indicator"), _("Unit"), _("Value"), _("Numerator"), _("Denominator")] + [_("Note")] * notes,
            [
                [str(r.number), r.name, r.unit, r.value, r.numerator, r.denominator] + [r.note] * notes
                for r in doc.indicators
            ],
            numeric={0, 3, 4, 5},
            # Sized to the content (an even split squeezed the names): the name takes what is left of 156 mm.
            widths_mm=[13, 156 - 13 - 19 - 3 * 20 - 26 * notes, 19, 20, 20, 20] + [26] * notes,
        )

    for paragraph in word.element.body.iter(qn("w:p")):
        _no_autospace(paragraph.get_or_add_pPr())
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()
