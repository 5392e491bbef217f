"""The one way to write a number: a Decimal (and its unit) as people read it on every page and output.

- thousands grouped with commas: 730000 -> "730,000" (ungrouped only for a form field's value, which the
  clerk edits: `group=False`);
- no stray zeros: 46.1400 -> "46.14", 3E+2 -> "300", -0 -> "0";
- units as people write them: a percent or per-mille sign and a "per 100,000" follow the number
  directly ("46.14%", "3.85‰", "3.85/10万"), any other unit after a space ("50,400 万元", "78.5 岁").

A change (`change_text`) is signed ("+1.5", "-2,000 人"); the change of a percentage or per-mille
rate is a difference of points, not a percentage: 70.34% -> 77.89% is "+7.55个百分点" (a per-mille
rate "个千分点"). A rate per 100,000 keeps its unit ("+0.5/10万").

Pure Python but for Django's gettext (the words of a point, in the page's language): pages, PDF, Word
and Excel call it alike.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils.translation import pgettext

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
    return _with_unit(text, unit)


def _with_unit(text: str, unit: str) -> str:
    unit = (unit or "").strip()
    if not unit:
        return text
    if unit in _ATTACHED:
        return text + _ATTACHED[unit]
    return f"{text} {unit}"


def change_text(value, unit: str = "") -> str:
    """A signed change: "+1.5", "-2,000 人", "0", "+0.5/10万"; for a percentage or per-mille rate the
    difference in points: "+7.55个百分点", "-0.3个千分点"."""
    text = number_text(value)
    if not text[:1].isdigit() and not text.startswith("-"):
        return text  # nothing, or not a number
    if text != "0" and not text.startswith("-"):
        text = "+" + text
    written = _ATTACHED.get((unit or "").strip())
    if written == "%":
        return pgettext("change of a percentage", "%(number)s percentage points") % {"number": text}
    if written == "‰":
        return pgettext("change of a per-mille rate", "%(number)s per-mille points") % {"number": text}
    return _with_unit(text, unit)
