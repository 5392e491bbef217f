"""Hostile input against the real features: the editor, review comments, the text import and the
Excel upload. Script and HTML come back as text; huge, control-character, invalid, corrupt and
zip-bomb input gets a clear message in Chinese, the server stays up, and nothing is half-written
(the report's fingerprint does not move). PDF / Word escaping: tests/reports/test_rendering_pdf.py
and the documents tests of issue 5 (not repeated here)."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from reports.models import Report, Section

from .hostile import (
    CONTROL_CHARS,
    INVALID_UTF8,
    MB,
    NUL,
    SCRIPT_PAYLOADS,
    assert_server_up,
    assert_shown_as_text,
    corrupt_zip,
    huge_text,
    multipart,
    report_fingerprint,
    zip_bomb,
)

pytestmark = pytest.mark.django_db


def zh(msgid: str) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(msgid)


@pytest.fixture
def draft(demo):
    """xuanzhou's current draft, with its sections."""
    report = Report.objects.filter(bureau__code="341802", state=Report.State.DRAFT).order_by("-period__year").first()
    assert report is not None and Section.objects.filter(report=report).count() >= len(SCRIPT_PAYLOADS)
    return report


def save_section(client, section: Section, *, heading: str, body: str):
    p = f"s{section.pk}"
    url = reverse("section_save", kwargs={"pk": section.report_id, "sid": section.pk})
    return client.post(url, {f"{p}-heading": heading, f"{p}-body": body, f"{p}-version": section.version})


# ----- the editor ----------------------------------------------------------------------------------


def test_script_in_headings_and_bodies_is_shown_as_text(draft, login):
    client = login("xuanzhou_staff")
    sections = list(Section.objects.filter(report=draft).order_by("pk"))
    for section, payload in zip(sections, SCRIPT_PAYLOADS):
        response = save_section(client, section, heading=payload, body=f"第一段{payload}\n{payload}")
        assert response.status_code == 302, payload
    pages = {
        "editor": client.get(reverse("report_edit", kwargs={"pk": draft.pk})),
        "detail": client.get(reverse("report_detail", kwargs={"pk": draft.pk})),
        "history": client.get(reverse("report_history", kwargs={"pk": draft.pk})),
        "submit": client.get(reverse("report_submit", kwargs={"pk": draft.pk})),
    }
    for name, response in pages.items():
        assert response.status_code == 200, name
        page = response.content.decode()
        for payload in SCRIPT_PAYLOADS:
            if name in ("editor", "detail"):
                assert_shown_as_text(page, payload)
            elif any(c in payload for c in '<>"'):
                assert payload not in page, (name, payload)
        assert "<script>alert" not in page, name


def test_control_characters_and_nul_in_a_section(draft, login):
    """NUL (PostgreSQL cannot store it) and other control characters are removed at the door
    (reports/text.py, issue 12): the rest of the text is saved, never a 500."""
    client = login("xuanzhou_staff")
    section = Section.objects.filter(report=draft).order_by("pk").first()
    response = save_section(client, section, heading="标题" + NUL, body="正文" + NUL + "结束")
    assert response.status_code == 302
    section.refresh_from_db()
    assert (section.heading, section.body) == ("标题", "正文结束")
    response = save_section(client, section, heading="标题" + CONTROL_CHARS, body=CONTROL_CHARS + "\n正文")
    assert response.status_code == 302
    section.refresh_from_db()
    assert section.heading.startswith("标题") and section.body.endswith("正文")
    assert not any(ord(c) < 32 and c not in "\t\n" for c in section.heading + section.body)
    assert client.get(reverse("report_detail", kwargs={"pk": draft.pk})).status_code == 200
    assert client.get(reverse("report_pdf", kwargs={"pk": draft.pk})).status_code == 200
    assert_server_up(client)


def test_a_huge_section_body_is_refused_whole(draft, login, settings):
    """Past the section limit: a message in Chinese (400), nothing saved; past the form-size limit:
    the 413 page; just under the section limit: saved whole."""
    client = login("xuanzhou_staff")
    section = Section.objects.filter(report=draft).order_by("pk").first()
    before = report_fingerprint(draft.pk)
    limit = settings.REPORT_SECTION_MAX_CHARS
    response = save_section(client, section, heading="标题", body="卫" * (limit + 1))
    assert response.status_code == 400
    assert "一个章节的正文最多" in response.content.decode()
    assert report_fingerprint(draft.pk) == before
    response = save_section(client, section, heading="标题", body=huge_text(12 * MB))
    assert response.status_code == 413 and "文件过大" in response.content.decode()
    assert report_fingerprint(draft.pk) == before
    body = "卫" * limit
    assert save_section(client, section, heading="标题", body=body).status_code == 302
    section.refresh_from_db()
    assert section.body == body
    assert_server_up(client)


# ----- review comments -------------------------------------------------------------------------------


def test_review_comments_are_shown_as_text(demo, login):
    report = Report.objects.get(bureau__code="341882", state=Report.State.SUBMITTED)
    section = Section.objects.filter(report=report).order_by("pk").first()
    payload = "\n".join(SCRIPT_PAYLOADS)
    reviewer = login("xuancheng_reviewer")
    response = reviewer.post(
        reverse("report_review", kwargs={"pk": report.pk}),
        {"decision": "return", "comment": payload, f"section_{section.pk}": SCRIPT_PAYLOADS[1]},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == Report.State.RETURNED
    clerk = login("guangde_staff")
    for url in (reverse("report_history", kwargs={"pk": report.pk}), reverse("report_edit", kwargs={"pk": report.pk})):
        page = clerk.get(url).content.decode()
        assert SCRIPT_PAYLOADS[1] not in page and "<script>alert" not in page, url
    history = clerk.get(reverse("report_history", kwargs={"pk": report.pk})).content.decode()
    for line in SCRIPT_PAYLOADS:
        assert_shown_as_text(history, line)
    assert_shown_as_text(
        clerk.get(reverse("report_edit", kwargs={"pk": report.pk})).content.decode(), SCRIPT_PAYLOADS[1]
    )


# ----- the text import -------------------------------------------------------------------------------

IMPORT_TEXT = "一、总体情况\n{p}\n二、{p}\n正文{p}\n"


def test_import_preview_shows_script_as_text(draft, login):
    client = login("xuanzhou_staff")
    url = reverse("report_import", kwargs={"pk": draft.pk})
    text = "".join(IMPORT_TEXT.format(p=p) for p in SCRIPT_PAYLOADS[:3])
    before = report_fingerprint(draft.pk)
    assert client.post(url, {"action": "preview", "text": text}).status_code == 302
    page = client.get(url + "?step=preview").content.decode()
    for payload in SCRIPT_PAYLOADS[:3]:
        assert_shown_as_text(page, payload)
    assert report_fingerprint(draft.pk) == before  # the preview changes nothing


def _import_upload(client, report, name: str, data: bytes):
    f = io.BytesIO(data)
    f.name = name
    return client.post(reverse("report_import", kwargs={"pk": report.pk}), {"action": "preview", "file": f})


def test_import_upload_with_invalid_utf8(draft, login):
    """Not UTF-8: read as GB18030 if it is that, else a form message naming the position."""
    client = login("xuanzhou_staff")
    before = report_fingerprint(draft.pk)
    for raw in INVALID_UTF8:
        response = _import_upload(client, draft, "报告.txt", "一、总体情况\n".encode() + raw + b"\n" + raw)
        assert response.status_code in (200, 302), raw
        if response.status_code == 200:
            page = response.content.decode()
            assert "invalid-feedback" in page or "alert-danger" in page or "errorlist" in page, raw
            assert re.search(r"[\u4e00-\u9fff]", page)
    response = _import_upload(client, draft, "二进制.txt", b"\x00\x01\x02" + bytes(range(256)))
    assert response.status_code == 200
    assert (
        zh(
            "The file is not text in UTF-8, UTF-16, GB18030 or Big5 (unreadable bytes at position %(position)s). "
            "Save it as UTF-8 text and try again."
        ).split("（")[0][:8]
        in response.content.decode()
    )
    assert report_fingerprint(draft.pk) == before
    assert_server_up(client)


@pytest.mark.parametrize("kind", ["corrupt", "bomb"])
def test_import_upload_of_a_bad_docx(draft, login, kind):
    client = login("xuanzhou_staff")
    data = corrupt_zip("docx") if kind == "corrupt" else zip_bomb("docx")
    before = report_fingerprint(draft.pk)
    response = _import_upload(client, draft, "报告.docx", data)
    assert response.status_code == 200
    message = {
        "corrupt": "The file is not a readable Word (.docx) document.",
        "bomb": "This Word document unpacks to too much data to be a report. Save the text as .txt and try again.",
    }[kind]
    assert zh(message) in response.content.decode()
    assert report_fingerprint(draft.pk) == before
    assert f"report_import:{draft.pk}" not in client.session
    assert_server_up(client)


# ----- the Excel upload ------------------------------------------------------------------------------


# what a worksheet can hold of CONTROL_CHARS (openpyxl refuses the C0 controls when writing)
XLSX_CONTROL = ILLEGAL_CHARACTERS_RE.sub("", CONTROL_CHARS)


def _xlsx(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["slug", "name", "unit", "value", "numerator", "denominator", "note"])
    for row in rows:
        ws.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _excel_upload(client, report, data: bytes, name: str = "values.xlsx"):
    f = io.BytesIO(data)
    f.name = name
    return client.post(reverse("indicators:excel_upload", kwargs={"pk": report.pk}), {"file": f})


def test_excel_note_cells_are_shown_as_text(draft, login):
    client = login("xuanzhou_staff")
    payload = SCRIPT_PAYLOADS[1]
    response = _excel_upload(client, draft, _xlsx([("population", "", "", 123456, None, None, payload)]))
    assert response.status_code == 200
    assert_shown_as_text(response.content.decode(), payload)
    token = client.session["indicator_upload"]["token"]
    response = client.post(reverse("indicators:excel_confirm", kwargs={"pk": draft.pk}), {"token": token})
    assert response.status_code == 302
    page = client.get(reverse("indicators:report_values", kwargs={"pk": draft.pk})).content.decode()
    assert_shown_as_text(page, payload)
    editor = client.get(reverse("report_edit", kwargs={"pk": draft.pk}) + "?tab=indicators").content.decode()
    assert payload not in editor


@pytest.mark.parametrize(
    "kind, message",
    [
        ("corrupt", "This is not an Excel workbook (.xlsx). Save the file as .xlsx and try again."),  # cut off
        ("bomb", "This workbook is too large to read. Keep only the indicator sheet."),
        ("not a zip", "This is not an Excel workbook (.xlsx). Save the file as .xlsx and try again."),
        ("control", None),
    ],
)
def test_excel_upload_of_bad_files(draft, login, kind, message):
    client = login("xuanzhou_staff")
    data = {
        "corrupt": lambda: corrupt_zip("xlsx"),
        "bomb": lambda: zip_bomb("xlsx"),
        "not a zip": lambda: "一、总体情况".encode("gb18030") + b"\xff\xfe",
        "control": lambda: _xlsx([("population", "", "", "12" + XLSX_CONTROL, None, None, XLSX_CONTROL)]),
    }[kind]()
    before = report_fingerprint(draft.pk)
    response = _excel_upload(client, draft, data)
    assert response.status_code in (200, 400)
    page = response.content.decode()
    if message:
        assert response.status_code == 400 and zh(message) in page
    else:
        assert "✗" in page  # the row is marked, nothing to confirm
        assert not client.session.get("indicator_upload")
    assert report_fingerprint(draft.pk) == before
    assert_server_up(client)


# ----- 50 MB to the upload views ------------------------------------------------------------------


def test_fifty_megabytes_to_the_import_and_excel_views(draft, login):
    client = login("xuanzhou_staff")
    before = report_fingerprint(draft.pk)
    body, content_type = multipart({"action": "preview"}, {"file": ("big.xlsx", b"\0" * (50 * MB))})
    for url in (
        reverse("report_import", kwargs={"pk": draft.pk}),
        reverse("indicators:excel_upload", kwargs={"pk": draft.pk}),
    ):
        response = client.generic("POST", url, body, content_type=content_type)
        assert response.status_code == 413, url
        assert "文件过大" in response.content.decode()
    assert report_fingerprint(draft.pk) == before
    assert_server_up(client)


def test_just_over_the_upload_limit_gets_the_forms_message(draft, login, settings):
    """Under the 413 guard but over MAX_UPLOAD_BYTES: each view's own message, nothing read."""
    settings.MAX_UPLOAD_BYTES = 1 * MB
    client = login("xuanzhou_staff")
    before = report_fingerprint(draft.pk)
    message = zh("The file is larger than %(size)s MB.") % {"size": 1}
    response = _excel_upload(client, draft, b"PK" + b"\0" * (2 * MB))
    assert response.status_code == 400 and message in response.content.decode()
    response = _import_upload(client, draft, "big.txt", "一、".encode() + b"a" * (2 * MB))
    assert response.status_code == 200 and message in response.content.decode()
    assert report_fingerprint(draft.pk) == before
