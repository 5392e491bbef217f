"""Finding the document in a copy of it: where the bureau's report starts and ends.

A copy holds the report and furniture around it (a portal's metadata block, breadcrumbs, an article
site's blurbs and related links, a printed outline, page numbers). The report is found by its
structure, not by a list of the furniture: its title line (the last title-like line before the
first prose or numbered heading), its lead (prose before 一、), its numbered body, and its closing
signature and date. What lies outside is furniture unless it reads as report prose.

Pure Python (no Django imports).
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from reports.numbering import cn_value

from .markers import marker_at

# A title names what the document is; it ends in one of these (or a year's 工作).
_REPORT_WORDS = r"总结|报告|汇报|安排|计划|要点|打算|情况|回顾|述职|小结|思路|规划"
_HAS_REPORT_WORD = re.compile(_REPORT_WORDS)
_COMPLETE_TITLE = re.compile(rf"(?:{_REPORT_WORDS})(?:[（(][^）)]*[）)])?$|(?:\d{{4}}|[xX×]{{2,4}})年.*工作$")
_CONTINUES_TITLE = re.compile(r"^(及|和|暨|与|并|以及)")
# A site appends its own name to a page title: "…工作总结_某某网", "…工作总结 - 范文网", "…5则范文".
_SITE_SUFFIX = re.compile(r"(?:[_｜|]|\s[-—]\s).*$")
_TITLE_JUNK = re.compile(r"(范文|范本|模板|精选|大全|\d+则|\d+篇|[（(]\d+[）)])+$")
_SENTENCE_PUNCT = re.compile(r"[。！？；：，]")
# A signature's date, or a template of one (XXXX年X月); the groups are year, month and day.
_DATE = re.compile(
    r"^[（(]?(\d{4}|[xX×]{2,4}|[〇零一二三四五六七八九]{4})\s*年\s*([\dxX×〇零一二三四五六七八九十]{1,3})\s*月"
    r"(?:\s*([\dxX×〇零一二三四五六七八九十]{1,3})\s*日)?[）)]?$"
)
_ORG_END = re.compile(r"(局|委|委员会|中心|办公室|办|政府|医院|卫生院|站|所|科|处|党组|党委)[）)]?$")
_ORG_IN_TITLE = re.compile(r"(局|委|委员会|中心|政府|医院|卫生院)")
_BYLINE = re.compile(r"^[（(].{2,40}[）)]$")
_PROSE_END = re.compile(r"[。！？；…：”」）)]$")
_SENTENCE_END = re.compile(r"[。！？；…：]$")
_CJK = re.compile(r"[\u3400-\u9fff]")
# Prose that is the site's, not the bureau's: uploader blurbs, reading tips, download notices.
# _SITE_BLURB: words no report uses; _BLURB adds words a report may use, for the looser test.
_SITE_WORDS = "小编|本站|范文|仅供参考|欢迎阅读|欢迎借鉴|会员|投稿|VIP|下载|侵权|免责|转载|版权"
_SITE_BLURB = re.compile(_SITE_WORDS)
_BLURB = re.compile(
    _SITE_WORDS + "|本文|希望对|阅读全文|点击|收藏|网友|文档|登录|注册|整理了|为大家|为您|供大家|精心|网站"
)
_STATEMENT = re.compile(r"[。！？]$|，")  # a sentence of the report, not a list's heading
# A line that starts the furniture after a report: reading tips, related lists, disclaimers.
_END_MARK = re.compile(
    r"^(温馨提示|相关阅读|相关文章|相关推荐|推荐阅读|热门文章|热门推荐|猜你喜欢|延伸阅读|更多|上一篇|下一篇|免责声明|版权声明|"
    r"声明|附[：:]?相关|标签|关键词|本文关键词|TAG|Tags?)"
)
# What a PDF's tables and figures leave between paragraphs: captions, units, rows of numbers.
_LEFTOVER = re.compile(r"^((图|表)\s*\d+.{0,30}|单位[：:].{0,10}|序号.{0,40}|[\d\s.,%‰()（）/-]+)$")
_TOC_HEAD = re.compile(r"^目\s*录$")
_TOC_LEADER = re.compile(r"[.．…·\-—_\s]{2,}\d*$|\s*\d+$")
# 附件：1.…表 / 附件2 before the signature: the list of attachments closes the body (no furniture,
# no headings: every line of it is a paragraph).
ATTACHMENTS = re.compile(r"^附\s*件\s*(?:\d+|[一二三四五六七八九十]+)?\s*(?:[：.、]|$)")
_KEEP_SHORT = re.compile(r"^特此(报告|汇报|总结)")


def is_prose(line: str) -> bool:
    """Does the line read as running text (a sentence), not as a label, title or list of links?"""
    if not _CJK.search(line) or marker_at(line, 0, alone=True) is not None or _BYLINE.match(line):
        return False
    if _KEEP_SHORT.match(line):
        return True
    if _SENTENCE_END.search(line):
        return len(line) >= 3
    return (len(line) >= 8 and _PROSE_END.search(line) is not None) or (len(line) >= 20 and "，" in line)


def is_title_like(line: str) -> bool:
    return (
        2 <= len(line) <= 60
        and not _SENTENCE_PUNCT.search(line)
        and not re.search(r"[|•>]", line)
        and marker_at(line, 0, alone=True) is None
    )


def is_date(line: str) -> bool:
    return _DATE.match(line) is not None


def date_value(line: str) -> datetime.date | None:
    """The calendar date of a signature line: 2026年1月10日 or 二〇二六年一月十日; None for a
    partial date (no day), a template (XXXX年) or an impossible one (2月30日)."""
    found = _DATE.match(line.strip())
    if found is None or found.group(3) is None or re.search(r"[xX×]", line):
        return None
    year = "".join(str(cn_value(c)) if not c.isdigit() else c for c in found.group(1))
    month, day = (int(v) if v.isdigit() else cn_value(v) for v in found.group(2, 3))
    try:
        return datetime.date(int(year), month, day)
    except ValueError:
        return None


def is_org(line: str) -> bool:
    """A line that only names a body (a signature or byline): 某某县卫生健康局."""
    return (
        is_title_like(line)
        and len(line) <= 30
        and _ORG_END.search(line) is not None
        and not _HAS_REPORT_WORD.search(line)
    )


def _title_candidate(line: str) -> bool:
    return (
        is_title_like(line)
        and not _BYLINE.match(line)
        and not is_date(line)
        and not is_org(line)
        and _HAS_REPORT_WORD.search(line) is not None
    )


def opens_report(lines: list[str]) -> bool:
    """Do these lines start a report: its title, or a body's name and then the title?"""
    if lines and is_org(lines[0]) and not _ORG_IN_TITLE.search(lines[1] if len(lines) > 1 else ""):
        lines = lines[1:]
    return bool(lines) and _title_candidate(lines[0])


def clean_title(title: str) -> str:
    """A page title without the site's name or a template site's "5则范文"."""
    cut = _SITE_SUFFIX.sub("", title).strip()
    return _TITLE_JUNK.sub("", cut or title).strip() or title


def same_title(a: str, b: str) -> bool:
    a, b = clean_title(a), clean_title(b)
    return bool(a and b) and (a in b or b in a)


@dataclass
class Found:
    """Where the report lies in the lines of a copy."""

    title: str | None = None
    lead: list[str] = field(default_factory=list)  # lines before the first numbered heading
    body: list[str] = field(default_factory=list)  # from the first numbered heading on
    signature: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def _toc_lines(lines: list[str], usable: list[bool]) -> set[int]:
    """A printed outline: a run of short heading lines (or lines under 目录) before any prose,
    whose headings come again further down."""
    keys = [_TOC_LEADER.sub("", line) for line in lines]
    last = {key: i for i, key in enumerate(keys)}
    i = 0
    while i < len(lines) and not (usable[i] and is_prose(lines[i])):
        if not usable[i] or not (_TOC_HEAD.match(lines[i]) or marker_at(lines[i], 0) is not None):
            i += 1
            continue
        j = i + 1 if _TOC_HEAD.match(lines[i]) else i
        run = []
        while j < len(lines) and usable[j] and not is_prose(lines[j]) and len(lines[j]) <= 60:
            if run and keys[j] == keys[run[0]]:
                break  # the outline's first heading again: the body starts here
            run.append(j)
            j += 1
        repeated = [k for k in run if last[keys[k]] >= j]
        if run and last[keys[run[0]]] >= j and len(repeated) >= 2 and len(repeated) * 2 >= len(run):
            return set(range(i, j))
        i = max(j, i + 1)
    return set()


def find_body(
    entries: list[tuple[str, bool]], *, title: str | None = None, probe: Callable[[str], str] = lambda s: s
) -> Found:
    """Split a copy into title, lead, body, signature and furniture. `entries` are the cleaned
    lines with whether they are page furniture already; `title` one given by a 第N篇 header;
    `probe` turns a line into simplified characters for the word tests (the text stays as it is)."""
    lines = [line for line, _noise in entries]
    probes = [probe(line) for line in lines]
    usable = [not noise for _line, noise in entries]
    found = Found()
    toc = _toc_lines(probes, usable)
    for i in toc:
        usable[i] = False
    n = len(lines)
    numbered = [marker_at(line, 0, alone=True) is not None for line in lines]
    prose = [not numbered[i] and is_prose(p) for i, p in enumerate(probes)]

    def heading_at(i: int) -> bool:
        return usable[i] and numbered[i]

    first_heading = next((i for i in range(n) if heading_at(i)), n)
    first_prose = next((i for i in range(n) if usable[i] and prose[i] and not _BLURB.search(probes[i])), n)
    limit = min(first_heading, first_prose)

    # The title: the last title-like line before the report starts, with a wrapped line joined.
    title_at: list[int] = []
    for i in range(limit - 1, -1, -1):
        if usable[i] and _title_candidate(probes[i]):
            title_at = [i]
            break
    if title_at:
        t = title_at[0]
        before = t - 1
        if (
            before >= 0
            and usable[before]
            and is_title_like(probes[before])
            and len(probes[before]) >= 10
            and not _COMPLETE_TITLE.search(probes[before])
            and not is_date(probes[before])
        ):
            title_at.insert(0, before)
        elif before >= 0 and usable[before] and is_org(probes[before]) and not _ORG_IN_TITLE.search(probes[t]):
            title_at.insert(0, before)  # 某某县卫生健康局 / 2023年度工作总结: the title over two lines
        after = t + 1
        if after < limit and usable[after] and is_title_like(probes[after]) and not _BYLINE.match(probes[after]):
            if _CONTINUES_TITLE.match(probes[after]) or not _COMPLETE_TITLE.search(probes[t]):
                if not is_org(probes[after]) and not is_date(probes[after]):
                    title_at.append(after)
    if title_at:
        # After the title, prose is the lead unless it is plainly the site's (a weak blurb word
        # such as 网站 or 点击 may stand in a bureau's own sentence).
        after_title = title_at[-1] + 1
        lead_at = next(
            (i for i in range(after_title, limit) if usable[i] and prose[i] and not _SITE_BLURB.search(probes[i])),
            limit,
        )
        limit = min(limit, lead_at)
    found_title = "".join(lines[i] for i in title_at) or None
    if title:
        found.title = clean_title(title)
    elif found_title:
        found.title = clean_title(found_title)

    # The end: the first furniture heading after the body, else the closing signature and date.
    end = n
    for i in range(limit + 1, n):
        if len(probes[i]) <= 40 and _END_MARK.match(probes[i]) and not numbered[i] and not _STATEMENT.search(probes[i]):
            end = i
            break
    last_heading = max((i for i in range(limit, end) if heading_at(i)), default=limit - 1)
    signature: list[int] = []
    kept = [i for i in range(max(last_heading + 1, limit), end) if usable[i]]
    dates = [i for i in kept[-6:] if is_date(probes[i])]
    if dates:
        d = dates[-1]
        orgs = [i for i in kept if i < d and i >= d - 3 and is_org(probes[i])]
        signature = [orgs[-1], d] if orgs else [d]
    elif kept and is_org(probes[kept[-1]]):
        signature = [kept[-1]]
    body_end = signature[0] if signature else end
    if not signature:
        # Trailing lines that are neither prose nor headings (tags, repeated titles) are furniture.
        while body_end > limit:
            i = body_end - 1
            if usable[i] and (
                heading_at(i)
                or _PROSE_END.search(probes[i])
                or prose[i]
                or len(lines[i]) > 30
                or ATTACHMENTS.match(probes[i])
            ):
                break
            body_end -= 1
    found.signature = [lines[i] for i in signature]

    # Running headers and repeats of the title inside the body are furniture too.
    inside = range(limit, body_end)
    counts = Counter(probes[i] for i in range(n) if not prose[i] and not numbered[i])
    for i in inside:
        if usable[i] and not numbered[i] and not prose[i]:
            if (
                counts[probes[i]] >= 2
                or (found.title and same_title(probes[i], probe(found.title)))
                or _LEFTOVER.match(probes[i])
            ):
                usable[i] = False

    skip = set(title_at) | set(signature)
    for i in range(n):
        if i in skip:
            continue
        if i < limit or i >= body_end or not usable[i]:
            found.removed.append(lines[i])
        elif i < first_heading:
            found.lead.append(lines[i])
        else:
            found.body.append(lines[i])
    return found
