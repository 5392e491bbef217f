"""Cells we write from user text must stay text (CWE-1236, spreadsheet formula injection).

A value starting with = + - @ TAB or CR is taken as a formula by Excel, WPS and LibreOffice when it
comes from a CSV file; in an .xlsx file openpyxl itself writes a string starting with "=" as a
formula. `csv_text` prefixes such values with an apostrophe (OWASP's advice); `as_text` makes an
openpyxl cell a string cell whatever its value looks like.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_text(value):
    """A CSV field: text that a spreadsheet would evaluate gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def as_text(cell):
    """Store an openpyxl cell holding a string as a string (never a formula); returns the cell."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
    return cell
