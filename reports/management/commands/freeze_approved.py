"""Freeze the official PDF and Word of every approved report that has none: those approved before
freezing existed (issue 15), or whose freeze failed. Idempotent: reports already frozen, or whose
freeze is already queued, are left alone. Run it once after upgrading (docs/deploy.md)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from reports.selectors.reports import approved_reports_unfrozen
from reports.services.frozen import frozen_documents_create, frozen_documents_request


class Command(BaseCommand):
    help = "Freeze the PDF and Word of every approved report that lacks them (queued for the worker)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="only print how many reports lack frozen files")
        parser.add_argument("--now", action="store_true", help="render here, one by one, instead of queueing")

    def handle(self, *args, dry_run: bool = False, now: bool = False, **options):
        reports = list(approved_reports_unfrozen().select_related("bureau", "period"))
        if dry_run:
            self.stdout.write(f"{len(reports)} approved report(s) lack frozen documents.")
            return
        if now:
            made = sum(len(frozen_documents_create(report_id=r.pk)) for r in reports)
            self.stdout.write(f"Froze {made} document(s) of {len(reports)} approved report(s).")
            return
        queued = sum(frozen_documents_request(report=r) for r in reports)
        waiting = len(reports) - queued
        self.stdout.write(f"Queued {queued} approved report(s) for freezing ({waiting} already queued).")
