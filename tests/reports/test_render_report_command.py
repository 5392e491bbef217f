import io

import pytest
from django.core.management import CommandError, call_command
from docx import Document as WordDocument
from pypdf import PdfReader

from tests.reports.documents import make_report

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("fmt", ["html", "pdf", "docx"])
def test_renders_each_format(tmp_path, fmt):
    make_report()
    out = tmp_path / f"r.{fmt}"
    call_command("render_report", bureau="341802", period="2022H1", format=fmt, output=str(out), stderr=io.StringIO())
    data = out.read_bytes()
    if fmt == "pdf":
        assert "宣州区" in PdfReader(io.BytesIO(data)).pages[0].extract_text()
    elif fmt == "docx":
        assert WordDocument(io.BytesIO(data)).paragraphs[0].text.startswith("宣州区")
    else:
        html = data.decode()
        assert "一、工作开展情况" in html
        assert "&lt;script&gt;" in html and "<script>alert" not in html


@pytest.mark.parametrize(
    ("bureau", "period", "message"),
    [
        ("999999", "2022H1", "No bureau"),
        ("341802", "2019", "No reporting period"),
        ("341802", "20x", "not a period"),
        ("341800", "2022H1", "has no report"),
    ],
)
def test_missing_things_are_command_errors(tmp_path, bureau, period, message):
    make_report()
    with pytest.raises(CommandError, match=message):
        call_command("render_report", bureau=bureau, period=period, format="pdf", output=str(tmp_path / "x.pdf"))
    assert not (tmp_path / "x.pdf").exists()


def test_exit_status_from_the_command_line(tmp_path):
    """CommandError becomes a message on stderr and exit status 1 when run as a program."""
    import subprocess
    import sys

    env = {"DEBUG": "1", "PATH": "/usr/bin:/bin", "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3"}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], check=True, env=env, timeout=120)
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "render_report",
            "--bureau",
            "999999",
            "--period",
            "2022",
            "--format",
            "pdf",
            "--output",
            str(tmp_path / "x.pdf"),
        ],
        capture_output=True,
        text=True,
        env={"DEBUG": "1", "PATH": "/usr/bin:/bin", "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3"},
        timeout=120,
    )
    assert result.returncode == 1
    assert "No bureau with code '999999'" in result.stderr
