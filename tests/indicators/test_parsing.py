from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicators.parsing import NumberError, parse_number


@pytest.mark.parametrize(
    ("text", "kind", "unit", "expected"),
    [
        ("１２３", "count", "人", Decimal(123)),
        ("12,345", "count", "人", Decimal(12345)),
        ("12 345", "count", "人", Decimal(12345)),
        ("1,234.5", "money", "万元", Decimal("1234.5")),
        ("73%", "percent", "%", Decimal(73)),
        ("７３．５％", "percent", "%", Decimal("73.5")),
        ("4.5‰", "permille", "‰", Decimal("4.5")),
        ("1200人", "count", "人", Decimal(1200)),
        ("35万元", "money", "万元", Decimal(35)),
        ("1.2万", "count", "人次", Decimal(12000)),
        ("-3.2", "permille", "‰", Decimal("-3.2")),
        ("0", "count", "人", Decimal(0)),
    ],
)
def test_numbers_as_clerks_type_them(text, kind, unit, expected):
    assert parse_number(text, kind=kind, unit=unit) == expected


@pytest.mark.parametrize("text", ["", "   ", None])
def test_empty_means_not_reported(text):
    assert parse_number(text, kind="count") is None


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("abc", "count"),
        ("七十三", "percent"),
        ("12,34", "count"),
        ("1.2.3", "count"),
        ("73%", "permille"),
        ("-5", "count"),
    ],
)
def test_refused_with_a_message(text, kind):
    with pytest.raises(NumberError) as err:
        parse_number(text, kind=kind)
    assert err.value.message


@given(st.text(max_size=30), st.sampled_from(["count", "money", "percent", "permille", "ratio"]))
def test_never_raises_anything_but_number_error(text, kind):
    try:
        result = parse_number(text, kind=kind)
    except NumberError:
        return
    assert result is None or isinstance(result, Decimal)


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False))
def test_round_trip_of_plain_decimals(value):
    assert parse_number(str(value), kind="ratio") == value
