import io
import json

import pytest
from django.core.management import CommandError, call_command

from indicators.models import IndicatorValue
from reports.models import Report, ReportingPeriod, Section
from tests.factories import ReportFactory

from . import texts


def run(*args) -> str:
    out = io.StringIO()
    call_command("import_text", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def simple_file(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text(texts.SIMPLE, encoding="utf-8")
    return path


def test_dry_run_json_prints_only_the_schema_and_writes_nothing(bureau_clerk, simple_file):
    data = json.loads(run(str(simple_file), "--bureau", "341802", "--period", "2024", "--dry-run", "--json"))
    assert list(data) == ["documents"]
    doc = data["documents"][0]
    assert list(doc) == ["title", "lead", "sections", "figures", "warnings", "removed", "signature"]
    assert doc["title"] == "青山县卫生健康局2024年工作总结"
    assert doc["lead"] == ["今年以来，我局围绕年度目标，扎实推进各项工作，现总结如下。"]
    top = doc["sections"][0]
    assert (top["number"], top["heading"], top["kind"]) == ("一、", "2024年工作开展情况", "work_done")
    assert top["children"][0]["number"] == "（一）"
    assert {
        "text": "76.5%",
        "value": "76.5",
        "unit": "%",
        "indicator": "fds_coverage",
        "approximate": False,
        "role": "level",
    } in doc["figures"]
    assert not Report.objects.exists() and not Section.objects.exists()


def test_saves_the_report(bureau_clerk, simple_file):
    out = run(str(simple_file), "--bureau", "341802", "--period", "2024")
    report = Report.objects.get()
    assert "Created report" in out
    assert report.sections.count() == 8 and report.lead
    assert IndicatorValue.objects.filter(report=report, definition__slug="htn_std_mgmt").get().value == 68


def test_refuses_a_report_that_is_not_a_draft(bureau_clerk, simple_file):
    bureau, _clerk, period = bureau_clerk
    ReportFactory(bureau=bureau, period=period, state=Report.State.SUBMITTED)
    with pytest.raises(CommandError, match="draft|草稿"):
        run(str(simple_file), "--bureau", "341802", "--period", "2024")
    assert not Section.objects.exists()


def test_document_chooses_one_of_several(bureau_clerk, tmp_path):
    path = tmp_path / "compilation.txt"
    path.write_text(texts.COMPILATION, encoding="utf-8")
    with pytest.raises(CommandError, match="3 documents"):
        run(str(path), "--bureau", "341802", "--period", "2024")
    with pytest.raises(CommandError, match="between 1 and 3"):
        run(str(path), "--bureau", "341802", "--period", "2024", "--document", "4")
    run(str(path), "--bureau", "341802", "--period", "2024", "--document", "3", "--use-title")
    report = Report.objects.get()
    assert report.title == "南河区卫健局年度工作总结"
    assert IndicatorValue.objects.get(report=report).value == 523000


def test_a_missing_past_period_is_added_closed(bureau_clerk, simple_file):
    run(str(simple_file), "--bureau", "341802", "--period", "2019H2")
    period = ReportingPeriod.objects.get(year=2019, kind="h2")
    assert not period.is_open and Report.objects.get().period == period


def test_gb18030_and_docx(bureau_clerk, tmp_path):
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes(texts.SIMPLE.encode("gb18030"))
    data = json.loads(run(str(gbk), "--bureau", "341802", "--period", "2024", "--dry-run", "--json"))
    assert data["documents"][0]["title"] == "青山县卫生健康局2024年工作总结"

    import docx

    document = docx.Document()
    for line in texts.SIMPLE.splitlines():
        document.add_paragraph(line)
    path = tmp_path / "report.docx"
    document.save(path)
    data = json.loads(run(str(path), "--bureau", "341802", "--period", "2024", "--dry-run", "--json"))
    assert [s["heading"] for s in data["documents"][0]["sections"]] == [
        "2024年工作开展情况",
        "存在的问题",
        "2025年工作计划",
    ]


def test_bad_input_is_a_clear_error(bureau_clerk, tmp_path, simple_file):
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\x81\x20\xff\xfe\x00\x01")
    with pytest.raises(CommandError, match="not text in UTF-8, UTF-16, GB18030 or Big5"):
        run(str(binary), "--bureau", "341802", "--period", "2024", "--dry-run")
    fake = tmp_path / "fake.docx"
    fake.write_bytes(b"not a zip")
    with pytest.raises(CommandError, match="Word"):
        run(str(fake), "--bureau", "341802", "--period", "2024", "--dry-run")
    with pytest.raises(CommandError, match="No bureau"):
        run(str(simple_file), "--bureau", "999999", "--period", "2024", "--dry-run")
    with pytest.raises(CommandError, match="Not a reporting period"):
        run(str(simple_file), "--bureau", "341802", "--period", "2024Q3", "--dry-run")
    with pytest.raises(CommandError, match="Cannot read"):
        run(str(tmp_path / "missing.txt"), "--bureau", "341802", "--period", "2024")
