"""Where lines break and where the signature sits: pure functions of text and font metrics, shared
by the PDF, Word and web outputs (so all three break a title at the same places)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from django.conf import settings

# A 2号 (22 pt) title on the 156 mm (442 pt) type area: 20.1 em.
TITLE_EM_PER_LINE = 20.0
TITLE_FONT = Path(settings.BASE_DIR) / "static" / "fonts" / "NotoSerifCJKsc-Bold-GB.otf"
SIGNATURE_RIGHT_EM = 2  # GB/T 9704-2012 §7.3.5.2: 右空二字; the date starts two characters in
LINE_CHARS = 28


@cache
def _title_advances() -> dict[int, float]:
    """Advance widths (em) of the title face: its digits are 0.59 em, not half a character."""
    from fontTools.ttLib import TTFont

    font = TTFont(TITLE_FONT, lazy=True)
    upm = font["head"].unitsPerEm
    hmtx = font["hmtx"]
    return {cp: hmtx[name][0] / upm for cp, name in font.getBestCmap().items()}


def title_width(text: str) -> float:
    advances = _title_advances() if TITLE_FONT.exists() else {}
    return sum(advances.get(ord(ch), 0.5 if ord(ch) < 0x80 else 1.0) for ch in text)


_NO_LINE_START = set("，。、；：！？）》」』”’%％·—…")
_NO_LINE_END = set("（《「『“‘")
# Words a title must not be cut inside (besides the bureau's name), longest first.
TITLE_WORDS = (
    "卫生健康委员会",
    "卫生健康局",
    "卫生健康",
    "工作总结",
    "工作安排",
    "工作计划",
    "上半年",
    "下半年",
    "年度",
)
_ADMIN_UNIT = re.compile(r".+?(?:特别行政区|自治区|自治州|自治县|自治旗|地区|新区|省|市|州|盟|区|县|旗)")


def name_words(name: str) -> list[str]:
    """宣城市宣州区卫生健康委员会 -> 宣城市 / 宣州区 / 卫生健康委员会: where a bureau's name may break."""
    words, rest = [], name
    while (m := _ADMIN_UNIT.match(rest)) and len(m.group()) < len(rest):
        words.append(m.group())
        rest = rest[m.end() :]
    return [*words, rest] if rest else words


def _break_penalties(title: str, bureau_name: str) -> list[float | None]:
    """For each position 1..len-1, the cost of breaking the line before title[i]; None: never."""
    penalty: list[float | None] = [0.0] * (len(title) + 1)
    for i in range(1, len(title)):
        a, b = title[i - 1], title[i]
        if (a.isascii() and a.isalnum() and (b.isascii() and (b.isalnum() or b in ".%"))) or b in _NO_LINE_START:
            penalty[i] = None
        elif a in _NO_LINE_END or (a.isascii() and a.isdigit()):
            penalty[i] = None if a in _NO_LINE_END else 6.0  # "2026 / 年" reads badly
    protected = [(w, 30.0) for w in TITLE_WORDS]
    if bureau_name:
        protected.append((bureau_name, 4.0))  # prefer keeping the name whole ...
        protected += [(w, 40.0) for w in name_words(bureau_name)]  # ... and never cut its words
    for word, cost in protected:
        for m in re.finditer(re.escape(word), title):
            for i in range(m.start() + 1, m.end()):
                if penalty[i] is not None:
                    penalty[i] += cost
    return penalty


def title_lines(title: str, *, bureau_name: str = "", per_line: float = TITLE_EM_PER_LINE) -> tuple[str, ...]:
    """The one place title breaks are decided (PDF, Word and web print these lines as given).

    Fewest lines that fit; among those, lines as even as possible (a trapezoid or diamond), every
    line at least two characters, never inside a run of digits or Latin letters or before closing
    punctuation, and preferably between the words of the bureau's name."""
    title = " ".join(title.split())
    if title_width(title) <= per_line or len(title) < 4:
        return (title,)
    penalty = _break_penalties(title, bureau_name)
    cuts = [0] + [i for i in range(1, len(title)) if penalty[i] is not None] + [len(title)]
    count = int(title_width(title) // per_line) + 1
    while count <= len(title) // 2:
        target = title_width(title) / count
        # best[k][j]: (cost, previous cut) of k lines ending at cut j.
        best: list[dict[int, tuple[float, int]]] = [{0: (0.0, -1)}]
        for _k in range(count):
            row: dict[int, tuple[float, int]] = {}
            for start, (cost, _prev) in best[-1].items():
                for end in cuts:
                    if end - start < 2:
                        continue
                    width = title_width(title[start:end])
                    if width > per_line:
                        break
                    total = cost + (width - target) ** 2 + (penalty[end] or 0.0) * (end < len(title))
                    if end not in row or total < row[end][0]:
                        row[end] = (total, start)
            best.append(row)
        if len(title) in best[-1]:
            ends, end = [], len(title)
            for k in range(count, 0, -1):
                ends.append(end)
                end = best[k][end][1]
            ends.reverse()
            return tuple(title[a:b] for a, b in zip([0, *ends[:-1]], ends))
        count += 1
    return (title,)


def signature_indents(*, name_width: float, date_width: float) -> tuple[float, float]:
    """GB/T 9704-2012 §7.3.5.2, in characters from the right margin: the name 右空二字, the date on
    the next line starting two characters right of the name's first character; when the date is the
    longer, the date 右空二字 and the name moves left to keep the two-character step."""
    name_right = SIGNATURE_RIGHT_EM
    date_right = name_right + name_width - SIGNATURE_RIGHT_EM - date_width
    if date_right < SIGNATURE_RIGHT_EM:
        name_right += SIGNATURE_RIGHT_EM - date_right
        date_right = SIGNATURE_RIGHT_EM
    return name_right, date_right


def body_width(text: str) -> float:
    """Width in characters in the 仿宋 body: ASCII (digits of a date) is half width."""
    return sum(0.5 if ord(ch) < 0x80 else 1.0 for ch in text)
