"""Batch export: all approved reports under a bureau for a period, as one ZIP of PDFs."""

from __future__ import annotations

import tempfile
import zipfile
from datetime import timedelta
from functools import partial
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import policy
from ..models import Bureau, ExportJob, Report, ReportingPeriod
from .audit import audit_record


def batch_export_reports(*, bureau: Bureau, period: ReportingPeriod) -> QuerySet[Report]:
    """The approved reports of the bureaus below `bureau` for `period`, in tree order."""
    return (
        Report.objects.filter(bureau__path__startswith=bureau.path, period=period, state=Report.State.APPROVED)
        .exclude(bureau=bureau)
        .select_related("bureau", "period")
        .order_by("bureau__path")
    )


@transaction.atomic
def export_job_create(*, acting_user, bureau: Bureau, period: ReportingPeriod) -> ExportJob:
    """Queue a batch export; the worker builds the ZIP once this transaction has committed."""
    if not policy.can_batch_export(acting_user, bureau):
        raise PermissionDenied(f"batch export not allowed for bureau {bureau.pk}")
    total = batch_export_reports(bureau=bureau, period=period).count()
    job = ExportJob.objects.create(requested_by=acting_user, bureau=bureau, period=period, total=total)
    audit_record(actor=acting_user, action="export_batch", bureau=bureau, period=period.code, job=job.pk)

    from ..tasks import export_job_run

    transaction.on_commit(lambda: export_job_run.enqueue(job_id=job.pk))
    return job


def export_job_tmp_path(job: ExportJob) -> Path:
    """Where attempt `job.attempts` writes its ZIP before it is stored (one name per attempt, so a
    recovery removes the dead attempt's file without touching a live one)."""
    # A local scratch file, not the shared store: an object store has no paths, and a half-written
    # ZIP must never be visible there. A dead attempt's file is removed by the next sweep on its node.
    tmp_dir = Path(tempfile.gettempdir()) / "healthreports-exports"
    return tmp_dir / f"job-{job.pk}-{job.attempts}.zip"


def export_job_build(*, job: ExportJob) -> ExportJob:
    """Render each report to PDF into a ZIP, recording progress (and a heartbeat) after each one.
    Runs in the worker."""
    from ..rendering.document import safe_filename
    from ..rendering.formats import report_bytes

    now = timezone.now()
    job.attempts += 1
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.RUNNING, started_at=now, heartbeat_at=now, attempts=job.attempts
    )
    reports = list(batch_export_reports(bureau=job.bureau, period=job.period))
    ExportJob.objects.filter(pk=job.pk).update(total=len(reports), done=0)
    name = safe_filename(f"{job.bureau.name}{job.period.code}") + ".zip"
    tmp_path = export_job_tmp_path(job)
    tmp_path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with zipfile.ZipFile(tmp_path, "w", compression=zipfile.ZIP_STORED) as archive:
            for done, report in enumerate(reports, start=1):
                archive.writestr(f"{safe_filename(report.title)}.pdf", report_bytes(report=report, fmt="pdf"))
                ExportJob.objects.filter(pk=job.pk).update(done=done, heartbeat_at=timezone.now())
        job.refresh_from_db()
        with tmp_path.open("rb") as fh:
            job.file.save(name, File(fh, name=name), save=False)
        job.status = ExportJob.Status.DONE
        job.finished_at = timezone.now()
        job.save(update_fields=["file", "status", "finished_at"])
        return job
    except Exception as exc:
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.FAILED,
            finished_at=timezone.now(),
            error=_("The export failed: %(error)s") % {"error": exc},
        )
        raise
    finally:
        tmp_path.unlink(missing_ok=True)


@transaction.atomic
def export_jobs_recover() -> list[int]:
    """Running jobs whose worker died (no heartbeat for EXPORT_STALE_SECONDS): their temporary ZIP
    is removed and they are queued again, or after EXPORT_MAX_ATTEMPTS marked failed for the
    requester to retry. Returns the ids of the jobs queued again. The worker calls this regularly."""
    from django_tasks_db.models import DBTaskResult

    from ..tasks import export_job_run

    cutoff = timezone.now() - timedelta(seconds=settings.EXPORT_STALE_SECONDS)
    stale = ExportJob.objects.select_for_update(skip_locked=True).filter(
        status=ExportJob.Status.RUNNING, heartbeat_at__lt=cutoff
    )
    queued = []
    for job in stale:
        export_job_tmp_path(job).unlink(missing_ok=True)
        # the dead worker's task row would say "running" for ever
        DBTaskResult.objects.filter(
            status="RUNNING", task_path__endswith=".export_job_run", args_kwargs__kwargs__job_id=job.pk
        ).update(status="FAILED", finished_at=timezone.now())
        if job.attempts < settings.EXPORT_MAX_ATTEMPTS:
            job.status, job.done = ExportJob.Status.QUEUED, 0
            job.save(update_fields=["status", "done"])
            transaction.on_commit(partial(export_job_run.enqueue, job_id=job.pk))
            queued.append(job.pk)
        else:
            job.status, job.finished_at = ExportJob.Status.FAILED, timezone.now()
            job.error = _("The export stopped because its worker ended (%(n)s attempts). Press Retry to try again.") % {
                "n": job.attempts
            }
            job.save(update_fields=["status", "finished_at", "error"])
        audit_record(actor=None, action="export_batch_recovered", bureau=job.bureau, job=job.pk, status=job.status)
    return queued


@transaction.atomic
def export_job_retry(*, job: ExportJob, acting_user) -> ExportJob:
    """Queue a failed job again for the person who requested it."""
    from ..tasks import export_job_run

    job = ExportJob.objects.select_for_update().get(pk=job.pk)
    if job.requested_by_id != acting_user.pk or not policy.can_batch_export(acting_user, job.bureau):
        raise PermissionDenied(f"retry of export job {job.pk} not allowed")
    if job.status != ExportJob.Status.FAILED:
        return job
    job.status, job.done, job.attempts, job.error, job.finished_at = ExportJob.Status.QUEUED, 0, 0, "", None
    job.save(update_fields=["status", "done", "attempts", "error", "finished_at"])
    audit_record(actor=acting_user, action="export_batch_retry", bureau=job.bureau, job=job.pk)
    transaction.on_commit(partial(export_job_run.enqueue, job_id=job.pk))
    return job


def export_files_prune() -> int:
    """Delete the ZIPs of exports finished more than EXPORT_KEEP_DAYS days ago (the job row stays,
    for the record). Returns how many files were deleted."""
    cutoff = timezone.now() - timedelta(days=settings.EXPORT_KEEP_DAYS)
    count = 0
    for job in ExportJob.objects.filter(finished_at__lt=cutoff).exclude(file=""):
        job.file.delete(save=True)
        count += 1
    return count
