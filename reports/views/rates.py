"""The reporting-rate page (issue 16): per period, by level and by bureau; .csv / .xlsx export."""

from __future__ import annotations

import csv
import io

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from openpyxl import Workbook

from .. import policy
from ..models import ReportingPeriod
from ..periods import period_ordering
from ..selectors.rates import COLUMNS, Rates, reporting_rates

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Fixed English column names for analysis scripts, as in the indicators export.
HEADER = ["bureau_code", "bureau", "level", "period", *COLUMNS, "days_late"]


def export_rows(rates: Rates) -> list[list]:
    return [
        [
            row.bureau.code,
            row.bureau.name,
            row.bureau.level,
            rates.period.code,
            *(getattr(row, k) for k in COLUMNS),
            row.report.days_late if row.report and row.report.days_late is not None else "",
        ]
        for row in rates.bureaus
    ]


def _download(rates: Rates, fmt: str) -> HttpResponse:
    rows = export_rows(rates)
    filename = f"reporting-rates-{rates.period.code}.{fmt}"
    if fmt == "csv":
        buffer = io.StringIO()
        buffer.write("\ufeff")  # Excel opens UTF-8 Chinese text with a byte-order mark
        csv.writer(buffer).writerows([HEADER, *rows])
        response = HttpResponse(buffer.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
    else:
        book = Workbook(write_only=True)
        sheet = book.create_sheet("rates")
        for row in [HEADER, *rows]:
            sheet.append(row)
        out = io.BytesIO()
        book.save(out)
        response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def rates(request):
    """?period=CODE (default: the latest open period), &format=csv|xlsx to download."""
    if not (policy.is_reviewer(request.user) or policy.can_close_periods(request.user)):
        raise PermissionDenied
    periods = list(ReportingPeriod.objects.order_by(*period_ordering(newest_first=True)))
    code = request.GET.get("period")
    period = next((p for p in periods if p.code == code), None) or next((p for p in periods if p.is_open), None)
    period = period or (periods[0] if periods else None)
    data = reporting_rates(user=request.user, period=period) if period else None
    if data is not None and request.GET.get("format") in ("csv", "xlsx"):
        return _download(data, request.GET["format"])
    chart = None
    if data is not None:
        names = {
            "submitted": _("Submitted"),
            "on_time": _("On time"),
            "approved": _("Approved"),
            "returned": _("Returned at least once"),
        }
        levels = data.levels[:-1]  # the last one is the total
        chart = {
            "labels": [lv.label for lv in levels],
            "datasets": [{"label": str(names[k]), "data": [lv.pct(getattr(lv, k)) for lv in levels]} for k in names],
        }
    return render(
        request,
        "reports/rates.html",
        {
            "periods": periods,
            "period": period,
            "data": data,
            "chart": chart,
            "can_close": policy.can_close_periods(request.user),
        },
    )


urlpatterns = [
    path("review/rates/", rates, name="reporting_rates"),
]
