"""Export for analysis: every value under a bureau for a range of years, in long format.

One row per (bureau, period, indicator): bureau code, bureau, period, slug, value, numerator,
denominator, unit; of the submitted and approved reports (approved only on request), like the
roll-up, so everyone who may see the bureau's figures gets the same file. The column names are fixed English identifiers so scripts can rely on them.
CSV is streamed (UTF-8 with a byte-order mark so Excel opens Chinese text correctly); .xlsx is
written by openpyxl in write-only mode.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from decimal import Decimal

from django.db.models import QuerySet
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from healthreports.spreadsheets import as_text, csv_text
from reports.models import Bureau
from reports.periods import period_code, period_ordering
from reports.text import clean_text

from .models import IndicatorValue
from .rollup import figure_reports

HEADER = ["bureau_code", "bureau", "period", "slug", "value", "numerator", "denominator", "unit"]


def export_values(
    *, user, bureau: Bureau, year_from: int, year_to: int, approved_only: bool = False
) -> QuerySet[IndicatorValue]:
    """The values of the reports under `bureau` (itself included) whose figures count, as the roll-up
    counts them (`rollup.figure_reports`: the same for everyone who may see the bureau's figures)."""
    reports = figure_reports(user=user, bureau=bureau, approved_only=approved_only).filter(
        period__year__gte=year_from, period__year__lte=year_to
    )
    return (
        IndicatorValue.objects.filter(report__in=reports)
        .order_by(
            "report__bureau__path",
            *period_ordering("report__period__", newest_first=False),
            "definition__topic",
            "definition__position",
        )
        .values_list(
            "report__bureau__code",
            "report__bureau__name",
            "report__period__year",
            "report__period__kind",
            "definition__slug",
            "value",
            "numerator",
            "denominator",
            "definition__unit",
        )
    )


def _number(number: Decimal | None) -> str:
    if number is None:
        return ""
    text = f"{number:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _row(t: tuple) -> list:
    code, name, year, kind, slug, value, numerator, denominator, unit = t
    return [code, clean_text(name), period_code(year, kind), slug, value, numerator, denominator, unit]


def csv_lines(values: QuerySet) -> Iterator[str]:
    """The CSV text in pieces, starting with the byte-order mark; rows fetched in chunks."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate(0)
        return text

    writer.writerow(HEADER)
    yield "\ufeff" + flush()
    for n, t in enumerate(values.iterator(chunk_size=2000), start=1):
        row = _row(t)
        row[4:7] = [_number(x) for x in row[4:7]]
        writer.writerow([csv_text(x) if i not in (4, 5, 6) else x for i, x in enumerate(row)])
        if n % 500 == 0:
            yield flush()
    yield flush()


def xlsx_bytes(values: QuerySet) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("values")
    for letter, width in zip("ABCDEFGH", (12, 30, 10, 24, 14, 14, 14, 10)):
        ws.column_dimensions[letter].width = width
    ws.append(HEADER)
    for t in values.iterator(chunk_size=2000):
        row = _row(t)
        row[4:7] = [None if x is None else (int(x) if x == x.to_integral_value() else float(x)) for x in row[4:7]]
        ws.append([as_text(WriteOnlyCell(ws, value=x)) if isinstance(x, str) else x for x in row])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def export_filename(*, bureau: Bureau, year_from: int, year_to: int, ext: str) -> str:
    span = str(year_from) if year_from == year_to else f"{year_from}-{year_to}"
    return f"indicators-{bureau.code}-{span}.{ext}"
