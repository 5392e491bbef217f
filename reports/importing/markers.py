"""Heading numbers as they are written in report text: 一、 （一） 1. 1、 （1） ①, and placeholders
such as X、. Pure Python (no Django imports)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from reports.numbering import (
    AR,
    AR_PAREN,
    CIRCLED,
    CIRCLED_CHARS,
    CN,
    CN_DIGITS,
    CN_PAREN,
    PART,
    RANK,
    STANDARD_STYLES,
    cn_value,
    label,
)

__all__ = ["AR", "AR_PAREN", "CIRCLED", "CN", "CN_PAREN", "PART", "RANK", "STANDARD_STYLES", "cn_value", "label"]

MARKER_RE = re.compile(
    rf"(?P<cn>[{CN_DIGITS}]{{1,4}})[、.]"
    rf"|（(?P<cnp>[{CN_DIGITS}]{{1,4}})）"
    r"|（(?P<arp>\d{1,2})）"
    r"|(?P<ar>\d{1,2})(?:、(?=\d{4}年)|[、.](?![\d%]))"  # 3、2024年工作计划, not 1、2月份 nor 4.5
    r"|(?P<ph>[xX×]{1,2})、"
    rf"|(?P<ci>[{CIRCLED_CHARS}])"
)
_AFTER_MARKER_OK = re.compile(rf"[{'A-Za-z'}\u3400-\u9fff“《「‘（]")
# 第一部分 2023年工作总结: a part of the report, when its words are a heading (not 第一部分资金已拨付。).
_PART_RE = re.compile(rf"第(?P<n>[{CN_DIGITS}]{{1,4}}|\d{{1,2}})部分[：、.\s]*")
_PART_HEADING = re.compile(r"[^。！？；，]{0,40}[。：]?")
INLINE_AT = re.compile(r"(?<=[。！？；：])")  # where a heading may start inside running text


@dataclass
class Marker:
    style: str
    value: int | None  # None: a placeholder such as X、
    start: int
    end: int


def marker_at(text: str, pos: int, *, alone: bool = False) -> Marker | None:
    """The heading number at `pos`, if one starts there and text follows it (or, with `alone`,
    the number is all there is: a heading whose words are on the next line). A part (第一部分)
    counts only when a heading follows it, not a sentence."""
    part = _PART_RE.match(text, pos)
    if part and _PART_HEADING.fullmatch(text, part.end()):
        n = part.group("n")
        value = int(n) if n.isdigit() else cn_value(n)
        return Marker(PART, value, part.start(), part.end()) if value and (alone or part.end() < len(text)) else None
    m = MARKER_RE.match(text, pos)
    if not m:
        return None
    after = text[m.end() : m.end() + 1]
    if alone and not after:
        pass
    elif not after or not (
        _AFTER_MARKER_OK.match(after)
        or (after.isdigit() and not m.group("ph") and not (m.group("ar") and m.group()[-1] == "."))
    ):
        return None
    if m.group("cn"):
        value = cn_value(m.group("cn"))
        if not value or (m.group()[-1] == "." and len(m.group("cn")) > 1):
            return None
        return Marker(CN, value, m.start(), m.end())
    if m.group("cnp"):
        value = cn_value(m.group("cnp"))
        return Marker(CN_PAREN, value, m.start(), m.end()) if value else None
    if m.group("arp"):
        return Marker(AR_PAREN, int(m.group("arp")), m.start(), m.end())
    if m.group("ar"):
        value = int(m.group("ar"))
        return Marker(AR, value, m.start(), m.end()) if value else None
    if m.group("ph"):
        return Marker(AR, None, m.start(), m.end())
    return Marker(CIRCLED, CIRCLED_CHARS.index(m.group("ci")) + 1, m.start(), m.end())
