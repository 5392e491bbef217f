import csv
import io

from django.urls import reverse
from openpyxl import load_workbook

from reports.models import AuditEvent

PARAMS = {"bureau": "610100", "year_from": 2020, "year_to": 2026}


def test_csv_is_streamed_with_a_bom_in_long_format(tree, login):
    response = login(tree.users["c_reviewer"]).get(reverse("indicators:export"), {**PARAMS, "format": "csv"})
    assert response.status_code == 200 and response.streaming
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body[1:])))
    assert rows[0] == ["bureau_code", "bureau", "period", "slug", "value", "numerator", "denominator", "unit"]
    assert ["610101", "一县卫健委", "2025", "elderly_mgmt", "50", "10", "20", "%"] in rows
    assert {r[0] for r in rows[1:]} == {"610101", "610102"}  # D is a draft, E is under another city
    assert 'filename="indicators-610100-2020-2026.csv"' in response["Content-Disposition"]
    assert AuditEvent.objects.filter(action="export_values", bureau=tree.city).exists()


def test_xlsx_has_the_same_rows(tree, login):
    response = login(tree.users["c_reviewer"]).get(reverse("indicators:export"), {**PARAMS, "format": "xlsx"})
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("bureau_code", "bureau", "period", "slug")
    assert ("610102", "二县卫健委", "2025", "elderly_mgmt", 12.5, 10, 80, "%") in rows


def _csv_codes(client, **params) -> list[str]:
    response = client.get(reverse("indicators:export"), {**PARAMS, "format": "csv", **params})
    body = b"".join(response.streaming_content).decode("utf-8")
    return sorted(row[0] for row in csv.reader(io.StringIO(body[1:])))[:-1]  # less the header


def test_the_same_file_for_everyone_no_drafts_and_approved_only_on_request(tree, login):
    """Issue 13: the export counts what the roll-up counts, whoever asks: the administrator of the
    province, the city's clerk (whose own report is a draft) and its reviewer get the same rows; a
    draft is in nobody's file, even with the old ?drafts= switch; ?approved=1 keeps approved ones."""
    files = {who: _csv_codes(login(tree.users[who]), drafts="on") for who in ("p_admin", "c_clerk", "c_reviewer")}
    assert files["p_admin"] == files["c_clerk"] == files["c_reviewer"]
    assert set(files["p_admin"]) == {"610101", "610102"}  # not 610103 (D) nor 610100 (C): drafts
    assert set(_csv_codes(login(tree.users["c_clerk"]), approved="1")) == {"610102"}
    event = AuditEvent.objects.filter(action="export_values").order_by("pk").last()
    assert event.detail["approved_only"] is True


def test_years_outside_the_range_are_left_out(tree, login):
    client = login(tree.users["c_reviewer"])
    response = client.get(reverse("indicators:export"), {**PARAMS, "year_from": 2026, "format": "csv"})
    assert b"".join(response.streaming_content).decode("utf-8").count("\n") == 1


def test_a_clerk_cannot_export_a_siblings_subtree(tree, login):
    client = login(tree.users["a_clerk"])
    response = client.get(reverse("indicators:export"), {**PARAMS, "bureau": "610200", "format": "csv"})
    assert response.status_code in (302, 403)
    assert not AuditEvent.objects.filter(action="export_values").exists()


def test_bad_year_range_is_a_message(tree, login):
    client = login(tree.users["c_reviewer"])
    response = client.get(reverse("indicators:export"), {**PARAMS, "year_from": 2027, "year_to": 2020, "format": "csv"})
    assert response.status_code == 302
