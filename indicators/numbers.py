"""The one way to write a number: a Decimal (and its unit) as people read it on every page and output.

- thousands grouped with commas: 730000 -> "730,000" (ungrouped only for a form field's value, which the
  clerk edits: `group=False`);
- no stray zeros: 46.1400 -> "46.14", 3E+2 -> "300", -0 -> "0";
- units as people write them: a percent or per-mille sign and a "per 100,000" follow the number
  directly ("46.14%", "3.85‰", "3.85/10万"), any other unit after a space ("50,400 万元", "78.5 岁").

Pure Python, no Django: pages, PDF, Word and Excel call it alike.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

# Units written straight after the number; the catalogue's "1/10万" is written "/10万" after it.
_ATTACHED = {"%": "%", "％": "%", "‰": "‰", "1/10万": "/10万", "/10万": "/10万"}


def number_text(value, unit: str = "", *, group: bool = True) -> str:
    """`value` (Decimal, int, float or numeric text; None or "" give "") with its `unit`."""
    if value is None or value == "":
        return ""
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).replace(",", ""))
    except InvalidOperation:
        return str(value)
    if not number.is_finite():
        return str(value)
    text = f"{number:,f}" if group else f"{number:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    unit = (unit or "").strip()
    if not unit:
        return text
    if unit in _ATTACHED:
        return text + _ATTACHED[unit]
    return f"{text} {unit}"


def change_text(value, unit: str = "") -> str:
    """A signed change: "+1.5", "-2,000 人", "+0.7%" (for a rate: the change in points of its unit)."""
    if value is None or value == "":
        return ""
    text = number_text(value, unit)
    return text if text.startswith("-") or text.startswith("0") else f"+{text}"
