import io
import shutil
import subprocess

import pytest
from docx import Document as WordDocument
from docx.oxml.ns import qn

from reports.models import Report
from reports.rendering.formats import report_docx
from tests.reports.documents import make_report

pytestmark = pytest.mark.django_db


def _open(content: bytes):
    return WordDocument(io.BytesIO(content))


def test_docx_uses_real_heading_styles():
    word = _open(report_docx(report=make_report()))
    by_style = [(p.style.name, p.text) for p in word.paragraphs if p.text]
    assert by_style[0] == ("Title", "宣州区卫生健康委员会\n2022年上半年工作总结")  # title_lines() breaks
    assert ("Heading 1", "一、工作开展情况") in by_style
    assert ("Heading 2", "（一）做实基本公共卫生服务") in by_style
    assert ("Heading 3", "1.签约服务提质扩面") in by_style
    assert ("Heading 1", "二、存在的问题") in by_style
    assert ("Normal", "2023年8月16日") in by_style
    heading1 = word.styles["Heading 1"].element.rPr.rFonts
    assert heading1.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "黑体"


def test_docx_has_the_indicator_table_as_a_word_table_and_no_review_trail():
    word = _open(report_docx(report=make_report()))
    (indicators,) = word.tables
    header = [c.text for c in indicators.rows[0].cells]
    assert header == ["序号", "指标", "单位", "数值", "分子", "分母", "备注"]
    rows = [[c.text for c in row.cells] for row in indicators.rows[1:]]
    assert ["家庭医生签约服务覆盖率", "%", "45.31", "251,665", "555,432"] in [r[1:6] for r in rows]
    assert any(r[1] == "两癌筛查人数" and r[6] == "含外地户籍" for r in rows)
    assert not any("同意。" in p.text for p in word.paragraphs)


def test_docx_page_setup_and_page_number_field():
    content = report_docx(report=make_report())
    word = _open(content)
    section = word.sections[0]
    assert round(section.top_margin.mm) == 37 and round(section.left_margin.mm) == 28
    assert round(section.bottom_margin.mm) == 35 and round(section.right_margin.mm) == 26
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    for footer in (section.footer, section.even_page_footer):
        xml = footer._element.xml
        assert "PAGE" in xml and "fldChar" in xml and "— " in xml


def test_user_text_is_escaped_in_the_docx():
    word = _open(report_docx(report=make_report()))
    assert any("<script>alert('x')</script> & <b>粗体</b>" == p.text for p in word.paragraphs)


def test_draft_docx_has_a_real_watermark_in_both_page_headers():
    report = make_report(state=Report.State.DRAFT)
    word = _open(report_docx(report=report))
    for header in (word.sections[0].header, word.sections[0].even_page_header):
        xml = header._element.xml
        assert "PowerPlusWaterMarkObject" in xml and 'string="草稿"' in xml
    Report.objects.filter(pk=report.pk).update(state=Report.State.APPROVED)
    final = _open(report_docx(report=report))
    assert "PowerPlusWaterMarkObject" not in final.sections[0].header._element.xml


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice not installed")
def test_docx_converts_in_libreoffice(tmp_path):
    source = tmp_path / "report.docx"
    source.write_bytes(report_docx(report=make_report()))
    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(tmp_path / "report.pdf").pages)
    text = "".join(text.split())
    assert "一、工作开展情况" in text and "家庭医生签约服务覆盖率" in text


def test_docx_view(client):
    report = make_report()
    client.force_login(report.bureau.memberships.get().user)
    response = client.get(f"/reports/{report.pk}/docx/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert ".docx" in response["Content-Disposition"]
    _open(response.content)


def test_docx_grid_language_compatibility_fonts_and_title_spacing():
    """Issue 15: 27 characters a line, en-US east-Asian language, Word 2010 compatibility mode,
    Japanese fonts in the font table and +0.25 pt title character spacing."""
    import zipfile

    content = report_docx(report=make_report())
    parts = zipfile.ZipFile(io.BytesIO(content))
    document, styles = parts.read("word/document.xml").decode(), parts.read("word/styles.xml").decode()
    settings, fonts = parts.read("word/settings.xml").decode(), parts.read("word/fontTable.xml").decode()
    assert '<w:docGrid w:linePitch="579" w:type="linesAndChars" w:charSpace="-848"/>' in document
    assert 'w:eastAsia="zh-CN"' in styles.split("</w:docDefaults>")[0]
    assert 'w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"' in settings
    assert "MS Mincho" not in fonts and "仿宋" in fonts and "宋体" in fonts
    word = _open(content)
    title_spacing = word.styles["Title"].element.rPr.find(qn("w:spacing"))
    assert title_spacing is None or title_spacing.get(qn("w:val")) == "0"
