"""Issue 15: the official document is the same on every output, carries no internal review log,
breaks its title well, signs per GB/T 9704-2012 §7.3.5.2 and is frozen when approved."""

import datetime
import hashlib
import io

import pytest
from docx import Document as WordDocument
from pypdf import PdfReader

from reports.models import AuditEvent, Report
from reports.rendering.document import build_document
from reports.rendering.formats import FORMATS, output_format, render_report
from reports.rendering.layout import title_lines, title_width
from tests.reports.documents import make_report

pytestmark = pytest.mark.django_db


def _text(content: bytes) -> str:
    return "".join("".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(content)).pages)


# ----- one registry of output formats -----------------------------------------------------------


def test_the_registry_names_renderer_type_extension_and_audit_action():
    assert set(FORMATS) >= {"pdf", "docx", "html", "review-log"}
    pdf = output_format("pdf")
    assert (pdf.extension, pdf.content_type, pdf.audit_action) == ("pdf", "application/pdf", "export_pdf")
    assert output_format("docx").extension == "docx"
    with pytest.raises(ValueError):
        output_format("odt")


def test_official_outputs_never_carry_the_review_log():
    report = make_report()
    assert build_document(report=report).trail == ()
    assert build_document(report=report, audience="internal").trail
    pdf = _text(render_report(report=report, fmt="pdf"))
    assert "审核记录" not in pdf and "同意。" not in pdf and "宣城市审核员" not in pdf
    word = WordDocument(io.BytesIO(render_report(report=report, fmt="docx")))
    assert len(word.tables) == 1  # the indicators only
    assert not any("审核记录" in p.text for p in word.paragraphs)
    html = render_report(report=report, fmt="html").decode()
    assert "审核记录" not in html and "同意。" not in html


def test_a_lone_attachment_is_not_numbered():
    pdf = _text(render_report(report=make_report(), fmt="pdf"))
    assert "附件：主要指标完成情况" in pdf
    assert "附件1" not in pdf and "1.主要指标" not in pdf


def test_the_review_log_is_its_own_internal_download(client):
    report = make_report()
    client.force_login(report.bureau.memberships.get().user)
    response = client.get(f"/reports/{report.pk}/review-log/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _text(response.content)
    assert "审核记录" in text and "同意。" in text and "宣城市审核员" in text
    assert AuditEvent.objects.filter(action="export_review_log", report=report).exists()


# ----- the title --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "title,bureau",
    [
        ("宣州区卫生健康委员会2026年上半年工作总结和下半年工作安排", "宣州区卫生健康委员会"),
        ("宣城市宣州区卫生健康委员会关于2026年上半年卫生健康工作情况的报告", "宣城市宣州区卫生健康委员会"),
        (
            "内蒙古自治区呼和浩特市土默特左旗卫生健康委员会关于2025年上半年工作总结及下半年工作安排的报告",
            "内蒙古自治区呼和浩特市土默特左旗卫生健康委员会",
        ),
        ("青山县卫生健康局关于开展ABCD2026专项行动和年度卫生健康工作的总结", "青山县卫生健康局"),
    ],
)
def test_title_lines_are_balanced_and_never_split_a_number_or_a_word(title, bureau):
    lines = title_lines(title, bureau_name=bureau)
    assert "".join(lines) == title
    assert all(len(line) >= 2 for line in lines), lines
    for a, b in zip(lines, lines[1:]):
        assert not (a[-1].isascii() and a[-1].isalnum() and b[0].isascii() and b[0].isalnum()), lines
        assert not (a.endswith("卫生") and b.startswith("健康")), lines
    widths = [title_width(line) for line in lines]
    assert max(widths) <= 20 and max(widths) - min(widths) <= 4, lines


def test_a_title_just_over_one_line_because_of_its_digits_wraps_without_a_lone_character():
    # 22 characters, four of them digits 0.594 em wide in the title face: 20.4 em, more than a line.
    lines = title_lines("宣州区卫生健康委员会2026年上半年工作总结", bureau_name="宣州区卫生健康委员会")
    assert len(lines) == 2 and min(len(line) for line in lines) >= 5
    assert lines[0] == "宣州区卫生健康委员会"


def test_title_breaks_are_the_same_in_pdf_word_and_web():
    report = make_report()
    report.title = "宣州区卫生健康委员会关于2026年上半年卫生健康工作情况的报告"
    Report.objects.filter(pk=report.pk).update(title=report.title)
    lines = build_document(report=report).title_lines
    assert len(lines) == 2
    word = WordDocument(io.BytesIO(render_report(report=report, fmt="docx")))
    assert word.paragraphs[0].text.split("\n") == list(lines)
    html = render_report(report=report, fmt="html").decode()
    assert "<br>".join(lines) in html
    first_page = PdfReader(io.BytesIO(render_report(report=report, fmt="pdf"))).pages[0].extract_text()
    assert [line.strip() for line in first_page.splitlines()[:2]] == list(lines)


# ----- signature and date -----------------------------------------------------------------------


def test_a_draft_shows_a_date_placeholder_not_today():
    doc = build_document(report=make_report(state=Report.State.DRAFT))
    today = datetime.date.today()
    assert doc.signature.date is None
    assert f"{today.year}年{today.month}月{today.day}日" not in doc.signature.date_text
    assert "年" in doc.signature.date_text and "月" in doc.signature.date_text


def test_signature_indents_follow_gbt9704():
    from reports.rendering.layout import signature_indents

    # Name longer than the date by two characters or more: name 2 characters from the right,
    # the date's first character 2 characters right of the name's first.
    name_right, date_right = signature_indents(name_width=10, date_width=5.5)
    assert name_right == 2 and 10 + name_right - 2 == 5.5 + date_right
    # A date longer than that: the date 2 characters from the right, the name moves left with it.
    name_right, date_right = signature_indents(name_width=5, date_width=5.5)
    assert date_right == 2 and name_right + 5 - 2 == date_right + 5.5


# ----- frozen at approval -----------------------------------------------------------------------


def _approved_through_the_service(django_capture_on_commit_callbacks):
    from reports.services.workflow import report_approve

    report = make_report(state=Report.State.SUBMITTED)
    reviewer = report.bureau.parent.memberships.get().user
    with django_capture_on_commit_callbacks(execute=True):
        report_approve(report=report, acting_user=reviewer)
    return report, reviewer


def test_approval_freezes_pdf_and_word_and_renaming_the_bureau_changes_nothing(
    client, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    report, reviewer = _approved_through_the_service(django_capture_on_commit_callbacks)
    frozen = {f.format: f for f in report.frozen_documents.all()}
    assert set(frozen) == {"pdf", "docx"}
    client.force_login(reviewer)
    before = b"".join(client.get(f"/reports/{report.pk}/pdf/").streaming_content)
    assert hashlib.sha256(before).hexdigest() == frozen["pdf"].sha256
    event = AuditEvent.objects.get(action="freeze", report=report)
    assert event.detail["pdf_sha256"] == frozen["pdf"].sha256
    assert event.detail["docx_sha256"] == frozen["docx"].sha256

    report.bureau.name = "宣州区卫生和健康委员会"
    report.bureau.save()
    after = b"".join(client.get(f"/reports/{report.pk}/pdf/").streaming_content)
    assert after == before
    word = b"".join(client.get(f"/reports/{report.pk}/docx/").streaming_content)
    assert hashlib.sha256(word).hexdigest() == frozen["docx"].sha256
    page = client.get(f"/reports/{report.pk}/").content.decode()
    assert frozen["pdf"].sha256 in page


def test_reopening_discards_the_frozen_files(django_capture_on_commit_callbacks, settings, tmp_path):
    from django.core.files.storage import default_storage

    from reports.services.workflow import report_reopen

    settings.MEDIA_ROOT = tmp_path
    report, reviewer = _approved_through_the_service(django_capture_on_commit_callbacks)
    names = [f.file.name for f in report.frozen_documents.all()]
    assert names and all(default_storage.exists(n) for n in names)
    with django_capture_on_commit_callbacks(execute=True):
        report_reopen(report=report, acting_user=reviewer, reason="数字有误。")
    assert not report.frozen_documents.exists()
    assert not any(default_storage.exists(n) for n in names)
    assert AuditEvent.objects.filter(action="unfreeze", report=report).exists()


# ----- the indicator table and draft marking ----------------------------------------------------


def test_indicator_table_groups_thousands_and_drops_an_empty_notes_column():
    from indicators.models import IndicatorValue
    from indicators.numbers import number_text as grouped

    assert grouped(__import__("decimal").Decimal("-1234567.50")) == "-1,234,567.5"
    report = make_report()
    html = render_report(report=report, fmt="html").decode()
    assert "251,665" in html and "13,921" in html and 'class="col-unit"' in html and "col-note" in html
    IndicatorValue.objects.filter(report=report).update(note="")
    html = render_report(report=report, fmt="html").decode()
    assert "col-note" not in html
    word = WordDocument(io.BytesIO(render_report(report=report, fmt="docx")))
    assert [c.text for c in word.tables[0].rows[0].cells] == ["序号", "指标", "单位", "数值", "分子", "分母"]


def test_the_web_view_marks_a_draft_over_the_whole_sheet_and_loads_the_pdf_fonts(client):
    from django.contrib.staticfiles import finders

    report = make_report(state=Report.State.DRAFT)
    client.force_login(report.bureau.memberships.get().user)
    page = client.get(f"/reports/{report.pk}/").content.decode()
    assert 'class="doc-paper is-draft"' in page
    css = open(finders.find("css/document.css"), encoding="utf-8").read()
    assert "draft-watermark.svg" in css and "FandolFang-Regular.otf" in css
    assert "text-indent: 31.58pt" in css.split("@media print", 1)[1]
