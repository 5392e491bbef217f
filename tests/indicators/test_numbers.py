"""Issue 13: one way to write a number, on every page and in every output."""

from decimal import Decimal

import pytest

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
    assert change_text(Decimal("1.50"), "%") == "+1.5%"
    assert change_text(Decimal("-2000"), "人") == "-2,000 人"
    assert change_text(Decimal("0"), "") == "0"
