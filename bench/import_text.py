"""How fast the text importer parses a long report.

Generates a 60,000-character report text (web-copy style: headings on their own lines and inline,
一是…二是…, figures with units, placeholders, some page noise), parses it against the indicator
catalogue and prints the time, the rate per character, and the ratio against a baseline measured in
the same run (cleaning the same text only: the pass every parse must make). A traditional-character
copy of the same length is timed too (conversion through OpenCC).

Then the largest text an import allows (IMPORT_MAX_CHARS, 500,000 characters) is parsed, and its
preview page is served through Django (a throw-away SQLite database) and compared with the
preview of the 60,000-character report in the same run: time and bytes.

    .venv/bin/python bench/import_text.py
    .venv/bin/python bench/import_text.py --smoke    # CI: 6,000 characters, one run of each
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reports.importing.clean import clean_lines  # noqa: E402
from reports.importing.figures import CatalogueEntry, catalogue_from_fixture  # noqa: E402
from reports.importing.outline import parse_text  # noqa: E402
from reports.numbering import chinese_numeral  # noqa: E402

TARGET = 60_000
SENTENCES = [
    "全县家庭医生签约服务覆盖率达到{p}%，重点人群签约率为{q}%。",
    "高血压规范管理人数{n}人，规范管理率{p}%；糖尿病规范管理人数{n}人，规范管理率{q}%。",
    "一是强化组织领导，完善工作机制。二是加大投入力度，累计投入资金{m}万元。三是抓好督导考核。",
    "全年开展义诊{k}次，服务群众{w}万人次，发放宣传资料{n}份。",
    "新建标准化村卫生室{k}所，新增床位{n}张，当前托位总数约{n}个。",
    "全区人口出生率{r}‰，自然增长率{r}‰，孕产妇系统管理率{p}%。",
    "截止xx月，完成xx项任务，覆盖率达到xx%，培训X名基层人员。",
    "持续深化医药卫生体制改革，推进紧密型县域医共体建设，提升基层医疗卫生服务能力。",
    "其中，①开展专项检查{k}次；②立案查处{k}件。",
]
HEADINGS = [
    "基层服务能力稳步提升",
    "公共卫生服务扎实开展",
    "疫情防控平稳有序",
    "妇幼健康服务持续改善",
    "医疗监管能力大幅提升",
]


def sentence(rng: random.Random) -> str:
    return rng.choice(SENTENCES).format(
        p=f"{rng.uniform(40, 99):.1f}",
        q=rng.randint(30, 95),
        n=rng.randint(100, 90000),
        m=rng.randint(10, 9000),
        k=rng.randint(1, 60),
        w=f"{rng.uniform(0.5, 30):.1f}",
        r=f"{rng.uniform(1, 12):.2f}",
    )


def generate(rng: random.Random, target: int = TARGET) -> str:
    parts = ["首页 > 工作动态 > 工作总结", "某县卫生健康局年度工作总结", "发布时间: 2024-01-08 点击量: 321"]
    parts.append("今年以来，我局围绕年度目标任务，扎实推进各项工作，现将有关情况总结如下。")
    top = 0
    while sum(len(p) + 1 for p in parts) < target:
        top += 1
        parts.append(f"{chinese_numeral(top)}、{'工作开展情况' if top == 1 else rng.choice(HEADINGS)}")
        for sub in range(1, rng.randint(3, 7)):
            body = "".join(sentence(rng) for _ in range(rng.randint(2, 5)))
            if rng.random() < 0.3:  # inline: heading and text in one paragraph
                parts.append(f"（{chinese_numeral(sub)}）{rng.choice(HEADINGS)}。{body}")
            else:
                parts.append(f"（{chinese_numeral(sub)}）{rng.choice(HEADINGS)}")
                parts.append(body)
            for item in range(1, rng.randint(1, 4)):
                parts.append(f"{item}.{rng.choice(HEADINGS)}。" + "".join(sentence(rng) for _ in range(2)))
        parts.append("第 1 页 共 3 页")
    text = "\n".join(parts)
    return text[:target]


def catalogue() -> list[CatalogueEntry]:
    return catalogue_from_fixture(json.loads((ROOT / "fixtures" / "indicators.json").read_text(encoding="utf-8")))


def best_of(runs: int, fn) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="CI: a tenth of the text, one run of each")
    smoke = parser.parse_args().smoke
    runs = 1 if smoke else 5
    rng = random.Random(7)
    text = generate(rng, TARGET // 10 if smoke else TARGET)
    entries = catalogue()
    parse_text("预热", entries)  # load OpenCC's dictionaries once, as a running server would have
    result = parse_text(text, entries)
    doc = result.documents[0]
    sections = sum(1 for _ in doc.walk())
    matched = sum(1 for f in doc.figures if f.indicator)

    baseline = best_of(runs, lambda: clean_lines(text))
    parse = best_of(runs, lambda: parse_text(text, entries))

    from opencc import OpenCC

    traditional = OpenCC("s2t").convert(text)
    parse_trad = best_of(min(runs, 3), lambda: parse_text(traditional, entries))

    print(f"text: {len(text):,} characters, {sections} sections, {len(doc.figures)} figures ({matched} matched)")
    print(f"baseline (cleaning only):   {baseline * 1000:8.1f} ms")
    print(
        f"parse (simplified):         {parse * 1000:8.1f} ms   {parse / len(text) * 1e6:.2f} µs/char   "
        f"{len(text) / parse:,.0f} chars/s   {parse / baseline:.1f}× baseline"
    )
    print(
        f"parse (traditional, OpenCC): {parse_trad * 1000:7.1f} ms   {parse_trad / len(text) * 1e6:.2f} µs/char   "
        f"{parse_trad / baseline:.1f}× baseline"
    )
    print(
        f"goal: well under a second for {len(text):,} characters —", "met" if max(parse, parse_trad) < 1 else "NOT met"
    )

    largest = (text * 9)[:500_000]
    parse_max = best_of(2, lambda: parse_text(largest, entries))
    print(
        f"parse (500,000 characters):  {parse_max * 1000:7.1f} ms   {parse_max / parse:.1f}× the 60,000-character parse"
    )
    previews(text, largest)


def previews(text: str, largest: str) -> None:
    """The preview page of the report and of the largest text allowed: time and size."""
    import os
    import tempfile

    folder = tempfile.mkdtemp(prefix="bench-import-")
    os.environ.update(
        DEBUG="1", DATABASE_URL=f"sqlite:///{folder}/bench.sqlite3", DJANGO_SETTINGS_MODULE="healthreports.settings"
    )
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from reports.models import Membership
    from tests.factories import BureauFactory, MembershipFactory, PeriodFactory, ReportFactory

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    call_command("loaddata", "indicators.json", "skeletons.json", verbosity=0)
    bureau = BureauFactory(code="341802", name="青山县卫生健康局")
    clerk = MembershipFactory(bureau=bureau, role=Membership.Role.STAFF).user
    report = ReportFactory(bureau=bureau, period=PeriodFactory(year=2024))
    client = Client()
    client.force_login(clerk)
    url = reverse("report_import", args=[report.pk])

    def preview(body: str) -> tuple[float, int]:
        assert client.post(url, {"action": "preview", "text": body}).status_code == 302
        times, size = [], 0
        for _ in range(2):
            start = time.perf_counter()
            response = client.get(url + "?step=preview")
            times.append(time.perf_counter() - start)
            size = len(response.content)
        return min(times), size

    base_time, base_size = preview(text)
    max_time, max_size = preview(largest)
    print(f"preview (60,000 characters):  {base_time * 1000:7.1f} ms   {base_size / 1024:7.0f} KB")
    print(
        f"preview (500,000 characters): {max_time * 1000:7.1f} ms   {max_size / 1024:7.0f} KB   "
        f"{max_time / base_time:.1f}× time, {max_size / base_size:.2f}× size of the 60,000-character preview"
    )


if __name__ == "__main__":
    main()
