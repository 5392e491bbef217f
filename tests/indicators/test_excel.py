import io
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from indicators.excel import upload_parse
from indicators.models import IndicatorDefinition, IndicatorValue
from reports.models import AuditEvent, Membership, Report
from tests.factories import MembershipFactory, ReportFactory, ValueFactory

FILES = Path(__file__).parent / "files"


@pytest.fixture
def report(catalogue):
    return ReportFactory()


@pytest.fixture
def clerk(report):
    return MembershipFactory(bureau=report.bureau, role=Membership.Role.STAFF).user


def defs():
    return {d.slug: d for d in IndicatorDefinition.objects.all()}


def xlsx(rows, header=("slug", "name", "unit", "value", "numerator", "denominator", "note")) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(client, report, data: bytes, name="values.xlsx"):
    f = io.BytesIO(data)
    f.name = name
    return client.post(reverse("indicators:excel_upload", args=[report.pk]), {"file": f})


def test_template_has_one_row_per_indicator_with_current_values(report, clerk, login):
    ValueFactory(report=report, definition=defs()["population"], value=Decimal(512000))
    response = login(clerk).get(reverse("indicators:excel_download", args=[report.pk]))
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert len(rows) == 1 + IndicatorDefinition.objects.count()
    assert rows[0][0] == "代码" and rows[0][3] == "数值"  # headers in the user's language
    by_slug = {r[0]: r for r in rows[1:]}
    assert by_slug["population"][3] == 512000 and by_slug["population"][2] == "人"
    assert ws.column_dimensions["B"].width > 20 and ws.protection.sheet
    assert AuditEvent.objects.filter(action="export_values_template", report=report).exists()


def test_round_trip_of_the_downloaded_template(report, clerk, login):
    ValueFactory(report=report, definition=defs()["population"], value=Decimal(512000))
    client = login(clerk)
    data = client.get(reverse("indicators:excel_download", args=[report.pk])).content
    preview = upload_parse(report=report, data=data)
    assert preview.is_valid and preview.changes == []


def test_preview_changes_nothing_and_confirm_saves_everything(report, clerk, login):
    client = login(clerk)
    data = xlsx(
        [
            ("population", "", "", "５１２,０００", None, None, None),
            ("fds_coverage", "", "", None, 256000, 512000, None),
            ("fines", "", "", 45.5, None, None, "含两起大案"),
        ]
    )
    response = upload(client, report, data)
    assert response.status_code == 200
    assert not IndicatorValue.objects.filter(report=report).exists()
    html = response.content.decode()
    assert reverse("indicators:excel_confirm", args=[report.pk]) in html
    token = response.context["token"]
    response = client.post(reverse("indicators:excel_confirm", args=[report.pk]), {"token": token})
    assert response.status_code == 302
    values = {v.definition.slug: v for v in IndicatorValue.objects.filter(report=report)}
    assert values["population"].value == 512000
    assert values["fds_coverage"].value == Decimal("50.00")
    assert values["fines"].note == "含两起大案"
    assert AuditEvent.objects.filter(action="values_import", report=report).exists()
    # the token is used up: confirming again saves nothing more
    response = client.post(reverse("indicators:excel_confirm", args=[report.pk]), {"token": token}, follow=True)
    assert "expired" in response.content.decode() or "已失效" in response.content.decode()


def test_every_rows_problems_are_listed_and_nothing_can_be_confirmed(report, clerk, login):
    client = login(clerk)
    data = xlsx(
        [
            ("population", "", "", "lots", None, None, None),
            ("no_such_thing", "", "", 1, None, None, None),
            ("fds_coverage", "", "", 99, None, None, None),  # out of range: a warning
            ("penalty_cases", "", "", 12, None, None, None),  # fine
            ("fds_key_coverage", "", "", None, 5, None, None),  # only one part
        ]
    )
    response = upload(client, report, data)
    preview = response.context["preview"]
    problems = {r.slug: (r.errors, r.warnings) for r in preview.rows}
    assert problems["population"][0] and problems["no_such_thing"][0] and problems["fds_key_coverage"][0]
    assert problems["fds_coverage"] == ([], problems["fds_coverage"][1]) and problems["fds_coverage"][1]
    assert problems["penalty_cases"] == ([], [])
    assert response.context["token"] == ""
    assert reverse("indicators:excel_confirm", args=[report.pk]) not in response.content.decode()
    assert not IndicatorValue.objects.filter(report=report).exists()


def test_confirm_is_all_or_nothing_when_a_value_changed_meanwhile(report, clerk, login):
    client = login(clerk)
    d = defs()
    value = ValueFactory(report=report, definition=d["population"], value=Decimal(1))
    response = upload(
        client,
        report,
        xlsx([("population", "", "", 2, None, None, None), ("fines", "", "", 3, None, None, None)]),
    )
    token = response.context["token"]
    value.value, value.version = Decimal(5), value.version + 1  # someone else saved meanwhile
    value.save()
    client.post(reverse("indicators:excel_confirm", args=[report.pk]), {"token": token})
    assert IndicatorValue.objects.get(report=report, definition=d["population"]).value == 5
    assert not IndicatorValue.objects.filter(report=report, definition=d["fines"]).exists()


def test_empty_row_removes_a_value_and_says_so(report, clerk):
    ValueFactory(report=report, definition=defs()["population"], value=Decimal(1))
    preview = upload_parse(report=report, data=xlsx([("population", "", "", None, None, None, None)]))
    assert [r.change for r in preview.rows] == ["removed"]


@pytest.mark.parametrize("name", ["libreoffice_edited.xlsx", "libreoffice_template.xlsx"])
def test_files_saved_by_libreoffice(report, name):
    preview = upload_parse(report=report, data=(FILES / name).read_bytes())
    assert preview.is_valid and preview.changes


def test_libreoffice_percent_cells_and_full_width_text(report):
    preview = upload_parse(report=report, data=(FILES / "libreoffice_edited.xlsx").read_bytes())
    got = {r.slug: r.resolved for r in preview.rows}
    assert got["fds_key_coverage"] == 73  # typed as 73% in a percentage cell: 0.73 underneath
    assert got["penalty_cases"] == 123  # "１２３件"
    assert got["nip_vaccination"] == Decimal("98.5")  # "98.5%" as text
    assert got["fds_coverage"] == Decimal("50.00")


def zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * (60 * 1024 * 1024))
    return out.getvalue()


@pytest.mark.parametrize(
    "data, words",
    [
        (b"\x00\x01 not a workbook at all", ("not an Excel workbook", "不是")),
        (b"slug,value\npopulation,1\n", ("not an Excel workbook", "不是")),
        (b"PK\x03\x04" + b"\0" * 200, ("not an Excel workbook", "损坏", "不是")),
        (zip_bomb(), ("too large", "过大")),
        ("truncated", ("damaged", "损坏", "not an Excel", "不是")),
    ],
)
def test_unreadable_files_get_a_clear_message(report, clerk, login, data, words):
    if data == "truncated":
        whole = xlsx([("population", "", "", 1, None, None, None)])
        data = whole[: len(whole) // 2] + whole[-200:]
    response = upload(login(clerk), report, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert any(w in html for w in words), html[-3000:]
    assert not IndicatorValue.objects.filter(report=report).exists()


def test_a_huge_upload_is_refused(report, clerk, login, settings):
    settings.MAX_UPLOAD_BYTES = 1000
    response = upload(login(clerk), report, xlsx([("population", "", "", 1, None, None, None)] * 3))
    assert response.status_code == 400
    assert "MB" in response.content.decode()


def test_too_many_rows_are_refused(report, clerk, login):
    data = xlsx([("population", "", "", i, None, None, None) for i in range(600)])
    response = upload(login(clerk), report, data)
    assert response.status_code == 400


def test_a_sheet_without_the_template_header_is_refused(report, clerk, login):
    response = upload(login(clerk), report, xlsx([(1, 2)], header=("foo", "bar")))
    assert response.status_code == 400


def test_only_the_reports_clerk_may_upload_and_only_while_editable(report, clerk, login, client):
    reviewer = MembershipFactory(bureau=report.bureau, role=Membership.Role.REVIEWER).user
    data = xlsx([("population", "", "", 1, None, None, None)])
    assert upload(login(reviewer), report, data).status_code == 404  # not even seen: hidden, as elsewhere
    Report.objects.filter(pk=report.pk).update(state=Report.State.SUBMITTED)
    assert upload(login(clerk), report, data).status_code == 403


def test_a_template_of_another_report_is_flagged(report, catalogue):
    other = ReportFactory()
    from indicators.excel import template_build

    preview = upload_parse(report=report, data=template_build(report=other))
    assert preview.problems and other.bureau.code in preview.problems[0]
    assert upload_parse(report=report, data=template_build(report=report)).problems == []
