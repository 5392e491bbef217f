"""Reading a number as a clerk types it: full-width digits, thousands separators, "73%", "1.2万".

Pure Python (no Django imports) so the text importer can use it too. Errors carry a message id in
English; callers translate it (the messages are in the project's catalogue).
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation


def _(message: str) -> str:
    """Marks a message id for the translation catalogue (makemessages); translated by the caller."""
    return message


NOT_A_NUMBER = _("“%(text)s” is not a number.")
WRONG_UNIT = _("“%(text)s” has a unit this indicator does not use.")
TOO_LARGE = _("“%(text)s” is too large.")
NEGATIVE_COUNT = _("A count cannot be negative.")

# Unit suffixes a clerk may type after the number, by indicator kind. They are stripped when they
# match the indicator's own unit; a percentage typed into a per-mille field is refused.
_SUFFIXES = {
    "percent": ("%", "％"),
    "permille": ("‰",),
}
_SCALE = {"万": Decimal(10_000), "亿": Decimal(100_000_000)}
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")


class NumberError(ValueError):
    """The text is not a number this field accepts. `message` is an English message id;
    `translated()` gives it in the active language (Django callers)."""

    def __init__(self, message: str, **params: str) -> None:
        super().__init__(message % params if params else message)
        self.message = message
        self.params = params

    def translated(self) -> str:
        from django.utils.translation import gettext

        text = gettext(self.message)
        return text % self.params if self.params else text


def normalise(text: str) -> str:
    """Full-width digits and signs to ASCII (NFKC), spaces removed, Chinese comma and point mapped."""
    text = unicodedata.normalize("NFKC", text or "")
    text = text.replace("，", ",").replace("。", ".").replace("．", ".").replace("－", "-").replace("−", "-")
    return re.sub(r"\s+", "", text)


def parse_number(text: str | None, *, kind: str = "count", unit: str = "") -> Decimal | None:
    """Parse what a clerk typed. Empty means "not reported" and gives None (never zero).

    Accepts "１２３", "12,345", "12 345", "73%", "73％" in a percentage field, "4.5‰" in a per-mille
    field, the indicator's own unit after the number ("1200人", "35万元" in a 万元 field), and a 万/亿
    multiplier for counts ("1.2万" people -> 12000). Raises NumberError otherwise.
    """
    raw = normalise(text or "")
    if raw == "":
        return None
    s = raw
    unit_n = normalise(unit)
    if unit_n and s.endswith(unit_n) and len(s) > len(unit_n):
        s = s[: -len(unit_n)]
    for k, suffixes in _SUFFIXES.items():
        for suffix in suffixes:
            if s.endswith(suffix):
                if kind != k:
                    raise NumberError(WRONG_UNIT, text=text.strip())
                s = s[: -len(suffix)]
    scale = Decimal(1)
    if s and s[-1] in _SCALE and kind in ("count", "money") and not unit_n.startswith(s[-1]):
        scale = _SCALE[s[-1]]
        s = s[:-1]
    if "," in s:
        if not _GROUPED.match(s):
            raise NumberError(NOT_A_NUMBER, text=text.strip())
        s = s.replace(",", "")
    if not _NUMBER.match(s):
        raise NumberError(NOT_A_NUMBER, text=text.strip())
    try:
        value = Decimal(s) * scale
    except InvalidOperation:
        raise NumberError(NOT_A_NUMBER, text=text.strip()) from None
    if not value.is_finite() or abs(value) >= Decimal("1e15"):
        raise NumberError(TOO_LARGE, text=text.strip())
    if kind == "count" and value < 0:
        raise NumberError(NEGATIVE_COUNT)
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value
