"""Issue 12: batch exports survive a worker that died, and old export files go away."""

import datetime
from unittest import mock

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.db.utils import OperationalError
from django.utils import timezone

from reports.management.commands.db_worker import Worker
from reports.models import ExportJob, Membership
from reports.services.exports import export_files_prune, export_job_tmp_path, export_jobs_recover
from tests.reports.documents import make_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def stuck(media):
    """A job left "running 1/2" by a worker killed 5 minutes ago, with its temporary ZIP."""
    report = make_report()
    city = report.bureau.parent
    reviewer = Membership.objects.get(bureau=city, role=Membership.Role.REVIEWER).user
    long_ago = timezone.now() - datetime.timedelta(minutes=5)
    job = ExportJob.objects.create(
        requested_by=reviewer,
        bureau=city,
        period=report.period,
        status=ExportJob.Status.RUNNING,
        total=2,
        done=1,
        attempts=1,
        started_at=long_ago,
        heartbeat_at=long_ago,
    )
    tmp = export_job_tmp_path(job)
    tmp.parent.mkdir(parents=True, exist_ok=True)
    tmp.write_bytes(b"half a zip")
    return job, tmp, reviewer


def test_a_job_whose_worker_died_is_picked_up_again(stuck, django_capture_on_commit_callbacks):
    job, tmp, reviewer = stuck
    with django_capture_on_commit_callbacks(execute=True):
        assert export_jobs_recover() == [job.pk]
    job.refresh_from_db()
    assert not tmp.exists()
    assert (job.status, job.done, job.attempts) == (ExportJob.Status.DONE, 1, 2)  # the immediate backend ran it


def test_a_job_still_beating_is_left_alone(stuck):
    job, tmp, reviewer = stuck
    ExportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now())
    assert export_jobs_recover() == []
    assert tmp.exists()


def test_after_the_last_attempt_the_job_fails_with_a_retry_button(stuck, client, django_capture_on_commit_callbacks):
    job, tmp, reviewer = stuck
    ExportJob.objects.filter(pk=job.pk).update(attempts=settings.EXPORT_MAX_ATTEMPTS)
    job.refresh_from_db()
    tmp = export_job_tmp_path(job)
    tmp.write_bytes(b"half a zip")
    export_jobs_recover()
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED and "重试" in job.error and not tmp.exists()
    client.force_login(reviewer)
    page = client.get(f"/exports/{job.pk}/").content.decode()
    assert f'action="/exports/{job.pk}/retry/"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/exports/{job.pk}/retry/")
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE and job.file


def test_finished_export_files_are_deleted_after_the_configured_days(stuck, settings):
    job, tmp, reviewer = stuck
    job.status, job.finished_at = ExportJob.Status.DONE, timezone.now() - datetime.timedelta(days=8)
    job.file.save("old.zip", ContentFile(b"zip"), save=True)
    path = job.file.path
    settings.EXPORT_KEEP_DAYS = 7
    assert export_files_prune() == 1
    job.refresh_from_db()
    assert not job.file and not __import__("os").path.exists(path)


def test_web_workers_check_connections_before_use():
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


def test_the_worker_reconnects_when_the_database_drops_it():
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="t",
        excluded_queue_names=[],
    )
    calls = []

    def upstream_run(self):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")

    with mock.patch.object(Worker.__bases__[0], "run", upstream_run):
        worker.run()
    assert len(calls) == 2


def test_only_the_requester_may_retry(stuck, client):
    job, tmp, reviewer = stuck
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.FAILED)
    other = Membership.objects.filter(role=Membership.Role.REVIEWER).exclude(user=reviewer).first()
    client.force_login(other.user if other else reviewer.__class__.objects.create_user("someone"))
    assert client.post(f"/exports/{job.pk}/retry/").status_code == 404
    assert ExportJob.objects.get(pk=job.pk).status == ExportJob.Status.FAILED
