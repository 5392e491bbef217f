"""Heading numbers as they are written in report text: 一、 （一） 1. 1、 （1） ①, and placeholders
such as X、. Pure Python (no Django imports)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from reports.numbering import chinese_numeral

# Heading styles, outermost first. A style's rank decides nesting when it first appears.
CN, CN_PAREN, AR, AR_PAREN, CIRCLED = "cn", "cn_paren", "ar", "ar_paren", "circled"
RANK = {CN: 0, CN_PAREN: 1, AR: 2, AR_PAREN: 3, CIRCLED: 4}
STANDARD_STYLES = (CN, CN_PAREN, AR, AR_PAREN, CIRCLED)  # by depth, as reports.numbering numbers them

CN_DIGITS = "一二三四五六七八九十百零〇两"
CIRCLED_CHARS = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
MARKER_RE = re.compile(
    rf"(?P<cn>[{CN_DIGITS}]{{1,4}})[、.]"
    rf"|（(?P<cnp>[{CN_DIGITS}]{{1,4}})）"
    r"|（(?P<arp>\d{1,2})）"
    r"|(?P<ar>\d{1,2})[、.](?![\d%])"
    r"|(?P<ph>[xX×]{1,2})、"
    rf"|(?P<ci>[{CIRCLED_CHARS}])"
)
_AFTER_MARKER_OK = re.compile(rf"[{'A-Za-z'}\u3400-\u9fff“《「‘（]")
INLINE_AT = re.compile(r"(?<=[。！？；])")  # where a heading may start inside running text


def cn_value(text: str) -> int:
    """一 -> 1, 十二 -> 12, 二十 -> 20, 一百零五 -> 105; 0 when it is not a numeral."""
    digits = {c: i for i, c in enumerate("零一二三四五六七八九")}
    digits.update({"〇": 0, "两": 2})
    total, current = 0, 0
    for c in text:
        if c in digits:
            current = digits[c]
        elif c == "十":
            total += (current or 1) * 10
            current = 0
        elif c == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return 0
    return total + current


def label(style: str, value: int) -> str:
    """The canonical label of a heading number in its style: 一、 （一） 1. （1） ①."""
    if value <= 0:
        value = 1
    if style == CN:
        return f"{chinese_numeral(value)}、"
    if style == CN_PAREN:
        return f"（{chinese_numeral(value)}）"
    if style == AR:
        return f"{value}."
    if style == AR_PAREN:
        return f"（{value}）"
    return CIRCLED_CHARS[value - 1] if value <= len(CIRCLED_CHARS) else f"（{value}）"


@dataclass
class Marker:
    style: str
    value: int | None  # None: a placeholder such as X、
    start: int
    end: int


def marker_at(text: str, pos: int, *, alone: bool = False) -> Marker | None:
    """The heading number at `pos`, if one starts there and text follows it (or, with `alone`,
    the number is all there is: a heading whose words are on the next line)."""
    m = MARKER_RE.match(text, pos)
    if not m:
        return None
    after = text[m.end() : m.end() + 1]
    if alone and not after:
        pass
    elif not after or not (_AFTER_MARKER_OK.match(after) or (after.isdigit() and not (m.group("ar") or m.group("ph")))):
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
