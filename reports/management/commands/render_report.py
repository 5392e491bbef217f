"""Render one report to HTML, PDF or Word: manage.py render_report --bureau 341802 --period 2022H1 ..."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports.models import Bureau, Report, ReportingPeriod
from reports.rendering.formats import FORMATS, render_report
from reports.selectors.reports import period_by_code


class Command(BaseCommand):
    help = "Render a bureau's report for a period as HTML, PDF or Word (official-document layout)."

    def add_arguments(self, parser):
        parser.add_argument("--bureau", required=True, help="Six-digit division code, e.g. 341802")
        parser.add_argument("--period", required=True, help="Period code: 2022 (annual), 2022H1, 2022H2")
        parser.add_argument("--format", required=True, choices=list(FORMATS))
        parser.add_argument("--output", required=True, help="File to write ('-' for standard output)")

    def handle(self, *args, bureau: str, period: str, output: str, **options):
        report = report_for(bureau_code=bureau, period_code=period)
        content = render(report=report, fmt=options["format"])
        if output == "-":
            self.stdout.buffer.write(content) if hasattr(self.stdout, "buffer") else self.stdout.write(
                content.decode("utf-8", "replace")
            )
            return
        target = Path(output)
        try:
            target.write_bytes(content)
        except OSError as exc:
            raise CommandError(f"Cannot write {target}: {exc.strerror}") from exc
        self.stderr.write(f"Wrote {target} ({len(content):,} bytes): {report.title}")


def report_for(*, bureau_code: str, period_code: str) -> Report:
    """The report, or a CommandError saying which part does not exist."""
    try:
        bureau = Bureau.objects.get(code=bureau_code.strip())
    except Bureau.DoesNotExist:
        raise CommandError(f"No bureau with code {bureau_code!r}.") from None
    try:
        period = period_by_code(code=period_code)
    except ValueError as exc:
        raise CommandError(str(exc)) from None
    except ReportingPeriod.DoesNotExist:
        raise CommandError(f"No reporting period {period_code!r}.") from None
    try:
        return Report.objects.select_related("bureau", "period").get(bureau=bureau, period=period)
    except Report.DoesNotExist:
        raise CommandError(f"{bureau.name} has no report for {period.code}.") from None


def render(*, report: Report, fmt: str) -> bytes:
    return render_report(report=report, fmt=fmt)
