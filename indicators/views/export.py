"""Export of all values under a bureau for a range of years (.xlsx or streamed .csv)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse

from healthreports.downloads import content_disposition
from reports.models import Bureau
from reports.policy import figure_bureaus_q
from reports.services.audit import audit_record

from ..excel import XLSX_CONTENT_TYPE
from ..export import csv_lines, export_filename, export_values, xlsx_bytes
from ..forms import ExportForm
from ._common import bureau_or_403


@login_required
def export(request):
    bureaus = Bureau.objects.filter(figure_bureaus_q(request.user)).order_by("path")
    form = ExportForm(request.GET, bureaus=bureaus)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(reverse("indicators:index"))
    data = form.cleaned_data
    bureau = bureau_or_403(user=request.user, code=data["bureau"])
    values = export_values(
        user=request.user,
        bureau=bureau,
        year_from=data["year_from"],
        year_to=data["year_to"],
        approved_only=data["approved"],
    )
    ext = data["format"]
    filename = export_filename(bureau=bureau, year_from=data["year_from"], year_to=data["year_to"], ext=ext)
    audit_record(
        actor=request.user,
        action="export_values",
        bureau=bureau,
        format=ext,
        year_from=data["year_from"],
        year_to=data["year_to"],
        approved_only=data["approved"],
    )
    if ext == "csv":
        response = StreamingHttpResponse(
            (line.encode("utf-8") for line in csv_lines(values)), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(xlsx_bytes(values), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(filename)
    return response


urlpatterns = [path("export/", export, name="export")]
