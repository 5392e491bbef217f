"""One report's indicator values as a spreadsheet: the filled-in template, and reading it back.

openpyxl is used directly rather than a django-import-export Resource: the rows are not model rows
to be saved one by one (a Resource imports with instance.save()), they are checked against the
catalogue, parsed with the clerk's number rules (`parse_number`, per indicator kind and unit) and
then saved all at once by `values_save`, which checks the policy and locks the report.

Reading is defensive: the upload's size is capped, the zip container is checked (member count and
declared sizes, which zipfile enforces while inflating) before openpyxl opens it in read-only
mode, and only the first rows and columns are read.

Why one file of this size (the issue-11 size rule): it is one format, written and read back, and
both directions depend on the same column keys and accepted header texts; the reading half is a
single pipeline (container check, cells, rows, comparison, the session hand-over) whose parts
are not used elsewhere. If it grows further, the reading half (from "reading an upload" down)
is the piece to move to its own module, importing COLUMNS and header_labels from here.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.worksheet.datavalidation import DataValidation

from healthreports.spreadsheets import as_text
from healthreports.zipsafe import ZipTooLarge, zip_member_names
from reports.models import Report
from reports.text import clean_text

from .models import IndicatorDefinition, IndicatorValue
from .numbers import number_text
from .parsing import NOT_A_NUMBER, TOO_LARGE, NumberError, parse_number
from .selectors import rate_without_parts
from .services import ValueInput, check_row, resolve_value

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_ROWS = 500  # the catalogue has ~40 indicators; anything far larger is not our template
MAX_COLUMNS = 12
MAX_ZIP_MEMBERS = 200
MAX_UNPACKED_BYTES = 20 * 1024 * 1024
MAX_MEMBER_BYTES = 8 * 1024 * 1024  # one sheet of MAX_ROWS x MAX_COLUMNS is far below 1 MB
# openpyxl reads the whole shared-strings part into memory even in read-only mode: 500 rows of
# notes fit in well under 2 MB; a crafted 4 MB upload with 40 MB of strings kept a worker busy 14 s.
MAX_SHARED_STRINGS_BYTES = 2 * 1024 * 1024
MAX_RATIO = 200  # a real sheet deflates ~10:1; a zip bomb ~1000:1

# Column keys and the header texts accepted for each (English and Chinese, whatever the UI language).
COLUMNS = ["slug", "name", "unit", "value", "numerator", "denominator", "note"]
_HEADERS = {
    "slug": ("slug", "code", "代码", "指标代码"),
    "name": ("name", "indicator", "名称", "指标", "指标名称"),
    "unit": ("unit", "单位"),
    "value": ("value", "数值", "值"),
    "numerator": ("numerator", "分子"),
    "denominator": ("denominator", "分母"),
    "note": ("note", "备注", "说明"),
}


def header_labels() -> dict[str, str]:
    return {
        "slug": _("Code"),
        "name": _("Indicator"),
        "unit": _("Unit"),
        "value": _("Value"),
        "numerator": _("Numerator"),
        "denominator": _("Denominator"),
        "note": _("Note"),
    }


def _plain(number: Decimal | None) -> Decimal | int | float | None:
    """A Decimal as a spreadsheet number: integers as int, others as float (xlsx stores doubles)."""
    if number is None:
        return None
    if number == number.to_integral_value():
        return int(number)
    return float(number)


def template_build(*, report: Report) -> bytes:
    """The filled-in template for `report`: one row per catalogue indicator, current values in."""
    definitions = list(IndicatorDefinition.objects.order_by("topic", "position", "slug"))
    values = {v.definition_id: v for v in IndicatorValue.objects.filter(report=report)}
    wb = Workbook()
    ws = wb.active
    ws.title = _("Indicators")[:31]
    labels = header_labels()
    ws.append([labels[c] for c in COLUMNS])
    header_fill = PatternFill("solid", fgColor="1F4E79")
    for cell in ws[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = header_fill
        cell.alignment = Alignment(vertical="center")
    locked_fill = PatternFill("solid", fgColor="F2F2F2")
    for d in definitions:
        v = values.get(d.pk)
        ws.append(
            [
                d.slug,
                d.name,
                d.unit,
                _plain(v.value) if v else None,
                _plain(v.numerator) if v else None,
                _plain(v.denominator) if v else None,
                clean_text(v.note) if v else None,
            ]
        )
        row = ws.max_row
        for cell in ws[row]:
            as_text(cell)  # a note starting with "=" stays a note, never a live formula
        for col in (1, 2, 3):
            ws.cell(row=row, column=col).fill = locked_fill
        for col in (4, 5, 6, 7):
            ws.cell(row=row, column=col).protection = Protection(locked=False)
        if not d.is_rate:
            for col in (5, 6):
                ws.cell(row=row, column=col).fill = locked_fill
    for letter, width in zip("ABCDEFG", (22, 36, 10, 14, 14, 14, 40)):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "D2"
    numbers = DataValidation(type="decimal", operator="between", formula1="-1E15", formula2="1E15", allow_blank=True)
    numbers.error = _("Enter a number.")
    numbers.showErrorMessage = True
    ws.add_data_validation(numbers)
    numbers.add(f"D2:F{ws.max_row}")
    # The code, name and unit columns are protected (no password) so a sort or a stray keystroke
    # does not detach a figure from its indicator; the value columns stay editable.
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.autoFilter = False
    wb.properties.title = report.title
    wb.properties.subject = f"{report.bureau.code} {report.period.code}"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def template_filename(*, report: Report) -> str:
    return f"indicators-{report.bureau.code}-{report.period.code}.xlsx"


# ----- reading an upload ----------------------------------------------------------------------------


class SpreadsheetError(ValueError):
    """The file cannot be read as our template; the message is translated."""


@dataclass
class UploadRow:
    line: int  # spreadsheet row number
    slug: str
    definition: IndicatorDefinition | None = None
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    note: str = ""
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    change: str = "same"  # new | changed | removed | same
    current: IndicatorValue | None = None

    @property
    def resolved(self) -> Decimal | None:
        if self.definition is None:
            return self.value
        return resolve_value(self.as_input())

    def as_input(self) -> ValueInput:
        return ValueInput(
            definition=self.definition,
            value=self.value,
            numerator=self.numerator,
            denominator=self.denominator,
            note=self.note,
            version=self.current.version if self.current else 0,
        )


@dataclass
class UploadPreview:
    rows: list[UploadRow]
    problems: list[str] = field(default_factory=list)  # file-level warnings

    @property
    def errors(self) -> int:
        return sum(1 for r in self.rows if r.errors)

    @property
    def changes(self) -> list[UploadRow]:
        return [r for r in self.rows if r.change != "same" and not r.errors]

    @property
    def is_valid(self) -> bool:
        return self.errors == 0

    @property
    def notable(self) -> list[UploadRow]:
        """Rows with a problem first, then the rows that change something."""
        flagged = [r for r in self.rows if r.errors or r.warnings]
        return flagged + [r for r in self.changes if not r.warnings]

    @property
    def unchanged(self) -> list[UploadRow]:
        return [r for r in self.rows if r.change == "same" and not r.errors and not r.warnings]


def _check_container(data: bytes) -> None:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise SpreadsheetError(_("This is not an Excel workbook (.xlsx). Save the file as .xlsx and try again."))
    try:
        names = zip_member_names(
            data,
            max_members=MAX_ZIP_MEMBERS,
            max_unpacked=MAX_UNPACKED_BYTES,
            max_ratio=MAX_RATIO,
            max_member=MAX_MEMBER_BYTES,
            member_limits={"xl/sharedStrings.xml": MAX_SHARED_STRINGS_BYTES},
        )
    except zipfile.BadZipFile:
        raise SpreadsheetError(_("The file is damaged and cannot be read.")) from None
    except ZipTooLarge:
        raise SpreadsheetError(_("This workbook is too large to read. Keep only the indicator sheet.")) from None
    if "xl/workbook.xml" not in names:
        raise SpreadsheetError(_("This is not an Excel workbook (.xlsx). Save the file as .xlsx and try again."))


def _cell_number(cell, definition: IndicatorDefinition) -> Decimal | None:
    """A cell's number: numbers as typed (a percentage-formatted 0.73 in a % field is 73), text
    through parse_number. Raises NumberError."""
    raw = cell.value
    if raw is None:
        return None
    if isinstance(raw, bool) or isinstance(raw, (datetime.date, datetime.time, datetime.timedelta)):
        raise NumberError(NOT_A_NUMBER, text=str(raw))
    if isinstance(raw, (int, float)):
        try:
            number = Decimal(repr(raw)) if isinstance(raw, float) else Decimal(raw)
        except InvalidOperation:
            raise NumberError(NOT_A_NUMBER, text=str(raw)) from None
        if not number.is_finite() or abs(number) >= Decimal("1e15"):
            raise NumberError(TOO_LARGE, text=str(raw))
        fmt = getattr(cell, "number_format", "") or ""
        if "%" in fmt and definition.kind == IndicatorDefinition.Kind.PERCENT:
            number *= 100
        number = number.quantize(Decimal("0.0001")) if number.as_tuple().exponent < -4 else number
        return parse_number(f"{number:f}", kind=definition.kind, unit=definition.unit)
    return parse_number(str(raw), kind=definition.kind, unit=definition.unit)


def _header_map(header: tuple) -> dict[str, int]:
    found = {}
    for index, cell in enumerate(header):
        text = str(cell.value or "").strip().lower()
        for key, names in _HEADERS.items():
            if text in names and key not in found:
                found[key] = index
    return found


def upload_parse(*, report: Report, data: bytes) -> UploadPreview:
    """Read an uploaded template and check every row against the catalogue and the report's current
    values. Changes nothing. Raises SpreadsheetError when the file as a whole cannot be used."""
    if len(data) > settings.MAX_UPLOAD_BYTES:
        raise SpreadsheetError(
            _("The file is larger than %(size)s MB.") % {"size": settings.MAX_UPLOAD_BYTES // (1024 * 1024)}
        )
    _check_container(data)
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for broken XML; none of them may take the page down
        raise SpreadsheetError(_("The file is damaged and cannot be read.")) from None
    try:
        formulas = _formula_cells(data)
        preview = _read_rows(report=report, ws=wb.worksheets[0], formulas=formulas)
        subject = (wb.properties.subject or "").strip() if wb.properties else ""
        expected = f"{report.bureau.code} {report.period.code}"
        if subject and subject != expected:
            preview.problems.append(
                _(
                    "This file was downloaded for another report (%(subject)s). Check that the figures are this report's."
                )
                % {"subject": subject}
            )
        return preview
    except SpreadsheetError:
        raise
    except Exception:
        raise SpreadsheetError(_("The file is damaged and cannot be read.")) from None
    finally:
        wb.close()


def _formula_cells(data: bytes) -> set[tuple[int, int]]:
    """(row, column) of the first sheet's formula cells. With data_only a formula whose result was
    never computed (a file written by a program, not saved by Excel) reads as empty, which must not
    be taken for a clear."""
    wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        return {
            (c.row, c.column)
            for cells in wb.worksheets[0].iter_rows(max_row=MAX_ROWS + 1, max_col=MAX_COLUMNS)
            for c in cells
            if getattr(c, "data_type", "") == "f"
        }
    finally:
        wb.close()


def _unreadable(cell, formulas: set[tuple[int, int]]) -> str:
    """Why a cell's content cannot be taken as entered (translated), or ""."""
    if getattr(cell, "data_type", "") == "e":
        return _("the cell shows the error %(error)s; correct the formula or type the number.") % {"error": cell.value}
    if cell.value is None and (getattr(cell, "row", None), getattr(cell, "column", None)) in formulas:
        return _(
            "the cell holds a formula without a computed result; open the file in Excel and save it, or type the number."
        )
    return ""


def _read_rows(*, report: Report, ws, formulas: set[tuple[int, int]] = frozenset()) -> UploadPreview:
    rows_iter = ws.iter_rows(max_col=MAX_COLUMNS)
    header = next(rows_iter, None)
    columns = _header_map(header or ())
    if "slug" not in columns or "value" not in columns:
        raise SpreadsheetError(
            _(
                "The first row must be the template's header with the columns Code and Value. Download the template again."
            )
        )
    definitions = {d.slug: d for d in IndicatorDefinition.objects.all()}
    current = {v.definition.slug: v for v in IndicatorValue.objects.filter(report=report).select_related("definition")}
    rows: list[UploadRow] = []
    seen: dict[str, int] = {}
    for line, cells in enumerate(rows_iter, start=2):
        if line > MAX_ROWS + 1:
            raise SpreadsheetError(
                _("The sheet has more than %(rows)s rows; this is not the template.") % {"rows": MAX_ROWS}
            )

        def cell(key: str, cells=cells):
            index = columns.get(key)
            return cells[index] if index is not None and index < len(cells) else None

        slug_cell = cell("slug")
        slug = str(slug_cell.value).strip() if slug_cell is not None and slug_cell.value is not None else ""
        if not slug and all(c.value in (None, "") for c in cells):
            continue
        row = UploadRow(line=line, slug=slug)
        rows.append(row)
        definition = definitions.get(slug)
        if definition is None:
            row.errors.append(_("Unknown indicator “%(slug)s”.") % {"slug": slug or "—"})
            continue
        if slug in seen:
            row.errors.append(
                _("%(name)s appears twice (rows %(first)s and %(second)s).")
                % {
                    "name": definition.name,
                    "first": seen[slug],
                    "second": line,
                }
            )
            continue
        seen[slug] = line
        row.definition = definition
        known = current.get(slug)
        for key in ("value", "numerator", "denominator"):
            c = cell(key)
            if c is None:  # a column the sheet lacks changes nothing
                setattr(row, key, getattr(known, key) if known else None)
                continue
            if problem := _unreadable(c, formulas):
                row.errors.append(_("%(column)s: %(problem)s") % {"column": header_labels()[key], "problem": problem})
                continue
            try:
                kind = definition.kind if key == "value" else IndicatorDefinition.Kind.COUNT
                number = _cell_number(c, definition) if key == "value" else _part_number(c, kind)
            except NumberError as error:
                labels = header_labels()
                row.errors.append(_("%(column)s: %(problem)s") % {"column": labels[key], "problem": error.translated()})
                continue
            setattr(row, key, number)
        note_cell = cell("note")
        if note_cell is None:
            row.note = known.note if known else ""
        else:
            row.note = clean_text(str(note_cell.value)).strip() if note_cell.value is not None else ""
        row.errors.extend(check_row(row.as_input()))
        if row.errors:
            continue
        _compare(row, current.get(slug))
        if warning := rate_without_parts(row.as_input()):
            row.warnings.append(warning)
        resolved = row.resolved
        if definition.out_of_range(resolved) and not row.note:
            row.warnings.append(
                _("%(value)s is outside the usual range (%(low)s–%(high)s); please add a note.")
                % {
                    "value": resolved,
                    "low": _fmt(definition.range_min),
                    "high": _fmt(definition.range_max),
                }
            )
    return UploadPreview(rows=rows)


def _part_number(cell, kind: str) -> Decimal | None:
    """Numerators and denominators are plain counts (people, births), whatever the rate's kind."""
    raw = cell.value
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        number = Decimal(repr(raw)) if isinstance(raw, float) else Decimal(raw)
        return parse_number(f"{number:f}", kind=kind)
    if raw is None:
        return None
    if isinstance(raw, (bool, datetime.date, datetime.time, datetime.timedelta)):
        raise NumberError(NOT_A_NUMBER, text=str(raw))
    return parse_number(str(raw), kind=kind)


def _fmt(number: Decimal | None) -> str:
    if number is None:
        return "…"
    return number_text(number)


def _compare(row: UploadRow, current: IndicatorValue | None) -> None:
    row.current = current
    new = (row.resolved, row.numerator, row.denominator, row.note)
    empty = new[0] is None and row.numerator is None and row.denominator is None and not row.note
    if current is None:
        row.change = "same" if empty else "new"
    elif empty:
        row.change = "removed"
    else:
        old = (current.value, current.numerator, current.denominator, current.note)
        row.change = "same" if old == new else "changed"


# ----- keeping a checked upload between preview and confirmation -------------------------------------


def rows_to_session(rows: list[UploadRow]) -> list[dict]:
    """The changed rows as plain data for the session (never the file itself)."""

    def s(number: Decimal | None) -> str | None:
        return None if number is None else str(number)

    return [
        {
            "slug": r.slug,
            "value": s(r.value),
            "numerator": s(r.numerator),
            "denominator": s(r.denominator),
            "note": r.note,
            "version": r.current.version if r.current else 0,
        }
        for r in rows
    ]


def rows_from_session(data: list[dict]) -> list[ValueInput]:
    definitions = {d.slug: d for d in IndicatorDefinition.objects.filter(slug__in=[r["slug"] for r in data])}

    def d(text: str | None) -> Decimal | None:
        return None if text is None else Decimal(text)

    return [
        ValueInput(
            definition=definitions[r["slug"]],
            value=d(r["value"]),
            numerator=d(r["numerator"]),
            denominator=d(r["denominator"]),
            note=r["note"],
            version=r["version"],
        )
        for r in data
        if r["slug"] in definitions
    ]
