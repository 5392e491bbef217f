"""Issue 12: text is clean at every door (editor, Excel, admin) and every exit never fails on it."""

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from indicators.models import IndicatorDefinition, IndicatorValue
from indicators.services import ValueInput, values_save
from reports.models import Membership, Section
from reports.text import clean_text, tidy_paragraphs
from tests.factories import MembershipFactory, ReportFactory, SectionFactory, ValueFactory

ROOT = Path(__file__).resolve().parents[2]
DIRTY = "第一段\x01内容\x1b[31m\r\n第二段\x0b续行\x00\x7f"


def test_clean_text_removes_control_characters_and_normalises_newlines():
    assert clean_text(DIRTY) == "第一段内容[31m\n第二段\n续行"
    assert clean_text("a\tb\rc\r\nd\u2028e") == "a\tb\nc\nd\ne"
    assert clean_text("") == "" and clean_text(None) == ""


def test_pasted_word_text_is_tidied():
    pasted = "\u3000\u3000第一段。  \n\n\n\u3000\u3000第二段。\n \n"
    assert tidy_paragraphs(pasted) == "第一段。\n第二段。"


def test_the_text_module_imports_without_django():
    code = "import sys; import reports.text; assert 'django' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, env={"PATH": "/usr/bin"})


@pytest.fixture
def report(catalogue):
    return ReportFactory()


@pytest.fixture
def clerk(report):
    return MembershipFactory(bureau=report.bureau, role=Membership.Role.STAFF).user


def test_the_editor_stores_clean_text(report, clerk, login):
    section = SectionFactory(report=report, heading="概况", body="")
    response = login(clerk).post(
        reverse("section_save", args=[report.pk, section.pk]),
        {f"s{section.pk}-heading": "概\x1b况", f"s{section.pk}-body": DIRTY, f"s{section.pk}-version": section.version},
    )
    assert response.status_code == 302
    section.refresh_from_db()
    assert section.heading == "概况" and section.body == "第一段内容[31m\n第二段\n续行"


def test_value_notes_are_stored_clean(report, clerk):
    fines = IndicatorDefinition.objects.get(slug="fines")
    values_save(
        report=report, acting_user=clerk, rows=[ValueInput(definition=fines, value=Decimal(3), note="含\x0b结转")]
    )
    assert IndicatorValue.objects.get(report=report).note == "含\n结转"


def test_the_admin_stores_clean_text(report, client):
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "pw-for-tests-1")
    section = SectionFactory(report=report, heading="概况", body="")
    client.force_login(admin)
    url = reverse("admin:reports_section_change", args=[section.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    data.update(report=report.pk, heading="概\x01况", body=DIRTY, position=1, version=section.version)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    section.refresh_from_db()
    assert section.heading == "概况" and "\x01" not in section.body and "\x0b" not in section.body


def test_exports_do_not_fail_on_old_rows_holding_control_characters(report, clerk, login):
    """Rows stored before the doors were cleaned may still hold such characters."""
    section = SectionFactory(report=report, heading="旧\x01标题", body="旧\x1b正文\x0b第二行")
    Section.objects.filter(pk=section.pk).update(heading="旧\x01标题", body="旧\x1b正文\x0b第二行")
    fines = IndicatorDefinition.objects.get(slug="fines")
    value = ValueFactory(report=report, definition=fines, value=Decimal(3))
    IndicatorValue.objects.filter(pk=value.pk).update(note="备\x0b注\x01")
    type(report.bureau).objects.filter(pk=report.bureau.pk).update(name="测试\x1b卫生健康局")
    client = login(clerk)
    for url in (
        reverse("report_docx", args=[report.pk]),
        reverse("report_detail", args=[report.pk]),
        reverse("indicators:excel_download", args=[report.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    year = report.period.year
    type(report).objects.filter(pk=report.pk).update(state="submitted")  # a draft is nobody's figure
    for fmt in ("xlsx", "csv"):
        response = client.get(
            reverse("indicators:export"),
            {"bureau": report.bureau.code, "year_from": year, "year_to": year, "format": fmt},
        )
        assert response.status_code == 200, fmt
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert fmt == "xlsx" or "测试卫生健康局" in body.decode()


def test_the_catalogue_import_stores_clean_text(catalogue):
    import tablib

    from indicators.resources import IndicatorDefinitionResource

    resource = IndicatorDefinitionResource()
    data = resource.export(IndicatorDefinition.objects.filter(slug="fines"))
    data = tablib.Dataset(*[list(r) for r in data], headers=data.headers)
    data[0] = [("罚没\x1b款" if h == "aliases" else v) for h, v in zip(data.headers, data[0])]
    result = resource.import_data(data, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert IndicatorDefinition.objects.get(slug="fines").aliases == "罚没款"
