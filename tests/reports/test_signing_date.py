"""Issue 15: the signing date (落款日期) is the one the clerk sets in the editor, else the approval
date; a draft without one shows a placeholder. A return or reopening never erases the clerk's date."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document as WordDocument
from pypdf import PdfReader

from reports.models import AuditEvent, Report
from reports.rendering.document import DATE_PLACEHOLDER, build_document
from reports.rendering.formats import render_report
from reports.services import ConflictError, ServiceError
from reports.services.editing import head_fingerprint, report_head_save
from reports.services.workflow import report_approve, report_reopen, report_submit
from tests.reports.documents import make_report

pytestmark = pytest.mark.django_db

SIGNED = datetime.date(2022, 7, 8)  # the period is 2022 H1 (from 2022-01-01)


def _draft():
    report = make_report(state=Report.State.DRAFT, hostile=False)
    clerk = report.bureau.memberships.get().user
    return report, clerk


def _sign(report, clerk, day):
    report, _ = report_head_save(
        report=report,
        acting_user=clerk,
        title=report.title,
        lead=report.lead,
        signed_on=day,
        seen=head_fingerprint(report=report),
    )
    return report


def _pdf_text(content: bytes) -> str:
    return "".join("".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(content)).pages)


def _docx_text(content: bytes) -> str:
    return "\n".join(p.text for p in WordDocument(io.BytesIO(content)).paragraphs)


def test_the_clerk_sets_the_signing_date_through_the_editing_service():
    report, clerk = _draft()
    report = _sign(report, clerk, SIGNED)
    report.refresh_from_db()
    assert report.signed_on == SIGNED
    event = AuditEvent.objects.filter(report=report, action="report_head_save").last()
    assert event.detail["changed"] == ["signed_on"] and event.detail["signed_on"] == "2022-07-08"
    # cleared again: back to the placeholder
    _sign(report, clerk, None)
    report.refresh_from_db()
    assert report.signed_on is None


@pytest.mark.parametrize(
    "day,words",
    [
        (datetime.date(2021, 12, 31), "before the period starts"),
        (timezone.localdate() + datetime.timedelta(days=1), "in the future"),
    ],
)
def test_a_signing_date_before_the_period_or_in_the_future_is_refused(day, words, settings):
    settings.LANGUAGE_CODE = "en"
    report, clerk = _draft()
    with pytest.raises(ServiceError, match=words):
        _sign(report, clerk, day)
    report.refresh_from_db()
    assert report.signed_on is None


def test_someone_elses_new_signing_date_is_a_conflict():
    report, clerk = _draft()
    seen = head_fingerprint(report=report)
    _sign(report, clerk, SIGNED)
    with pytest.raises(ConflictError):
        report_head_save(report=report, acting_user=clerk, title=report.title, lead="", signed_on=None, seen=seen)
    report.refresh_from_db()
    assert report.signed_on == SIGNED


def test_the_editor_shows_saves_and_refuses_the_signing_date(client):
    report, clerk = _draft()
    client.force_login(clerk)
    page = client.get(reverse("report_edit", args=[report.pk])).content.decode()
    assert 'name="head-signed_on"' in page and 'type="date"' in page
    url = reverse("report_head_save", args=[report.pk])
    form = {"head-title": report.title, "head-lead": "", "head-seen": head_fingerprint(report=report)}
    assert client.post(url, {**form, "head-signed_on": "2022-07-08"}).status_code == 302
    report.refresh_from_db()
    assert report.signed_on == SIGNED
    page = client.get(reverse("report_edit", args=[report.pk])).content.decode()
    assert 'value="2022-07-08"' in page
    form["head-seen"] = head_fingerprint(report=report)
    # not a date at all, and a date before the period: refused, in Chinese, the typing kept
    response = client.post(url, {**form, "head-signed_on": "2022-02-30"})
    assert response.status_code == 400 and "落款日期不是有效的日期" in response.content.decode()
    response = client.post(url, {**form, "head-signed_on": "2021-06-30"})
    assert response.status_code == 400 and "落款日期不能早于报告期开始日期" in response.content.decode()
    assert 'value="2021-06-30"' in response.content.decode()
    report.refresh_from_db()
    assert report.signed_on == SIGNED


def test_a_draft_with_the_clerks_date_shows_it_in_pdf_word_and_html():
    report, clerk = _draft()
    assert build_document(report=report).signature.date_text == DATE_PLACEHOLDER
    report = _sign(report, clerk, SIGNED)
    assert build_document(report=report).signature.date == SIGNED
    assert "2022年7月8日" in _pdf_text(render_report(report=report, fmt="pdf"))
    assert "2022年7月8日" in _docx_text(render_report(report=report, fmt="docx"))
    assert "2022年7月8日" in render_report(report=report, fmt="html").decode()


def _approve(report):
    reviewer = report.bureau.parent.memberships.get().user
    return report_approve(report=Report.objects.get(pk=report.pk), acting_user=reviewer), reviewer


def test_approval_without_a_clerks_date_signs_with_the_approval_date_and_reopening_clears_it():
    report, clerk = _draft()
    report = report_submit(report=report, acting_user=clerk)
    report, reviewer = _approve(report)
    approved_on = timezone.localdate(report.approved_at)
    assert build_document(report=report).signature.date == approved_on
    assert f"{approved_on.year}年{approved_on.month}月{approved_on.day}日" in _docx_text(
        render_report(report=report, fmt="docx")
    )
    report = report_reopen(report=report, acting_user=reviewer, reason="数据需更正。")
    assert build_document(report=report).signature.date_text == DATE_PLACEHOLDER


def test_approval_keeps_the_clerks_date_and_reopening_does_not_erase_it():
    report, clerk = _draft()
    _sign(report, clerk, SIGNED)
    report = report_submit(report=Report.objects.get(pk=report.pk), acting_user=clerk)
    report, reviewer = _approve(report)
    assert build_document(report=report).signature.date == SIGNED
    report = report_reopen(report=report, acting_user=reviewer, reason="数据需更正。")
    report.refresh_from_db()
    assert report.signed_on == SIGNED
    assert build_document(report=report).signature.date == SIGNED


def test_the_editor_says_which_parts_of_the_head_it_saved(client):
    report, clerk = _draft()
    client.force_login(clerk)
    url = reverse("report_head_save", args=[report.pk])

    def save(**changes):
        report.refresh_from_db()
        form = {
            "head-title": report.title,
            "head-lead": report.lead,
            "head-signed_on": report.signed_on.isoformat() if report.signed_on else "",
            "head-seen": head_fingerprint(report=report),
        }
        response = client.post(url, {**form, **changes}, follow=True)
        return [str(m) for m in response.context["messages"]]

    assert save(**{"head-signed_on": "2022-07-08"}) == ["已保存：落款日期。"]
    assert save(**{"head-title": "宣州区测试标题", "head-lead": "开头一段。"}) == ["已保存：标题、导语。"]
    assert save() == ["标题、导语和落款日期都没有改动，无需保存。"]
