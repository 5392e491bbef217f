"""Showing indicator numbers: the one number function (indicators.numbers) for templates."""

from django import template

from ..numbers import change_text, number_text

register = template.Library()


@register.filter
def num(value, unit: str = "") -> str:
    """12345.5000 -> "12,345.5"; with a unit: {{ v|num:"%" }} -> "46.14%"; None -> "" ."""
    return number_text(value, unit)


@register.filter
def change(value, unit: str = "") -> str:
    """A signed change: {{ c|change:"%" }} -> "+1.5%"."""
    return change_text(value, unit)
