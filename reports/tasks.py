"""Background work (django-tasks; `manage.py db_worker` runs it, `make run` starts the worker).

WeasyPrint keeps a whole document in memory and does not give it back: batch renders belong here,
never in a web worker."""

from __future__ import annotations

from django_tasks import task

from .models import ExportJob


@task()
def export_job_run(*, job_id: int) -> int:
    """Build the ZIP of an ExportJob; returns the number of reports in it."""
    from .services.exports import export_job_build

    job = ExportJob.objects.select_related("bureau", "period").get(pk=job_id)
    if job.is_finished:
        return job.done
    return export_job_build(job=job).done


@task()
def freeze_report_documents(*, report_id: int) -> int:
    """Render an approved report's PDF and Word once and store them (issue 15); returns how many."""
    from .services.frozen import frozen_documents_create

    return len(frozen_documents_create(report_id=report_id))
