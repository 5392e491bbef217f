"""Batch export: all approved reports under a bureau for a period, as one ZIP of PDFs."""

from __future__ import annotations

import zipfile
from pathlib import Path

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


def export_job_build(*, job: ExportJob) -> ExportJob:
    """Render each report to PDF into a ZIP, recording progress after each one. Runs in the worker."""
    from ..rendering.document import safe_filename
    from ..rendering.formats import report_bytes

    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.RUNNING, started_at=timezone.now())
    reports = list(batch_export_reports(bureau=job.bureau, period=job.period))
    ExportJob.objects.filter(pk=job.pk).update(total=len(reports), done=0)
    name = safe_filename(f"{job.bureau.name}{job.period.code}") + ".zip"
    tmp_dir = Path(ExportJob._meta.get_field("file").storage.path("exports/tmp"))
    tmp_dir.mkdir(parents=True, exist_ok=True)
    tmp_path = tmp_dir / f"job-{job.pk}.zip"
    try:
        with zipfile.ZipFile(tmp_path, "w", compression=zipfile.ZIP_STORED) as archive:
            for done, report in enumerate(reports, start=1):
                archive.writestr(f"{safe_filename(report.title)}.pdf", report_bytes(report=report, fmt="pdf"))
                ExportJob.objects.filter(pk=job.pk).update(done=done)
        job.refresh_from_db()
        with tmp_path.open("rb") as fh:
            job.file.save(name, File(fh), save=False)
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
