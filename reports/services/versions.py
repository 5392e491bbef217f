"""Freezing a report's content as a submitted version."""

from __future__ import annotations

from ..models import Report, ReportVersion
from ..selectors.versions import report_content


def version_write(*, report: Report, acting_user) -> ReportVersion:
    """Freeze the report's current content as its next version. Call inside the submitting transaction,
    with the report row locked (the number is the next free one)."""
    last = ReportVersion.objects.filter(report=report).order_by("-number").values_list("number", flat=True).first()
    return ReportVersion.objects.create(
        report=report, number=(last or 0) + 1, created_by=acting_user, content=report_content(report=report)
    )
