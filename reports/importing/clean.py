"""Cleaning pasted report text before it is parsed: web-page noise, traditional characters with
their conversion noise, and full-/half-width punctuation.

Pure Python (no Django imports). Nothing here raises on any input.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .markers import marker_at
from .messages import Notice, _

# --- punctuation -----------------------------------------------------------------------------

# Letters, digits and %, written full-width, become ASCII; Chinese punctuation stays full-width.
_FULLWIDTH_ASCII = {chr(c): chr(c - 0xFEE0) for c in range(0xFF10, 0xFF1A)}  # ０-９
_FULLWIDTH_ASCII.update({chr(c): chr(c - 0xFEE0) for c in range(0xFF21, 0xFF3B)})  # Ａ-Ｚ
_FULLWIDTH_ASCII.update({chr(c): chr(c - 0xFEE0) for c in range(0xFF41, 0xFF5B)})  # ａ-ｚ
_FULLWIDTH_ASCII.update(
    {
        "％": "%",
        "．": ".",
        "＋": "+",
        "－": "-",
        "／": "/",
        "＜": "<",
        "＞": ">",
        "＝": "=",
        "\u3000": " ",
        "\u00a0": " ",
        "\ufeff": "",
        "\u200b": "",
        "\u200c": "",
        "\u200d": "",
        "\u2060": "",
        "\t": " ",
        "（": "(",  # parentheses go through ASCII and come back full-width below
        "）": ")",
    }
)
_FULLWIDTH = re.compile("[" + "".join(re.escape(c) for c in _FULLWIDTH_ASCII) + "]")

# Half-width punctuation in Chinese text becomes full-width; between two digits it stays (1,234 / 15:08).
_HALF_TO_FULL = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！"}
_HALF_PUNCT = re.compile(r"[,:;?!]")
_SPACE_RUN = re.compile(r"[ ]+")
_CJK = "\u3400-\u9fff\uf900-\ufaff"
# A space is kept only between two Latin letters or digits ("PCR 检测" loses it, "COVID 19" keeps it).
_SPACE_INSIDE = re.compile(r"(?<![A-Za-z0-9]) +| +(?![A-Za-z0-9])")

# A pinyin gloss after a character, left by a conversion tool: 區(qū), 總結(jié), 醫(yī).
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
_GLOSS = re.compile(rf"\(\s*[a-zü{_TONED}]*[{_TONED}][a-zü{_TONED}]*\s*\)")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_LOST = re.compile(r"\?{2,}|\ufffd+")

# --- web noise -------------------------------------------------------------------------------

_META_WORDS = (
    "发布时间",
    "发布日期",
    "发表时间",
    "更新时间",
    "点击量",
    "点击数",
    "点击次数",
    "点击率",
    "浏览次数",
    "浏览量",
    "阅读次数",
    "阅读量",
    "访问量",
    "识别码",
    "责任编辑",
    "文章来源",
    "信息来源",
    "字体：",
    "字号：",
    "【字体",
    "【字号",
    "字体大小",
)
_META_LINE_START = re.compile(r"^(来源|作者|编辑|时间|日期|发布|责编|审核|校对)\s*：")
_SHARE_WORDS = (
    "分享到",
    "扫一扫",
    "扫描二维码",
    "扫码关注",
    "微信扫",
    "手机扫",
    "扫描二维码",
    "关注我们",
    "手机版",
    "用手机看",
    "打开微信",
    "相关阅读",
    "相关文章",
    "推荐阅读",
    "热门文章",
    "猜你喜欢",
    "延伸阅读",
)
_BUTTON_WORDS = sorted(
    (
        "关闭窗口",
        "关闭本页",
        "打印本页",
        "打印此页",
        "返回顶部",
        "回到顶部",
        "返回首页",
        "返回列表",
        "加入收藏",
        "收藏本页",
        "上一页",
        "下一页",
        "首页",
        "尾页",
        "末页",
        "关闭",
        "打印",
        "下载",
        "收藏",
        "返回",
        "分享",
        "保存",
        "纠错",
        "顶部",
        "TOP",
        "Top",
        "top",
        "大",
        "中",
        "小",
    ),
    key=len,
    reverse=True,
)
_BUTTONS = re.compile("|".join(re.escape(w) for w in _BUTTON_WORDS))
_BUTTON_FILL = re.compile(r"[\s【】\[\]()（）|｜/、，·•>»<«\-—_0-9]*")
_BREADCRUMB = re.compile(r"^(首页|主页|网站首页|当前位置|您的位置|你的位置|您现在的位置|位置)\s*[：>›»]")
_CRUMB_SEPARATOR = re.compile(r"\s*[>›»]\s*")
_PAGE_COUNTER = re.compile(
    r"^(第\s*\d+\s*页\s*[/，,]?\s*(共\s*\d+\s*页)?|共\s*\d+\s*页.*|\d+\s*/\s*\d+|[-—–]\s*\d+\s*[-—–]|page\s*\d+(\s*of\s*\d+)?)$",
    re.IGNORECASE,
)
_PREV_NEXT = re.compile(r"^(上一篇|下一篇|上一条|下一条)\s*[：]?")
_INLINE_NOISE = (
    re.compile(r"【\s*(关闭|打印|下载|收藏|返回|关闭窗口|打印本页)\s*】"),
    re.compile(r"\[\s*(关闭|打印|下载|收藏|返回)\s*\]"),
    re.compile(r"【?\s*字[体号]\s*：?\s*[\[【]?大[\]】]?\s*[\[【]?中[\]】]?\s*[\[【]?小[\]】]?\s*】?"),
)
_NOISE_MAX_LEN = 120
NOISE_REMOVED = _("Removed %(count)s lines of web-page noise.")
# Article-site furniture: reading time, word counts, member/VIP/complaint notices, uploader blurbs.
_SITE_NOISE = re.compile(
    r"阅读时长|共计?\d+个?字|全文\d+字|字数[：:]?\d|VIP|会员|侵权|投诉|举报|网友投稿|由.{0,12}分享|小编|"
    r"二维码|下载(本文|文档|全文|此文)|阅读全文|登录|注册|加入收藏|设为首页|版权所有|免责声明|本文(由|来源|链接|地址)|"
    r"索引号|发布机构|成文日期|发文日期|效力属性|主题分类|组配分类|体裁分类|公开方式|公开范围|发布人"
)
_SITE_NOISE_MAX_LEN = 80
_SENTENCE = re.compile(r"，.*[。！？]$")
_PAGE_NUMBER = re.compile(r"^(\d{1,3}|第\s*\d+\s*/\s*\d+\s*页|[（(]\s*\d+\s*[）)])$")
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_BLOCK_TAG = re.compile(r"<\s*(?:br|/p|/div|/li|/h[1-6]|/tr|p|div|li|tr)\b[^<>]*>", re.IGNORECASE)
_ENTITY = re.compile(r"&(?:[A-Za-z]{2,8}|#\d{2,6}|#x[0-9A-Fa-f]{2,5});")


@dataclass
class Cleaned:
    """`entries`: every non-empty line with whether it is page furniture; `lines`: the others."""

    lines: list[str]
    notices: list[Notice] = field(default_factory=list)
    converted: bool = False
    entries: list[tuple[str, bool]] = field(default_factory=list)
    traditional: bool = False  # written in traditional characters, not converted


@lru_cache(maxsize=1)
def _converter():
    """OpenCC's t2s conversion (longest phrase first, then single characters) as one regular
    expression over its own dictionaries: the same result as `OpenCC("t2s").convert`, without its
    per-character Python loop. Falls back to OpenCC itself if the dictionaries are not found."""
    try:
        import opencc

        folder = Path(opencc.__file__).parent / "dictionary"
        table: dict[str, str] = {}
        for name in ("TSCharacters.txt", "TSPhrases.txt"):
            for row in (folder / name).read_text(encoding="utf-8").splitlines():
                key, _tab, value = row.partition("\t")
                if key and value:
                    table[key] = value.split(" ")[0]
        by_first: dict[str, list[str]] = {}
        for key in sorted((k for k in table if len(k) > 1), key=len, reverse=True):
            by_first.setdefault(key[0], []).append(re.escape(key[1:]))
        # Phrases grouped by their first character (longest first), then single characters.
        phrases = [f"{re.escape(first)}(?:{'|'.join(rests)})" for first, rests in by_first.items()]
        starts = "".join(re.escape(c) for c in by_first)
        chars = "".join(re.escape(k) for k in table if len(k) == 1)
        pattern = re.compile(f"(?=[{starts}])(?:{'|'.join(phrases)})|[{chars}]")
        changing = {k for k, v in table.items() if len(k) == 1 and v != k}
        return lambda text: pattern.sub(lambda m: table[m.group()], text), changing
    except Exception:  # pragma: no cover - a different packaging of the library
        try:
            from opencc import OpenCC

            cc = OpenCC("t2s")
            return cc.convert, None
        except Exception:
            return None, None


def to_simplified(text: str) -> tuple[str, bool]:
    """Traditional to simplified Chinese with OpenCC's t2s dictionaries. Simplified text (no
    character that converts) comes back unchanged at the cost of one set of its characters."""
    convert, keys = _converter()
    if convert is None or not text:
        return text, False
    if keys is not None:
        if keys.isdisjoint(set(text)):
            return text, False
        return convert(text), True
    converted = convert(text)
    return converted, converted != text


def normalise_punctuation(line: str) -> str:
    """Full-width digits/letters/% to ASCII, Chinese punctuation full-width, spaces inside Chinese
    text removed. Commas and colons between two digits stay ASCII (1,234 and 15:08)."""
    line = _FULLWIDTH.sub(lambda m: _FULLWIDTH_ASCII[m.group()], line)

    def half_to_full(m: re.Match) -> str:
        i, ch = m.start(), m.group()
        before = line[i - 1] if i else ""
        after = line[i + 1] if i + 1 < len(line) else ""
        if ch in ",:" and before.isdigit() and after.isdigit():
            return ch
        if ch == ":" and before.isascii() and before.isalpha() and after == "/":
            return ch  # http://
        return _HALF_TO_FULL[ch]

    line = _HALF_PUNCT.sub(half_to_full, line)
    line = line.replace("(", "（").replace(")", "）")
    line = _SPACE_RUN.sub(" ", line).strip()
    return _SPACE_INSIDE.sub("", _keep_heading_gap(line))


HEADING_GAP = "\u3000"  # the one space between a heading and its text on one line, kept for the parser
_GAP_HEAD = re.compile(rf"[{_CJK}A-Za-z0-9“”《》]{{4,30}}")
_GAP_TEXT = re.compile(rf"[{_CJK}].{{7,}}[，。；！？].*")


def _keep_heading_gap(line: str) -> str:
    """（一）加强组织领导 成立了工作专班，…: a numbered heading, one space, then a sentence. The space
    ends the heading; other spaces inside Chinese text are copying noise and go."""
    compact = line.replace(" ", "")
    marker = marker_at(compact, 0)
    if marker is None or " " not in line:
        return line
    at, seen = 0, 0
    while seen < marker.end:
        seen += line[at] != " "
        at += 1
    rest = line[at:].lstrip(" ")
    head, _gap, text = rest.partition(" ")
    if " " in text or not _GAP_HEAD.fullmatch(head) or not _GAP_TEXT.fullmatch(text):
        return line
    return line[: len(line) - len(rest)] + head + HEADING_GAP + text


def _is_breadcrumb(line: str) -> bool:
    """首页 > 工作动态 > 工作总结: short link names between arrows, no figures."""
    if _BREADCRUMB.match(line):
        return True
    parts = _CRUMB_SEPARATOR.split(line)
    return len(parts) >= 3 and all(0 < len(p) <= 15 and not re.search(r"\d", p) for p in parts)


def is_noise(line: str) -> bool:
    """Is this line web-page furniture rather than report text?"""
    if not line:
        return False
    if _PAGE_COUNTER.match(line) or _PAGE_NUMBER.match(line):
        return True
    if len(line) > _NOISE_MAX_LEN:
        return False
    if _PREV_NEXT.match(line) or _is_breadcrumb(line):
        return True
    if marker_at(line, 0) is not None:
        return False  # a numbered heading is report text, whatever its words
    if _META_LINE_START.match(line):
        return True
    if any(w in line for w in _META_WORDS) and not _SENTENCE.search(line):
        return True  # 发布时间：… 点击量：…; a sentence of the report may mention 点击量
    if len(line) <= _SITE_NOISE_MAX_LEN and _SITE_NOISE.search(line):
        return True
    if len(line) <= 40 and any(w in line for w in _SHARE_WORDS):
        return True
    return _BUTTON_FILL.fullmatch(_BUTTONS.sub("", line)) is not None and _BUTTONS.search(line) is not None


def strip_markup(text: str) -> str:
    """HTML tags and entities left in copied text: block tags end a line, the rest goes."""
    if "<" in text:
        text = _BLOCK_TAG.sub("\n", text)
        text = _TAG.sub("", text)
    if "&" in text:
        text = _ENTITY.sub(lambda m: html.unescape(m.group()), text)
    return text


def clean_lines(text: str, *, simplify: bool = True) -> Cleaned:
    """The text as cleaned lines (empty lines dropped), with notices about what was changed.
    Traditional characters are converted only with `simplify`; otherwise they are noticed."""
    notices: list[Notice] = []
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    text = strip_markup(_CONTROL.sub("", text))
    text, glosses = _GLOSS.subn("", text.replace("（", "(").replace("）", ")"))
    if glosses:
        notices.append(Notice(_("Removed %(count)s pinyin glosses left by a conversion tool."), count=glosses))
    converted_text, traditional = to_simplified(text)
    if traditional and simplify:
        text = converted_text
        notices.append(Notice(_("Traditional characters were converted to simplified.")))
    elif traditional:
        notices.append(Notice(_("The text is written in traditional characters; it can be converted to simplified.")))
    lost = len(_LOST.findall(text))
    if lost:
        notices.append(Notice(_("Some characters were lost before the import (shown as ??); please check the text.")))
    entries: list[tuple[str, bool]] = []
    probe_lines = converted_text.split("\n") if traditional and not simplify else None
    for n, raw in enumerate(text.split("\n")):
        line = normalise_punctuation(raw)
        if not line:
            continue
        whole = line
        for pattern in _INLINE_NOISE:
            line = pattern.sub("", line).strip()
        if not line:
            entries.append((whole, True))
            continue
        probe = normalise_punctuation(probe_lines[n]) if probe_lines and n < len(probe_lines) else line
        entries.append((line, is_noise(probe)))
    dropped = sum(1 for _line, noise in entries if noise)
    if dropped:
        notices.append(Notice(NOISE_REMOVED, count=dropped))
    return Cleaned(
        lines=[line for line, noise in entries if not noise],
        notices=notices,
        converted=traditional and simplify,
        entries=entries,
        traditional=traditional and not simplify,
    )
