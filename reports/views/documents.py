"""The finished document: read view, PDF, Word, batch export (issue 5)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from healthreports.downloads import attachment_response, content_disposition

from .. import policy
from ..forms import ExportRequestForm
from ..models import Bureau, ExportJob
from ..rendering.document import build_document, filename_stem
from ..rendering.formats import output_format, render_report
from ..selectors.reports import frozen_documents
from ..services.audit import audit_record
from ..services.exports import batch_export_reports, export_job_create, export_job_retry
from ..services.frozen import frozen_documents_request


@login_required
def report_detail(request, pk: int):
    report = policy.access_report(request.user, pk, "view")
    return render(
        request,
        "reports/document.html",
        {
            "report": report,
            "doc": build_document(report=report),
            "can": policy.allowed_actions(request.user, report),
            "frozen": frozen_documents(report=report),
        },
    )


def _export(request, pk: int, fmt: str) -> HttpResponse:
    """A download in a registered format: an approved report's frozen bytes, else a fresh render."""
    output = output_format(fmt)
    report = policy.access_report(request.user, pk, "export")
    filename = f"{filename_stem(title=report.title, bureau_name=report.bureau.name)}{output.suffix}.{output.extension}"
    frozen = frozen_documents(report=report).get(fmt) if output.frozen else None
    if frozen is not None:
        audit_record(
            actor=request.user, action=output.audit_action, report=report, size=frozen.size, sha256=frozen.sha256
        )
        response = FileResponse(frozen.file.open("rb"), content_type=output.content_type)
        response["Content-Disposition"] = content_disposition(filename)
        return response
    content = render_report(report=report, fmt=fmt)
    audit_record(actor=request.user, action=output.audit_action, report=report, size=len(content))
    if output.frozen:  # approved before freezing existed (or its freeze failed): freeze it now, once
        frozen_documents_request(report=report)
    return attachment_response(content, filename=filename, content_type=output.content_type)


@login_required
def report_pdf_view(request, pk: int):
    return _export(request, pk, "pdf")


@login_required
def report_docx_view(request, pk: int):
    return _export(request, pk, "docx")


@login_required
def report_review_log_view(request, pk: int):
    """The review log as its own internal PDF (never part of the official document)."""
    return _export(request, pk, "review-log")


# ----- batch export ---------------------------------------------------------------------------------


@login_required
def export_list(request):
    form = ExportRequestForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        job = export_job_create(
            acting_user=request.user, bureau=form.cleaned_data["bureau"], period=form.cleaned_data["period"]
        )
        messages.success(request, _("The export has been queued."))
        return redirect("export_detail", pk=job.pk)
    jobs = ExportJob.objects.filter(
        requested_by=request.user, bureau__in=Bureau.objects.filter(policy.batch_export_bureaus_q(request.user))
    ).select_related("bureau", "period")[:20]
    return render(
        request,
        "reports/export_list.html",
        {"form": form, "jobs": jobs, "can_export": form.fields["bureau"].queryset.exists()},
    )


def _job_for(request, pk: int) -> ExportJob:
    job = get_object_or_404(ExportJob.objects.select_related("bureau", "period"), pk=pk)
    if job.requested_by_id != request.user.pk:
        raise Http404
    # Every view checks the role again: a reviewer who lost it no longer sees the titles.
    if not policy.can_batch_export(request.user, job.bureau):
        raise PermissionDenied
    return job


@login_required
def export_detail(request, pk: int):
    job = _job_for(request, pk)
    reports = batch_export_reports(bureau=job.bureau, period=job.period)
    return render(request, "reports/export_detail.html", {"job": job, "reports": reports})


@login_required
def export_download(request, pk: int):
    job = _job_for(request, pk)
    if job.status != ExportJob.Status.DONE or not job.file:
        raise Http404
    audit_record(actor=request.user, action="export_batch_download", bureau=job.bureau, job=job.pk)
    response = FileResponse(job.file.open("rb"), content_type="application/zip")
    response["Content-Disposition"] = content_disposition(f"{job.bureau.name}{job.period.code}.zip")
    return response


@require_POST
@login_required
def export_retry(request, pk: int):
    job = export_job_retry(job=_job_for(request, pk), acting_user=request.user)
    messages.success(request, _("The export has been queued."))
    return redirect("export_detail", pk=job.pk)


urlpatterns = [
    path("reports/<int:pk>/", report_detail, name="report_detail"),
    path("reports/<int:pk>/pdf/", report_pdf_view, name="report_pdf"),
    path("reports/<int:pk>/docx/", report_docx_view, name="report_docx"),
    path("reports/<int:pk>/review-log/", report_review_log_view, name="report_review_log"),
    path("exports/", export_list, name="export_list"),
    path("exports/<int:pk>/", export_detail, name="export_detail"),
    path("exports/<int:pk>/download/", export_download, name="export_download"),
    path("exports/<int:pk>/retry/", export_retry, name="export_retry"),
]
