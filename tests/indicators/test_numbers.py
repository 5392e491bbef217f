"""Issue 13: one way to write a number, on every page and in every output."""

from decimal import Decimal

import pytest
from django.utils import translation

from indicators.numbers import change_text, number_text


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (Decimal("46.1400"), "%", "46.14%"),
        (Decimal("3.8500"), "1/10万", "3.85/10万"),
        (Decimal("50400"), "万元", "50,400 万元"),
        (Decimal("730000"), "", "730,000"),
        (Decimal("3E+2"), "", "300"),
        (Decimal("12.5000"), "", "12.5"),
        (Decimal("-0.000"), "人", "0 人"),
        (Decimal("1234567.8900"), "人次", "1,234,567.89 人次"),
        (Decimal("2.10"), "‰", "2.1‰"),
        (Decimal("78.50"), "岁", "78.5 岁"),
        (None, "%", ""),
        (7, "", "7"),
    ],
)
def test_number_text(value, unit, text):
    assert number_text(value, unit) == text


def test_form_field_values_are_not_grouped():
    assert number_text(Decimal("50400.00"), group=False) == "50400"


def test_change_text_is_signed():
    assert change_text(Decimal("1.50"), "") == "+1.5"
    assert change_text(Decimal("-2000"), "人") == "-2,000 人"
    assert change_text(Decimal("0"), "") == "0"
    assert change_text(Decimal("-0.00"), "人") == "0 人"
    assert change_text(Decimal("0.50"), "万元") == "+0.5 万元"  # not "0.5 万元": a rise below one is a rise
    assert change_text(Decimal("12000"), "万元") == "+12,000 万元"
    assert change_text(None, "%") == ""


@pytest.mark.parametrize(
    ("value", "unit", "zh", "en"),
    [
        (Decimal("7.5500"), "%", "+7.55个百分点", "+7.55 percentage points"),
        (Decimal("-0.30"), "‰", "-0.3个千分点", "-0.3 per-mille points"),
        (Decimal("0"), "%", "0个百分点", "0 percentage points"),
        (Decimal("0.50"), "1/10万", "+0.5/10万", "+0.5/10万"),
    ],
)
def test_a_rates_change_is_in_points(value, unit, zh, en):
    """70.34% -> 77.89% is a rise of 7.55 percentage points, not of 7.55 %."""
    with translation.override("zh-hans"):
        assert change_text(value, unit) == zh
    with translation.override("en"):
        assert change_text(value, unit) == en
