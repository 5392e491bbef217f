"""The parser's data classes, in one leaf module (it imports nothing else of the parser): a parsed
document's outline and figures, and the catalogue entries figures are matched to.

Pure Python (no Django imports).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from reports.numbering import CN

from .messages import Notice

_MONEY = {"元": Decimal(1), "万元": Decimal(10_000), "亿元": Decimal(100_000_000)}

QUOTES = str.maketrans("", "", "“”‘’「」『』\"'《》")
_PARENS = re.compile(r"（[^）]*）|\([^)]*\)")
LEVEL, TARGET, CHANGE = "level", "target", "change"  # what a figure states


def plain(value: Decimal) -> str:
    """A Decimal as plain digits: 16000, 39.4 (never 1.6E+4)."""
    if value == value.to_integral_value():
        return str(value.quantize(Decimal(1)))
    return format(value.normalize(), "f")


@dataclass(frozen=True)
class CatalogueEntry:
    """One catalogue indicator as the parser sees it."""

    slug: str
    name_zh: str
    aliases: tuple[str, ...] = ()
    unit: str = ""
    kind: str = "count"

    @staticmethod
    def split_aliases(text: str) -> tuple[str, ...]:
        """IndicatorDefinition.aliases is one "|"-separated string."""
        return tuple(a.strip() for a in (text or "").split("|") if a.strip())

    def terms(self) -> list[str]:
        """The wordings that name this indicator, longest first, without bracketed parts."""
        found = {
            self.name_zh,
            _PARENS.sub("", self.name_zh),
            *self.aliases,
            *(_PARENS.sub("", a) for a in self.aliases),
        }
        return sorted({t.translate(QUOTES).strip() for t in found if len(t.strip()) >= 2}, key=len, reverse=True)


@dataclass
class Figure:
    """A number with its unit as it stands in the text. `value` is in `unit` (万人 / 万份 are
    scaled: 1.2万人 is 12000 人). `section` is the path of child indexes (None: the lead),
    `paragraph` the index in that section's paragraphs (-1: the heading), `start`/`end` the span.
    `role` says whether the text states a level, a target (力争…) or a change (提高…个百分点);
    `approximate` that the text rounds it (多, 余, 近, 约, 超过, 以上)."""

    text: str
    value: Decimal
    unit: str
    indicator: str | None = None
    section: tuple[int, ...] | None = None
    paragraph: int = 0
    start: int = 0
    end: int = 0
    is_change: bool = False
    strength: int = field(default=0, compare=False)  # how well the words name the indicator
    context: str = field(default="", compare=False)
    approximate: bool = False
    role: str = LEVEL

    def as_dict(self) -> dict:
        return {
            "text": self.text,
            "value": plain(self.value),
            "unit": self.unit,
            "indicator": self.indicator,
            "approximate": self.approximate,
            "role": self.role,
        }

    def value_in(self, unit: str) -> Decimal | None:
        """The value in an indicator's unit (亿元 -> 万元 …), or None when the units do not convert."""
        if not unit or unit == self.unit:
            return self.value
        if self.unit in _MONEY and unit in _MONEY:
            return self.value * _MONEY[self.unit] / _MONEY[unit]
        if {self.unit, unit} <= {"人", "名"}:
            return self.value
        return None


@dataclass
class OutlineSection:
    number: str
    heading: str
    kind: str = "other"
    paragraphs: list[str] = field(default_factory=list)
    children: list[OutlineSection] = field(default_factory=list)
    style: str = field(default=CN, compare=False, repr=False)
    value: int = field(default=1, compare=False, repr=False)

    def walk(self, path: tuple[int, ...] = ()):
        """(path, section) for this section and everything under it; a path is child indexes."""
        yield path, self
        for i, child in enumerate(self.children):
            yield from child.walk(path + (i,))

    def as_dict(self) -> dict:
        return {
            "number": self.number,
            "heading": self.heading,
            "kind": self.kind,
            "paragraphs": list(self.paragraphs),
            "children": [c.as_dict() for c in self.children],
        }


@dataclass
class OutlineDocument:
    """One report found in the text. `lead`: the unnumbered opening paragraphs before 一、 (导语);
    `signature`: the closing lines (the bureau and the date), not body text; `removed`: the lines
    dropped as page furniture, for the clerk to check."""

    title: str | None
    lead: list[str] = field(default_factory=list)
    sections: list[OutlineSection] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    signature: list[str] = field(default_factory=list)
    traditional: bool = False  # written in traditional characters (and not converted)

    def walk(self):
        """(path, section) over all sections, depth first; top-level paths are (i,)."""
        for i, section in enumerate(self.sections):
            yield from section.walk((i,))

    def as_dict(self) -> dict:
        """The JSON shape of `import_text --json`."""
        return {
            "title": self.title,
            "lead": list(self.lead),
            "sections": [s.as_dict() for s in self.sections],
            "figures": [f.as_dict() for f in self.figures],
            "warnings": [str(n) for n in self.notices],
            "removed": list(self.removed),
            "signature": list(self.signature),
        }


@dataclass
class ParseResult:
    documents: list[OutlineDocument]
    notices: list[Notice] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"documents": [d.as_dict() for d in self.documents]}
