"""Issue 12 fault test: the worker is killed (SIGKILL) mid-export; after a restart the job finishes
and the dead attempt's temporary ZIP is gone. Real `manage.py db_worker` processes against the
test database, so PostgreSQL only (SQLite's test database lives in memory)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from reports.models import ExportJob, Membership, Report
from reports.services.exports import export_job_create, export_job_tmp_path
from tests.factories import BureauFactory, ReportFactory, SectionFactory
from tests.reports.documents import make_report

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]


def wait_for(predicate, seconds: float):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def job_state(pk: int) -> ExportJob:
    return ExportJob.objects.get(pk=pk)


def test_a_killed_worker_s_export_finishes_after_a_restart(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    report = make_report()
    city = report.bureau.parent
    for n in range(5):
        county = BureauFactory(code=f"3418{n + 30}", name=f"测试{n}县卫生健康委员会", parent=city)
        other = ReportFactory(bureau=county, period=report.period, state=Report.State.DRAFT)
        SectionFactory(report=other, heading="工作开展情况", body="本期各项工作按计划推进。" * 40)
        Report.objects.filter(pk=other.pk).update(state=Report.State.APPROVED)
    reviewer = Membership.objects.get(bureau=city, role=Membership.Role.REVIEWER).user
    job = export_job_create(acting_user=reviewer, bureau=city, period=report.period)  # autocommit: enqueued

    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "healthreports.settings",
        "DEBUG": "1",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "EXPORT_STALE_SECONDS": "3",
        "EXPORT_SWEEP_SECONDS": "1",
    }
    command = [sys.executable, "manage.py", "db_worker", "--interval", "0.2", "--no-startup-delay", "--no-reload"]
    log = (tmp_path / "worker.log").open("w")
    first = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        started = wait_for(lambda: first.poll() is not None or job_state(job.pk).done >= 1, 120)
        assert started and first.poll() is None, (tmp_path / "worker.log").read_text()
        os.kill(first.pid, signal.SIGKILL)
        first.wait()
        killed = job_state(job.pk)
        assert killed.status == ExportJob.Status.RUNNING and killed.done < killed.total == 6
        tmp_dir = export_job_tmp_path(job).parent  # a local scratch folder, not the shared store
        assert list(tmp_dir.glob(f"job-{job.pk}-*.zip"))  # the dead attempt's half-written ZIP

        second = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            finished = wait_for(lambda: second.poll() is not None or job_state(job.pk).is_finished, 180)
            assert finished, (tmp_path / "worker.log").read_text()
        finally:
            second.send_signal(signal.SIGTERM)
            second.wait(30)
    finally:
        if first.poll() is None:
            first.kill()
        log.close()
    done = job_state(job.pk)
    assert (done.status, done.done, done.attempts) == (ExportJob.Status.DONE, 6, 2), (
        tmp_path / "worker.log"
    ).read_text()
    assert not list(tmp_dir.glob(f"job-{job.pk}-*.zip"))
    assert (settings.MEDIA_ROOT / done.file.name).exists()
