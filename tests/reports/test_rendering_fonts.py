"""No tofu: every GB 2312 character and every character of the traditional sample has a glyph in the
font stack of each block of the PDF (static/css/document-pdf.css), and the page grid holds."""

import re
import shutil
import subprocess
from functools import cache
from pathlib import Path

import pytest
from django.conf import settings

from reports.rendering.charset import gb2312

SAMPLE = Path("/work/shared/samples/xuanzhou-2022-h1-traditional.txt")
FONTS = Path(settings.BASE_DIR) / "static" / "fonts"
SHIPPED = {
    "HR Fang": "FandolFang-Regular.otf",
    "HR Hei": "NotoSansCJKsc-Regular-GB.otf",
    "HR Kai": "ARPLUKaiCN-GB.ttf",
    "HR Title": "NotoSerifCJKsc-Bold-GB.otf",
}

# Block -> font stack, as in document-pdf.css ("HR ..." are the @font-face files in static/fonts).
STACKS = {
    "body, 1. and （1） headings": ["HR Fang", "Noto Serif CJK SC"],
    "一、 headings": ["HR Hei", "Noto Sans CJK SC"],
    "（一） headings": ["HR Kai", "AR PL UKai CN", "Noto Serif CJK SC"],
    "title": ["HR Title", "Noto Serif CJK SC"],
}


@cache
def cmap(family: str) -> frozenset[int]:
    from fontTools.ttLib import TTCollection, TTFont

    if family in SHIPPED:
        return frozenset(TTFont(FONTS / SHIPPED[family], lazy=True).getBestCmap())
    name, _, style = family.partition(":")
    out = subprocess.run(
        ["fc-match", "--format=%{file}\n%{index}", f"{name}:style={style or 'Regular'}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\n")
    path, index = out[0], int(out[1] or 0)
    font = TTCollection(path, lazy=True).fonts[index] if path.endswith(".ttc") else TTFont(path, lazy=True)
    return frozenset(font.getBestCmap())


@pytest.mark.skipif(not shutil.which("fc-match"), reason="fontconfig not installed")
@pytest.mark.parametrize("block", list(STACKS))
def test_every_gb2312_and_sample_character_has_a_glyph(block):
    wanted = gb2312()
    if SAMPLE.exists():
        wanted |= {c for c in SAMPLE.read_text(encoding="utf-8") if ord(c) > 0x2000 and not c.isspace()}
    covered = set().union(*(cmap(family) for family in STACKS[block]))
    missing = sorted(c for c in wanted if ord(c) not in covered)
    assert not missing, f"{block}: no glyph for {''.join(missing[:40])}"


@pytest.mark.django_db
def test_body_keeps_the_22_line_28_character_grid():
    import io

    import pdfplumber

    from reports.models import Section
    from reports.rendering.formats import report_pdf
    from tests.reports.documents import make_report

    report = make_report(hostile=False)
    long_text = "全区以家庭医生团队为抓手把签约服务延伸到村卫生室" * 40
    Section.objects.filter(heading="存在的问题").update(body=long_text)
    with pdfplumber.open(io.BytesIO(report_pdf(report=report))) as pdf:
        page = pdf.pages[1]  # a page of body text only
        lines: dict[float, list] = {}
        for ch in page.chars:
            if ch["fontname"].endswith("HR-Fang") and re.match(r"[\u4e00-\u9fff]", ch["text"]):
                lines.setdefault(round(ch["top"], 1), []).append(ch)
        tops = sorted(lines)
        pitches = [b - a for a, b in zip(tops, tops[1:], strict=False)]
        assert all(28.85 < p < 29.1 for p in pitches), pitches  # 225 mm / 22 lines = 28.99 pt
        assert max(len(chars) for chars in lines.values()) == 28
        # Whatever the font of a line (a 黑体 heading sits a little higher), it sits on one of 22 rows.
        first = min(ch["top"] for ch in page.chars if ch["size"] > 15)
        rows = {round((ch["top"] - first) / 28.99) for ch in page.chars if ch["size"] > 15}
        assert rows == set(range(22)), sorted(rows)
