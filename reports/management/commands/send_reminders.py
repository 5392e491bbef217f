"""Send the reminders owed today (issue 16). Idempotent: run it daily from cron or a systemd timer."""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError

from reports.services.reminders import reminders_send


class Command(BaseCommand):
    help = "Remind clerks of due and overdue reports and send reviewers their weekly digest (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="act as if today were YYYY-MM-DD (testing, catching up)")

    def handle(self, *args, date=None, **options):
        try:
            today = datetime.date.fromisoformat(date) if date else None
        except ValueError:
            raise CommandError(f"--date: not a date (YYYY-MM-DD): {date}") from None
        sent = reminders_send(today=today)
        clerks = sum(1 for r in sent if r.kind == "clerks")
        self.stdout.write(f"{clerks} reminder(s) to bureaus, {len(sent) - clerks} digest(s) to reviewers")
