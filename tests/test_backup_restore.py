"""The documented backup procedure (pg_dump -Fc, pg_restore) restores a complete, usable copy."""

import os
import subprocess
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.db import connection

from reports.models import ExportJob, Membership, ReportingPeriod

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.postgres
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_backup_restore_script(demo, settings, tmp_path):
    """...and the restored copy's generated files (here a batch export in MEDIA_ROOT) are all found."""
    settings.MEDIA_ROOT = tmp_path
    reviewer = Membership.objects.filter(role=Membership.Role.REVIEWER).select_related("bureau").first()
    job = ExportJob.objects.create(
        requested_by=reviewer.user, bureau=reviewer.bureau, period=ReportingPeriod.objects.first()
    )
    job.file.save("export.zip", ContentFile(b"zip"))
    db = connection.settings_dict
    env = {
        **os.environ,
        "MEDIA_ROOT": str(tmp_path),
        "GENERATED_STORAGE": "filesystem",
        "PGHOST": db["HOST"] or "127.0.0.1",
        "PGPORT": str(db["PORT"] or 5432),
        "PGUSER": db["USER"] or "postgres",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        ["bash", "bench/backup_restore.sh", db["NAME"]],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "identical row counts" in result.stdout and "OK: backup restored" in result.stdout
    assert "1 generated files referenced, all present in the store" in result.stdout
