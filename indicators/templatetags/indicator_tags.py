"""Showing indicator numbers: Decimals without trailing zeros, thousands grouped."""

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def num(value) -> str:
    """12345.5000 -> "12,345.5"; None -> "" ."""
    if value is None or value == "":
        return ""
    if not isinstance(value, Decimal):
        value = Decimal(str(value))
    text = f"{value:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text
