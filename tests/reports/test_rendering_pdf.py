import io
import re

import pytest
from pypdf import PdfReader

from indicators.numbers import number_text as format_decimal
from reports.models import Report
from reports.rendering.document import build_document, chinese_date
from reports.rendering.formats import report_pdf
from reports.rendering.layout import title_lines
from reports.rendering.pdf import document_pdf
from tests.reports.documents import HOSTILE, make_report

pytestmark = pytest.mark.django_db


def _pages(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def _fonts(content: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(content)).pages:
        fonts = page["/Resources"].get_object().get("/Font") or {}
        for ref in fonts.values():
            names.add(str(ref.get_object()["/BaseFont"]).lstrip("/"))
    return names


def test_document_structure_is_built_in_a_few_queries(django_assert_max_num_queries):
    report = make_report()
    with django_assert_max_num_queries(3):
        doc = build_document(report=report)
    assert [s.number for s in doc.all_sections()] == ["一、", "（一）", "1.", "二、"]
    assert doc.signature.date_text == "2023年8月16日"
    assert doc.indicators[0].name == "两癌筛查人数" or doc.indicators[1].name == "两癌筛查人数"
    rate = next(r for r in doc.indicators if r.unit == "%")
    assert (rate.value, rate.numerator, rate.denominator) == ("45.31", "251,665", "555,432")  # thousands grouped
    assert doc.trail == ()  # the official document never carries the review trail
    with django_assert_max_num_queries(4):
        internal = build_document(report=report, audience="internal")
    assert [t.to_state for t in internal.trail] == ["Submitted", "Approved"] or len(internal.trail) == 2
    assert doc.is_final


def test_helpers():
    import datetime
    from decimal import Decimal

    assert chinese_date(datetime.date(2023, 8, 6)) == "2023年8月6日"
    assert format_decimal(Decimal("12.5000")) == "12.5"
    assert format_decimal(Decimal("3E+2")) == "300"
    assert format_decimal(None) == ""
    lines = title_lines("内蒙古自治区呼和浩特市土默特左旗卫生健康委员会关于2025年上半年工作总结及下半年工作安排的报告")
    assert len(lines) == 3 and all(len(line) > 1 for line in lines)
    assert title_lines("宣州区卫生健康委员会2025年工作总结") == ("宣州区卫生健康委员会2025年工作总结",)


def test_pdf_has_title_headings_figures_and_page_numbers():
    content = report_pdf(report=make_report())
    pages = _pages(content)
    first = pages[0]
    assert "宣州区卫生健康委员会2022年上半年工作总结" in first.replace("\n", "")
    assert "一、工作开展情况" in first
    assert "（一）做实基本公共卫生服务" in first
    assert "1.签约服务提质扩面" in first
    assert "45.31%" in first
    assert "宣州区卫生健康委员会" in pages[0] and "2023年8月16日" in "".join(pages)
    for number, text in enumerate(pages, start=1):
        assert re.search(rf"—\s*{number}\s*—", text), f"page {number} has no page number"
    # The indicator table, the only attachment (so not numbered), on its own page; no review trail.
    table_page = next(i for i, t in enumerate(pages) if t.startswith("附件"))
    assert table_page > 0 and "主要指标完成情况" in pages[table_page]
    assert "251,665" in pages[table_page] and "555,432" in pages[table_page] and "含外地户籍" in pages[table_page]
    assert "审核记录" not in "".join(pages) and "同意。" not in "".join(pages)


def test_pdf_embeds_cjk_font_subsets_only():
    fonts = _fonts(report_pdf(report=make_report()))
    assert fonts, "no fonts embedded"
    for name in fonts:
        assert re.match(r"^[A-Z]{6}\+", name), f"{name} is not a subset"
    assert any("HR-Fang" in n for n in fonts)  # 仿宋 body (FandolFang)
    assert any("HR-Hei" in n for n in fonts)  # 黑体 for 一、 (Noto Sans CJK SC, pre-subset)
    assert any("HR-Kai" in n for n in fonts)  # 楷体 for （一） (AR PL UKai CN, pre-subset)
    assert any("HR-Title" in n for n in fonts)  # title (Noto Serif CJK SC Bold, pre-subset)
    assert any("HR-Song" in n for n in fonts)  # page numbers: 宋体 (Noto Serif CJK SC, digits only)


def test_kept_font_files_change_nothing_in_the_pdf(monkeypatch):
    """reports/rendering/fontcache.py only saves copying: the same bytes as plain WeasyPrint with a
    font configuration of its own, and what it keeps are whole shipped font files, one per face."""
    from pathlib import Path

    from weasyprint import CSS, HTML
    from weasyprint.pdf import fonts as pdf_fonts
    from weasyprint.text import fonts as text_fonts

    from reports.rendering import fontcache
    from reports.rendering.pdf import PDF_CSS, document_html

    doc = build_document(report=make_report(state=Report.State.DRAFT))
    html = document_html(doc=doc)
    first, second = document_pdf(doc=doc), document_pdf(doc=doc)  # the second from kept files
    with monkeypatch.context() as plain:
        plain.setattr(pdf_fonts, "get_hb_object_data", text_fonts.get_hb_object_data)  # nothing kept
        own = text_fonts.FontConfiguration()
        stylesheet = CSS(filename=str(PDF_CSS), font_config=own)
        fresh = HTML(string=html, base_url=str(PDF_CSS.parent)).write_pdf(stylesheets=[stylesheet], font_config=own)
    assert first == second == fresh
    shipped = {p.stat().st_size for p in (Path(PDF_CSS).parent.parent / "fonts").glob("*.[ot]tf")}
    kept = [data for _face, data in fontcache._faces.values()]
    assert len(kept) >= 5 and {len(data) for data in kept} <= shipped


def test_draft_carries_the_watermark_on_every_page_and_approved_does_not():
    report = make_report(state=Report.State.DRAFT)
    for text in _pages(report_pdf(report=report)):
        assert re.search(r"草\s*稿", text)
    report.state = Report.State.APPROVED
    report.save()
    first = _pages(report_pdf(report=report))[0]
    assert not re.search(r"草\s*稿", first)


def test_user_text_is_escaped_in_the_pdf():
    text = "".join(_pages(report_pdf(report=make_report())))
    assert "<script>alert('x')</script>" in text
    assert "<b>粗体</b>" in text


def test_no_tofu_for_traditional_sample_text():
    """Every character of the traditional sample comes out of the PDF as itself (a missing glyph
    would extract as nothing or as a .notdef box)."""
    from pathlib import Path

    sample = Path("/work/shared/samples/xuanzhou-2022-h1-traditional.txt")
    if not sample.exists():
        pytest.skip("sample not available")
    chars = sorted({c for c in sample.read_text(encoding="utf-8") if ord(c) > 0x3000 and not c.isspace()})
    report = make_report(hostile=False)
    doc = build_document(report=report)
    from dataclasses import replace

    from reports.rendering.document import DocSection

    chunk = "".join(chars)
    doc = replace(doc, sections=(DocSection(number="一、", heading=chunk[:30], depth=1, paragraphs=(chunk,)),))
    text = "".join(_pages(document_pdf(doc=doc))).replace("\n", "").replace(" ", "")
    missing = [c for c in chars if c not in text]
    assert not missing, "".join(missing)


def test_pdf_view_answers_with_chinese_filename_and_records_the_export(client):
    from reports.models import AuditEvent

    report = make_report()
    client.force_login(report.bureau.memberships.get().user)
    response = client.get(f"/reports/{report.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert "%E5%AE%A3%E5%B7%9E" in response["Content-Disposition"]  # 宣州
    assert AuditEvent.objects.filter(action="export_pdf", report=report).exists()


def test_pdf_view_hides_reports_the_user_may_not_see(client):
    from tests.factories import UserFactory

    report = make_report()
    client.force_login(UserFactory(username="stranger"))
    assert client.get(f"/reports/{report.pk}/pdf/").status_code == 404
    assert client.get(f"/reports/{report.pk}/").status_code == 404


def test_read_view_shows_document_escaped_and_allowed_buttons(client, django_assert_max_num_queries):
    report = make_report(state=Report.State.DRAFT)
    client.force_login(report.bureau.memberships.get().user)
    response = client.get(f"/reports/{report.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert HOSTILE not in html
    assert f"/reports/{report.pk}/edit/" in html and f"/reports/{report.pk}/submit/" in html
    assert f"/reports/{report.pk}/review/" not in html
    assert f"/reports/{report.pk}/pdf/" in html and f"/reports/{report.pk}/docx/" in html
    assert "style=" not in html.split("<main", 1)[1]


def test_read_view_query_count_does_not_grow_with_the_report(client, django_assert_max_num_queries):
    from tests.factories import SectionFactory

    report = make_report(state=Report.State.DRAFT)
    client.force_login(report.bureau.memberships.get().user)
    for i in range(30):
        SectionFactory(report=report, position=10 + i, heading=f"补充事项{i}", body="内容。")
    with django_assert_max_num_queries(10):
        assert client.get(f"/reports/{report.pk}/").status_code == 200
