"""Chinese section numbering, computed from position: 一、 （一） 1. （1） ①."""

_DIGITS = "零一二三四五六七八九"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


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


def section_number(depth: int, index: int) -> str:
    """The label of the index-th (1-based) section at a depth (1-based): 一、 （一） 1. （1） ①."""
    if depth == 1:
        return f"{chinese_numeral(index)}、"
    if depth == 2:
        return f"（{chinese_numeral(index)}）"
    if depth == 3:
        return f"{index}."
    if depth == 4:
        return f"（{index}）"
    return _CIRCLED[index - 1] if index <= len(_CIRCLED) else f"[{index}]"
