"""Check the audit trail's hash chain: `python manage.py audit_verify` (exit status 1 on a break)."""

from django.core.management.base import BaseCommand, CommandError

from reports.services.audit import audit_chain_check

MESSAGES = {
    "changed": "record {pk}: its content no longer matches its hash (edited)",
    "broken": "record {pk}: the record before it is missing or was changed (deleted or inserted)",
}


class Command(BaseCommand):
    help = "Recompute the audit trail's hash chain and report every record that was changed or removed."

    def handle(self, *args, **options):
        count, last, problems = audit_chain_check()
        for problem in problems:
            self.stderr.write(MESSAGES[problem.problem].format(pk=problem.pk))
        if problems:
            raise CommandError(f"audit trail: {len(problems)} problem(s) in {count} records")
        self.stdout.write(f"audit trail OK: {count} records, last hash {last or '-'}")
