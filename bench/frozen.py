"""Serving an approved report's frozen PDF against serving a static file of the same size, in the
same run. Goal (issue 15): a download of an approved PDF costs about what serving a stored file costs,
not a render.

    DEBUG=1 .venv/bin/python bench/frozen.py

Builds bench/pdf.py's 17-page report on a throw-away SQLite database, approves it and freezes its
files (as the worker does), then times, in interleaved rounds (wall time, median of 200):
- the PDF download view (login check, policy, audit row, FileResponse of the stored bytes), called
  with a RequestFactory request so no middleware is counted on either side;
- django.views.static.serve of a file of the same size (the baseline);
- for scale, one fresh render of the same PDF (what every download cost before).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pdf as pdf_bench  # sets Django up on a throw-away database

ROUNDS = 5 if "--smoke" in sys.argv else 200  # --smoke: CI checks the bench still runs


def main() -> None:
    from django.conf import settings
    from django.test import RequestFactory
    from django.views.static import serve

    from reports.models import Membership
    from reports.rendering.formats import render_report
    from reports.services.frozen import frozen_documents_create
    from reports.views.documents import report_pdf_view
    from tests.factories import MembershipFactory

    settings.MEDIA_ROOT = pdf_bench.TMP + "/media"
    from django.utils import timezone

    from reports.models import Report

    report = pdf_bench.build_report()  # a draft: approve it (the content was written first)
    Report.objects.filter(pk=report.pk).update(state=Report.State.APPROVED, approved_at=timezone.now())
    report.refresh_from_db()
    clerk = MembershipFactory(bureau=report.bureau, role=Membership.Role.STAFF, user__username="bench_clerk").user
    (frozen,) = [d for d in frozen_documents_create(report_id=report.pk) if d.format == "pdf"]
    static_dir = Path(tempfile.mkdtemp(prefix="hr-bench-static-"))
    (static_dir / "same-size.pdf").write_bytes(b"%PDF" + b"\0" * (frozen.size - 4))
    factory = RequestFactory()

    def frozen_download():
        request = factory.get(f"/reports/{report.pk}/pdf/")
        request.user = clerk
        response = report_pdf_view(request, pk=report.pk)
        assert response.status_code == 200
        return sum(len(chunk) for chunk in response.streaming_content)

    def static_file():
        response = serve(factory.get("/static/same-size.pdf"), "same-size.pdf", document_root=str(static_dir))
        return sum(len(chunk) for chunk in response.streaming_content)

    assert frozen_download() == static_file() == frozen.size
    wall: dict[str, list[float]] = {"frozen": [], "static": []}
    cpu: dict[str, list[float]] = {"frozen": [], "static": []}
    for _ in range(ROUNDS):
        for name, fn in (("frozen", frozen_download), ("static", static_file)):
            t, c = time.perf_counter(), time.process_time()
            fn()
            wall[name].append(time.perf_counter() - t)
            cpu[name].append(time.process_time() - c)
    t, c = time.perf_counter(), time.process_time()
    render_report(report=report, fmt="pdf")
    render_wall, render_cpu = time.perf_counter() - t, time.process_time() - c

    def ms(values: list[float]) -> float:
        return statistics.median(values) * 1000

    print(
        f"approved PDF: {frozen.size:,} bytes, SHA-256 {frozen.sha256[:16]}...; database {settings.DATABASES['default']['ENGINE']}"
    )
    for label, key in (("frozen PDF download view", "frozen"), ("static file, same size", "static")):
        print(f"{label} (median of {ROUNDS}): {ms(wall[key]):.2f} ms wall, {ms(cpu[key]):.2f} ms CPU")
    print(
        f"ratio frozen/static: {ms(wall['frozen']) / ms(wall['static']):.1f} wall, {ms(cpu['frozen']) / ms(cpu['static']):.1f} CPU"
        f"   (one fresh render, what a download cost before: {render_wall * 1000:.0f} ms wall, {render_cpu * 1000:.0f} ms CPU)"
    )


if __name__ == "__main__":
    main()
