"""The editor's indicator grid: what the clerk typed, parsed, per row.

Field names per indicator slug: `<slug>-value`, `<slug>-num`, `<slug>-den`, `<slug>-note`, the
`<slug>-version` the page was drawn from and `<slug>-orig`, a fingerprint of the text as drawn, so
only rows the clerk actually changed are sent to `values_save` (and checked for conflicts).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

from django.http import QueryDict

from .models import IndicatorValue
from .numbers import number_text
from .parsing import NumberError, parse_number
from .selectors import GridRow
from .services import ValueInput

PARTS = ("value", "num", "den", "note")


def texts_of(current: IndicatorValue | None) -> dict[str, str]:
    if current is None:
        return dict.fromkeys(PARTS, "")
    return {
        "value": number_text(current.value, group=False),
        "num": number_text(current.numerator, group=False),
        "den": number_text(current.denominator, group=False),
        "note": current.note,
    }


def fingerprint(texts: dict[str, str]) -> str:
    joined = "\x1f".join((texts.get(p) or "").strip() for p in PARTS)
    return hashlib.sha256(joined.encode()).hexdigest()[:16]


@dataclass
class GridCell:
    """One grid row as the form shows it: the texts (as drawn or as typed) and any errors."""

    row: GridRow
    texts: dict[str, str]
    version: int
    orig: str
    errors: list[str] = field(default_factory=list)

    def __getattr__(self, name):  # row.definition, row.previous_value, ... for templates
        return getattr(self.__dict__["row"], name)


def grid_cells(*, rows: list[GridRow], data: QueryDict | None = None) -> list[GridCell]:
    """Cells drawn from the database, or (with `data`) carrying what was typed back to the page."""
    cells = []
    for row in rows:
        texts = texts_of(row.current)
        orig, version = fingerprint(texts), row.version
        if data is not None:
            # A field the request does not carry keeps its drawn text: only an explicit clear removes.
            texts = {p: data.get(f"{row.slug}-{p}", texts[p]) for p in PARTS}
            orig = data.get(f"{row.slug}-orig", orig)
            version = _int(data.get(f"{row.slug}-version"), version)
        cells.append(GridCell(row=row, texts=texts, version=version, orig=orig))
    return cells


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


def grid_parse(*, cells: list[GridCell]) -> list[ValueInput]:
    """ValueInputs for the rows whose text changed; errors are put on the cells (translated)."""
    inputs = []
    for cell in cells:
        if fingerprint(cell.texts) == cell.orig:
            continue
        d = cell.row.definition
        parsed: dict[str, Decimal | None] = {}
        for part in ("value", "num", "den"):
            kind, unit = (d.kind, d.unit) if part == "value" else ("count", "")
            try:
                parsed[part] = parse_number(cell.texts[part], kind=kind, unit=unit)
            except NumberError as e:
                cell.errors.append(e.translated())
        if cell.errors:
            continue
        inputs.append(
            ValueInput(
                definition=d,
                value=parsed["value"],
                numerator=parsed["num"],
                denominator=parsed["den"],
                note=cell.texts["note"],
                version=cell.version,
            )
        )
    return inputs
