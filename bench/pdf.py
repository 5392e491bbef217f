"""PDF speed of a draft: the full `render_report --format pdf` path against WeasyPrint alone, in the
same run, in two ways:

- what our code adds: WeasyPrint alone on the very HTML and CSS of our document (no Django, no
  cached stylesheet or fonts, no post-processing). Goal: ratio <= 1.2.
- what the official layout costs: WeasyPrint alone on plain HTML of the same text (one face, bare
  paragraphs). Must stay < 1.5; the README gives where the difference goes, stage by stage.

    DEBUG=1 .venv/bin/python bench/pdf.py
    DEBUG=1 .venv/bin/python bench/pdf.py --smoke     # CI: one round (seconds)

Sets Django up itself on a throw-away SQLite database and builds a 17-page report (~9,000 Chinese
characters of our own demo text: 3 chapters, 3 sub-sections each, 2 items each, long paragraphs).
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TMP = tempfile.mkdtemp(prefix="hr-bench-pdf-")
# BENCH_DATABASE_URL: an empty PostgreSQL database instead (bench/frozen.py times a commit per download).
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{TMP}/bench.sqlite3")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "healthreports.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.utils.html import escape  # noqa: E402

ROUNDS = 9

PHRASES = [
    "围绕健康县域建设目标，统筹推进医疗、医保、医药协同发展和治理",
    "家庭医生团队按片区包干，重点人群做到应签尽签、签而有约",
    "随访结果当日录入信息系统，异常指标在三日内由上级医生复核",
    "乡镇卫生院与村卫生室实行一体化管理，药品耗材统一配送",
    "落实母婴安全五项制度，高危孕产妇实行专案管理和动态追踪",
    "开展双随机抽查，对发现的问题逐一建立台账、限期整改到位",
    "县级医院提标扩能项目按月调度，确保年内主体工程竣工投用",
    "定向培养和公开招聘并举，基层专业技术人员队伍逐步稳定下来",
]


def demo_text(seed: int, sentences: int) -> str:
    parts = []
    for i in range(sentences):
        phrase = PHRASES[(seed * 7 + i * 3) % len(PHRASES)]
        parts.append(f"{phrase}，全年共完成{(seed * 37 + i * 11) % 900 + 100}项。")
    return "".join(parts)


def build_report():
    from reports.models import Bureau, Report, ReportingPeriod, Section

    call_command("migrate", verbosity=0)
    bureau = Bureau.objects.create(code="341802", name="宣州区卫生健康委员会", level="county")
    start, end, deadline = ReportingPeriod.default_dates(2022, "annual")
    period = ReportingPeriod.objects.create(year=2022, kind="annual", start=start, end=end, deadline=deadline)
    # A draft (watermarked, placeholder date): an approved report's download serves frozen bytes.
    report = Report.objects.create(bureau=bureau, period=period, title="宣州区卫生健康委员会2022年工作总结")
    n = 0
    for i, chapter in enumerate(["工作开展情况", "存在的问题", "下一年度工作计划"], start=1):
        top = Section.objects.create(report=report, position=i, heading=chapter, body=demo_text(n, 2))
        for j in range(1, 4):
            n += 1
            mid = Section.objects.create(
                report=report, parent=top, position=j, heading=f"重点工作推进情况第{n}项", body=demo_text(n, 4)
            )
            for k in range(1, 3):
                n += 1
                body = "\n".join(demo_text(n + p, 5) for p in range(2))
                Section.objects.create(report=report, parent=mid, position=k, heading=f"具体措施{n}", body=body)
    report.refresh_from_db()
    return report


def plain_html(report) -> str:
    """The same text as bare paragraphs, one body font, no layout rules beyond the page size."""
    from reports.models import Section

    font = ROOT / "static" / "fonts" / "FandolFang-Regular.otf"
    paras = [f"<h1>{escape(report.title)}</h1>"]
    for s in Section.objects.filter(report=report).order_by("pk"):
        paras.append(f"<p>{escape(s.heading)}</p>")
        paras.extend(f"<p>{escape(p)}</p>" for p in s.paragraphs)
    css = (
        f'@font-face {{ font-family: "Body"; src: url("{font.as_uri()}"); }}'
        "@page { size: A4; margin: 37mm 26mm 35mm 28mm; }"
        'html { font-family: "Body"; font-size: 16pt; line-height: 10.227mm; }'
        "h1 { font-size: 22pt; text-align: center; } p { margin: 0; text-indent: 2em; }"
    )
    return f'<!doctype html><html lang="zh"><head><meta charset="utf-8"><style>{css}</style></head><body>{"".join(paras)}</body></html>'


def timed(*fns, rounds: int = ROUNDS) -> list[list[float]]:
    """CPU seconds of this process (WeasyPrint is single-threaded), in interleaved rounds, so other
    work on a busy machine does not skew the ratio. Garbage is collected before each timed call:
    otherwise a full collection (120-180 ms) lands in one call in five, on either side at random."""
    for fn in fns:
        fn()  # warm-up: imports, font loading
    out: list[list[float]] = [[] for _ in fns]
    for _ in range(rounds):
        for i, fn in enumerate(fns):
            gc.collect()
            t = time.process_time()
            fn()
            out[i].append(time.process_time() - t)
    return out


def ratio_line(name: str, ours: list[float], theirs: list[float], goal: float, limit: float) -> str:
    ratio = statistics.median(ours) / statistics.median(theirs)
    best = min(ours) / min(theirs)  # least disturbed by other work (the timeit convention)
    verdict = f"goal met (<= {goal})" if ratio <= goal else f"acceptable (< {limit})" if ratio < limit else "TOO SLOW"
    return f"{name}: ratio of medians {ratio:.2f}  {verdict}; ratio of best runs {best:.2f}"


def main() -> None:
    import io

    from pypdf import PdfReader
    from weasyprint import CSS, HTML

    from reports.models import Report
    from reports.rendering.document import build_document
    from reports.rendering.pdf import PDF_CSS, document_html

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="CI: one round instead of 9")
    rounds = 1 if parser.parse_args().smoke else ROUNDS
    report = build_report()
    target = Path(TMP) / "report.pdf"
    html = plain_html(report)
    ours_html = document_html(doc=build_document(report=Report.objects.get(pk=report.pk)))
    chars = sum(1 for ch in html if ord(ch) > 0x2000)  # Chinese characters and full-width punctuation

    def full():
        call_command(
            "render_report", bureau="341802", period="2022", format="pdf", output=str(target), stderr=io.StringIO()
        )

    def same_document():
        return HTML(string=ours_html, base_url=str(PDF_CSS.parent)).write_pdf(stylesheets=[CSS(filename=str(PDF_CSS))])

    def baseline():
        return HTML(string=html).write_pdf()

    full_times, same_times, base_times = timed(full, same_document, baseline, rounds=rounds)
    pages = len(PdfReader(target).pages)
    same_pages = len(PdfReader(io.BytesIO(same_document())).pages)
    base_pages = len(PdfReader(io.BytesIO(baseline())).pages)
    print(
        f"draft report: {chars:,} Chinese characters; official layout {pages} pages "
        f"(WeasyPrint alone on its HTML: {same_pages}), plain HTML {base_pages} pages"
    )
    for name, times in (
        ("render_report --format pdf", full_times),
        ("WeasyPrint alone, our document's HTML and CSS", same_times),
        ("WeasyPrint alone, plain HTML", base_times),
    ):
        print(
            f"{name} (median of {rounds}, CPU): {statistics.median(times):.3f} s  [{', '.join(f'{t:.3f}' for t in times)}]"
        )
    print(ratio_line("what our code adds (vs our HTML alone)", full_times, same_times, 1.2, 1.5))
    print(ratio_line("what the official layout costs (vs plain HTML)", full_times, base_times, 1.2, 1.5))
    print(f"(load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")


if __name__ == "__main__":
    main()
