"""The period calendar: one table of the kinds of reporting period, and everything derived from it.

Each kind has a code (stored in `ReportingPeriod.kind`), the suffix of a period code ("2022H1"), a
label, a title pattern for a new report, the months it covers, the periods whose plan it reports on
(its predecessors, first found wins) and its order among the kinds of one year. Adding a kind (say
quarterly) is one row here, its skeleton (fixtures/skeletons.json) and a migration for the choices.
An unknown kind raises; nothing falls through to a default.

A leaf module: it imports nothing from the apps, so models, selectors and services can all read it.
Periods are ordered by their dates (`period_ordering`), never by the kind's code, which is not chronological.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class PeriodKind:
    code: str  # stored in ReportingPeriod.kind (at most 6 characters)
    suffix: str  # after the year in a period code: "" for "2022", "H1" for "2022H1"
    name: Promise  # the kind on its own, for choices: "First half"
    label: Promise  # a period of this kind: "%(year)s first half"
    title: str  # a new report's title: {bureau} and {year} are filled in
    months: tuple[int, int]  # first and last month covered
    predecessors: tuple[tuple[int, str], ...]  # (year offset, kind code): whose plan this period reports on
    order: int  # among the kinds of one year

    @property
    def is_annual(self) -> bool:
        return self.months == (1, 12)


KINDS: dict[str, PeriodKind] = {
    k.code: k
    for k in (
        PeriodKind(
            code="annual",
            suffix="",
            name=_("Annual"),
            label=_("%(year)s annual"),
            title="{bureau}{year}年工作总结",
            months=(1, 12),
            predecessors=((-1, "annual"),),
            order=0,
        ),
        PeriodKind(
            code="h1",
            suffix="H1",
            name=_("First half"),
            label=_("%(year)s first half"),
            title="{bureau}{year}年上半年工作总结及下半年工作安排",
            months=(1, 6),
            predecessors=((-1, "h2"), (-1, "annual")),
            order=1,
        ),
        PeriodKind(
            code="h2",
            suffix="H2",
            name=_("Second half"),
            label=_("%(year)s second half"),
            title="{bureau}{year}年下半年工作总结",
            months=(7, 12),
            predecessors=((0, "h1"),),
            order=2,
        ),
    )
}

CODE_RE = re.compile(r"^\s*(\d{4})\s*([A-Za-z]\w*)?\s*$")


def period_kind(code: str) -> PeriodKind:
    """The kind stored as `code`. Raises ValueError for an unknown kind."""
    try:
        return KINDS[code]
    except KeyError:
        raise ValueError(f"unknown period kind: {code!r} (known: {', '.join(KINDS)})") from None


def kind_choices() -> list[tuple[str, Promise]]:
    """For the model fields (a callable, so the choices follow the table)."""
    return [(k.code, k.name) for k in sorted(KINDS.values(), key=lambda k: k.order)]


def period_code(year: int, kind: str) -> str:
    """(2022, "annual") -> "2022"; (2022, "h1") -> "2022H1"."""
    return f"{year}{period_kind(kind).suffix}"


def parse_code(code: str) -> tuple[int, str]:
    """ "2022" -> (2022, "annual"); "2022H1" -> (2022, "h1"). Raises ValueError."""
    match = CODE_RE.match(code or "")
    by_suffix = {k.suffix: k.code for k in KINDS.values()}
    suffix = (match.group(2) or "").upper() if match else None
    if suffix not in by_suffix:
        examples = ", ".join(period_code(2022, k) for k in KINDS)
        raise ValueError(f"not a period: {code!r} (expected e.g. {examples})")
    return int(match.group(1)), by_suffix[suffix]


def period_label(year: int, kind: str) -> str:
    return str(period_kind(kind).label) % {"year": year}


def report_title(*, bureau_name: str, year: int, kind: str) -> str:
    return period_kind(kind).title.format(bureau=bureau_name, year=year)


def predecessors(year: int, kind: str) -> list[tuple[int, str]]:
    """The (year, kind) pairs whose plan a period reports on, in order of preference."""
    return [(year + offset, k) for offset, k in period_kind(kind).predecessors]


def default_dates(year: int, kind: str) -> tuple[datetime.date, datetime.date, datetime.date]:
    """Start, end and a customary deadline (15 days after the end) for a period."""
    first, last = period_kind(kind).months
    start = datetime.date(year, first, 1)
    end = datetime.date(year, last, calendar.monthrange(year, last)[1])
    return start, end, end + datetime.timedelta(days=15)


def period_ordering(prefix: str = "", *, newest_first: bool = True) -> list[str]:
    """`order_by` arguments that put periods in calendar order: by year (newest first unless told
    otherwise), then by start date, the longer period first when two start together (the annual
    period, then the first half, then the second half). `prefix` reaches a period through a relation
    ("period__", "report__period__")."""
    return [f"{'-' if newest_first else ''}{prefix}year", f"{prefix}start", f"-{prefix}end"]
