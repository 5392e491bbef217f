"""Chinese section numbering, the one home of it: the labels computed from position
(一、 （一） 1. （1） ①) and the numerals read back from text. Pure Python (no Django imports):
the editor, the documents and the text import (reports/importing/markers.py) all use it."""

# Heading styles, outermost first; a section's depth (1-based) picks the style by position.
CN, CN_PAREN, AR, AR_PAREN, CIRCLED = "cn", "cn_paren", "ar", "ar_paren", "circled"
STANDARD_STYLES = (CN, CN_PAREN, AR, AR_PAREN, CIRCLED)
# A text may divide a report into parts (第一部分 …) above its 一、: read on import, never computed.
PART = "part"
RANK = {PART: -1, **{style: i for i, style in enumerate(STANDARD_STYLES)}}

_DIGITS = "零一二三四五六七八九"
CN_DIGITS = "一二三四五六七八九十百零〇两"
CIRCLED_CHARS = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def chinese_numeral(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 20 -> 二十, 99 -> 九十九, 100 -> 一百, 105 -> 一百零五."""
    if n <= 0:
        raise ValueError("numbering starts at 1")
    if n < 10:
        return _DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        if rest == 0:
            tail = ""
        elif rest < 10:
            tail = "零" + _DIGITS[rest]
        else:
            tail = chinese_numeral(rest) if rest >= 20 else "一" + chinese_numeral(rest)
        return _DIGITS[hundreds] + "百" + tail
    return str(n)


_DIGIT_VALUES = {**{c: i for i, c in enumerate(_DIGITS)}, "〇": 0, "两": 2}


def cn_value(text: str) -> int:
    """一 -> 1, 十二 -> 12, 二十 -> 20, 一百零五 -> 105; 0 when it is not a numeral."""
    digits = _DIGIT_VALUES
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
    value = max(value, 1)
    if style == PART:
        return f"第{chinese_numeral(value)}部分"
    if style == CN:
        return f"{chinese_numeral(value)}、"
    if style == CN_PAREN:
        return f"（{chinese_numeral(value)}）"
    if style == AR:
        return f"{value}."
    if style == AR_PAREN:
        return f"（{value}）"
    return CIRCLED_CHARS[value - 1] if value <= len(CIRCLED_CHARS) else f"[{value}]"


def section_number(depth: int, index: int) -> str:
    """The label of the index-th (1-based) section at a depth (1-based): 一、 （一） 1. （1） ①."""
    return label(STANDARD_STYLES[min(depth, len(STANDARD_STYLES)) - 1], index)
