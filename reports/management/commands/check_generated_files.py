"""Every generated file the database refers to is in the shared store (run after a restore)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from reports.storage import referenced_generated_files


class Command(BaseCommand):
    help = "Check that every generated file referenced by the database exists in STORAGES['generated']."

    def handle(self, *args, **options):
        storage, names = referenced_generated_files()
        missing = [name for name in names if not storage.exists(name)]
        for name in missing:
            self.stderr.write(f"missing: {name}")
        if missing:
            raise CommandError(f"{len(missing)} of {len(names)} generated files are missing from the store.")
        self.stdout.write(f"{len(names)} generated files referenced, all present in the store.")
