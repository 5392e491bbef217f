"""One report's values as a spreadsheet: download the filled-in template, upload it, preview, confirm.

The preview changes nothing. The checked rows (not the file) wait in the session under a random
token until the clerk confirms; confirming saves them all or none through values_save."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from healthreports.downloads import attachment_response
from reports import policy
from reports.models import Report
from reports.services import ConflictError, ServiceError
from reports.services.audit import audit_record

from ..excel import (
    XLSX_CONTENT_TYPE,
    SpreadsheetError,
    rows_from_session,
    rows_to_session,
    template_build,
    template_filename,
    upload_parse,
)
from ..forms import UploadForm
from ..models import IndicatorValue
from ..services import values_import

SESSION_KEY = "indicator_upload"


def _page(request, report: Report, form: UploadForm, status: int = 200):
    values = IndicatorValue.objects.filter(report=report).select_related("definition")
    has_children = report.bureau.children.exists()
    return render(
        request,
        "indicators/report_values.html",
        {
            "report": report,
            "form": form,
            "values": values,
            "can_import": policy.can(request.user, "import", report),
            "can_edit": policy.can(request.user, "edit", report),
            "has_children": has_children,
        },
        status=status,
    )


@login_required
def report_values(request, pk: int):
    report = policy.access_report(request.user, pk, "view")
    return _page(request, report, UploadForm())


@login_required
def download(request, pk: int):
    report = policy.access_report(request.user, pk, "export")
    audit_record(actor=request.user, action="export_values_template", report=report)
    return attachment_response(
        template_build(report=report), filename=template_filename(report=report), content_type=XLSX_CONTENT_TYPE
    )


@login_required
@require_POST
def upload(request, pk: int):
    report = policy.access_report(request.user, pk, "import")
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, report, form, status=400)
    upload_file = form.cleaned_data["file"]
    try:
        preview = upload_parse(report=report, data=upload_file.read())
    except SpreadsheetError as error:
        form.add_error("file", str(error))
        return _page(request, report, form, status=400)
    token = ""
    if preview.is_valid and preview.changes:
        token = secrets.token_urlsafe(16)
        request.session[SESSION_KEY] = {
            "token": token,
            "report": report.pk,
            "filename": upload_file.name[:200],
            "rows": rows_to_session(preview.changes),
        }
    else:
        request.session.pop(SESSION_KEY, None)
    return render(
        request,
        "indicators/upload_preview.html",
        {"report": report, "preview": preview, "token": token, "filename": upload_file.name},
    )


@login_required
@require_POST
def confirm(request, pk: int):
    report = policy.access_report(request.user, pk, "import")
    pending = request.session.get(SESSION_KEY)
    if not pending or pending.get("report") != report.pk or pending.get("token") != request.POST.get("token"):
        messages.error(request, _("This upload has expired or was already saved. Please upload the file again."))
        return redirect("indicators:report_values", pk=report.pk)
    try:
        result = values_import(
            report=report,
            acting_user=request.user,
            rows=rows_from_session(pending["rows"]),
            filename=pending.get("filename", ""),
        )
    except ConflictError as error:
        messages.error(request, _("Nothing was saved: %(reason)s Please upload the file again.") % {"reason": error})
    except ServiceError as error:
        messages.error(request, _("Nothing was saved: %(reason)s") % {"reason": error})
    else:
        messages.success(
            request,
            _("%(saved)s figures saved, %(removed)s removed.")
            % {"saved": len(result.saved), "removed": len(result.removed)},
        )
        for warning in result.warnings:
            messages.warning(request, warning)
    request.session.pop(SESSION_KEY, None)
    return redirect("indicators:report_values", pk=report.pk)


urlpatterns = [
    path("reports/<int:pk>/", report_values, name="report_values"),
    path("reports/<int:pk>/template.xlsx", download, name="excel_download"),
    path("reports/<int:pk>/upload/", upload, name="excel_upload"),
    path("reports/<int:pk>/upload/confirm/", confirm, name="excel_confirm"),
]
