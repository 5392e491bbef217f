"""Section kinds, their one home: the table the model's choices are built from (reports.models),
and the kind of each top-level part of an imported report, from the words of its heading.
Pure Python (no Django imports)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from reports.numbering import PART

from .messages import _
from .structure import OutlineSection

# (value, English label) in the editor's order; labels are message ids, translated by the model.
KIND_TABLE = (
    ("work_done", _("Work done")),
    ("problems", _("Problems")),
    ("plan", _("Plan")),
    ("honours", _("Honours")),
    ("other", _("Other")),
)
KINDS = tuple(value for value, _label in KIND_TABLE)

# Words of a top-level heading that tell its kind; the earliest match in the heading wins.
_KIND_WORDS: dict[str, tuple[str, ...]] = {
    "problems": (
        "存在问题",
        "存在的问题",
        "存在的主要问题",
        "主要问题",
        "问题和不足",
        "问题与不足",
        "不足之处",
        "困难和问题",
        "困难与问题",
        "问题及原因",
        "短板",
        "困难",
        "不足",
        "解决思路",
    ),
    "plan": (
        "工作计划",
        "工作安排",
        "工作打算",
        "工作思路",
        "工作规划",
        "工作重点",
        "下一步",
        "打算",
        "下半年",
        "明年",
        "下一年",
        "来年",
        "今后",
        "展望",
        "计划",
    ),
    "honours": ("荣誉", "奖励", "表彰", "获奖", "殊荣"),
    "work_done": (
        "工作总结",
        "工作情况",
        "工作开展情况",
        "开展情况",
        "主要做法",
        "主要成效",
        "取得成效",
        "工作成效",
        "主要成绩",
        "完成情况",
        "进展情况",
        "工作回顾",
        "上半年",
        "主要工作",
        "基本情况",
    ),
}
# Words that contain a kind word but mean something else (计划生育 is not a plan).
_KIND_STOP = re.compile(r"计划生育|计划免疫|计生|困难群众|困难家庭|困难人群|困难群体|奖励扶助|奖扶")
_PRIORITY = {"problems": 0, "plan": 1, "honours": 2, "work_done": 3}
_SUMMARY_TITLE = re.compile(r"总结|汇报|工作情况|报告")


def kind_of(heading: str) -> str | None:
    """The kind a top-level heading names, or None when its words say nothing."""
    heading = _KIND_STOP.sub("", heading)
    best: tuple[int, int, str] | None = None
    for kind, words in _KIND_WORDS.items():
        for word in words:
            i = heading.find(word)
            if i >= 0 and (best is None or (i, _PRIORITY[kind]) < best[:2]):
                best = (i, _PRIORITY[kind], kind)
    return best[2] if best else None


def assign_kinds(
    sections: Sequence[OutlineSection], title: str | None, *, probe: Callable[[str], str] = lambda s: s
) -> None:
    """Top-level kinds from their headings. A part whose words say nothing counts as work done
    while the report is still telling what was done (a 总结 with no problems or plan part yet),
    and as "other" after that. Sub-sections take their part's kind, except that under a part of
    the text (第一部分 …) a section whose own words name a kind (二、存在的问题) takes that."""
    previous: str | None = None
    for section in sections:
        kind = kind_of(probe(section.heading))
        if kind is None:
            if previous == "work_done" or (previous is None and (title is None or _SUMMARY_TITLE.search(title))):
                kind = "work_done"
            else:
                kind = "other"
        section.kind = kind
        previous = kind
        for _path, sub in section.walk():
            sub.kind = kind
        if section.style == PART:
            for child in section.children:
                own = kind_of(probe(child.heading))
                for _path, sub in child.walk() if own else ():
                    sub.kind = own
