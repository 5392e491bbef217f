"""Reads of the review workflow: the supervisor's overview, a report's history, open remarks."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Min, Q
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from indicators.models import IndicatorValue
from indicators.numbers import number_text

from .. import policy
from ..models import Bureau, Chaser, Report, ReportingPeriod, ReportVersion, ReviewComment, Section, Transition
from ..periods import period_ordering
from .timeliness import review_wait_days, waiting_days
from .timeliness import timeliness as lateness
from .tree import SectionNode, flatten, section_tree
from .versions import Comparison, latest_comparison, text_diff_html

MISSING = "missing"  # no report started yet (a pseudo-state of the overview)
OVERVIEW_STATES = (MISSING, *Report.State.values)


def state_label(state: str) -> str:
    return _("Not started") if state == MISSING else Report.State(state).label


@dataclass
class OverviewRow:
    bureau: Bureau
    period: ReportingPeriod
    report: Report | None
    state: str  # one of OVERVIEW_STATES
    first_submitted: datetime.datetime | None
    timeliness: str  # "on_time", "late", "overdue", "not_due" (selectors/timeliness.py)
    days: int  # days late / overdue, or days left until the deadline
    waiting: int | None = None  # a submitted report: days since its latest submission
    waiting_long: bool = False  # waiting more than REVIEW_WAIT_DAYS
    chased_today: bool = False  # a chaser (催报) went to the bureau today for this period

    @property
    def state_label(self) -> str:
        return state_label(self.state)


@dataclass
class Overview:
    parents: list[Bureau]
    periods: list[ReportingPeriod]
    period: ReportingPeriod | None  # the period filter, if any
    state: str | None  # the state filter, if any
    rows: list[OverviewRow]  # after both filters
    counts: dict[str, int] = field(default_factory=dict)  # per state, for the period filter only
    total: int = 0
    wait_limit: int = 0  # REVIEW_WAIT_DAYS


def review_overview(
    *, user, period_code: str | None = None, state: str | None = None, today: datetime.date | None = None
) -> Overview:
    """For a reviewer: the bureaus directly under theirs × the open periods, each with its report's state,
    first submission and timeliness against the deadline. A fixed number of queries, however many
    bureaus there are. Unknown filter values are ignored."""
    today = today or timezone.localdate()
    bureaus = list(Bureau.objects.filter(policy.reviewed_bureaus_q(user)).select_related("parent").order_by("path"))
    periods = list(ReportingPeriod.objects.filter(is_open=True).order_by(*period_ordering()))
    period = next((p for p in periods if p.code == period_code), None) if period_code else None
    shown_periods = [period] if period else periods
    reports = (
        Report.objects.filter(bureau__in=bureaus, period__in=shown_periods)
        .annotate(first_submitted=Min("transitions__created_at", filter=Q(transitions__to_state="submitted")))
        .order_by()
    )
    by_key = {(r.bureau_id, r.period_id): r for r in reports} if bureaus else {}
    chased = (
        set(
            Chaser.objects.filter(bureau__in=bureaus, period__in=shown_periods, sent_on=today).values_list(
                "bureau_id", "period_id"
            )
        )
        if bureaus
        else set()
    )
    rows = []
    for p in shown_periods:
        for b in bureaus:
            r = by_key.get((b.pk, p.pk))
            first = r.first_submitted if r is not None else None
            timeliness, days = lateness(period=p, bureau=b, first_submitted=first, today=today)
            row = OverviewRow(b, p, r, r.state if r else MISSING, first, timeliness, days)
            row.chased_today = (b.pk, p.pk) in chased
            if row.state == Report.State.SUBMITTED:
                row.waiting = waiting_days(submitted_at=r.submitted_at, today=today)
                row.waiting_long = row.waiting is not None and row.waiting > review_wait_days()
            rows.append(row)
    counts = dict.fromkeys(OVERVIEW_STATES, 0)
    for row in rows:
        counts[row.state] += 1
    state = state if state in OVERVIEW_STATES else None
    return Overview(
        parents=sorted({b.parent for b in bureaus}, key=lambda b: b.path),
        periods=periods,
        period=period,
        state=state,
        rows=[row for row in rows if state is None or row.state == state],
        counts=counts,
        total=len(rows),
        wait_limit=review_wait_days(),
    )


# ----- the review page ---------------------------------------------------------------------------


@dataclass
class ReviewMaterial:
    """Everything the review page shows, in a fixed number of queries whatever the report's size."""

    nodes: list[SectionNode]  # numbered, in reading order; each with `.flags` (comments at the last return)
    values: list[IndicatorValue]  # each with `.flags` (comments on it at the last return)
    version: ReportVersion | None  # the latest submission
    previous_version: ReportVersion | None
    comparison: Comparison | None  # None before a resubmission
    last_return: Transition | None
    versions_count: int


def review_material(*, report: Report) -> ReviewMaterial:
    nodes = flatten(section_tree(report=report))
    values = list(
        IndicatorValue.objects.filter(report=report)
        .select_related("definition")
        .order_by("definition__topic", "definition__position", "definition__slug")
    )
    new, old, comparison = latest_comparison(report=report)
    last_return = (
        Transition.objects.filter(report=report, to_state=Report.State.RETURNED)
        .select_related("actor")
        .prefetch_related("section_comments")
        .order_by("-created_at", "-pk")
        .first()
    )
    flags: dict[int, list] = {}  # section id -> comments
    value_flags: dict[int, list] = {}  # indicator id -> comments
    for c in last_return.section_comments.all() if last_return else ():
        if c.indicator_id:
            value_flags.setdefault(c.indicator_id, []).append(c)
        else:
            flags.setdefault(c.section_id, []).append(c)
    for node in nodes:
        node.flags = flags.get(node.pk, [])
    for value in values:
        value.flags = value_flags.get(value.definition_id, [])
    for change in comparison.sections if comparison else ():
        change.flags = flags.get(change.section_id, [])
    return ReviewMaterial(
        nodes=nodes,
        values=values,
        version=new,
        previous_version=old,
        comparison=comparison,
        last_return=last_return,
        versions_count=ReportVersion.objects.filter(report=report).count(),
    )


# ----- history ------------------------------------------------------------------------------------


def report_transitions(*, report: Report) -> list[Transition]:
    """The full trail, oldest first, with each return's flagged places."""
    return list(
        Transition.objects.filter(report=report)
        .select_related("actor")
        .prefetch_related("section_comments__section", "section_comments__indicator")
        .order_by("created_at", "pk")
    )


@dataclass
class Edit:
    """One recorded content change (a django-simple-history record) and the one before it."""

    kind: str  # "section" or "value"
    record: object
    previous: object | None

    @property
    def label(self) -> str:
        if self.kind == "section":
            return self.record.heading
        return self.record.definition.name if self.record.definition_id else ""


EDIT_LIMIT = 300


def report_edits(*, report: Report, limit: int = EDIT_LIMIT) -> list[Edit]:
    """Content edits of the report, newest first (two queries): sections and indicator values."""
    sections = list(Section.history.filter(report_id=report.pk).select_related("history_user").order_by("history_id"))
    values = list(
        IndicatorValue.history.filter(report_id=report.pk)
        .select_related("history_user", "definition")
        .order_by("history_id")
    )
    edits: list[Edit] = []
    for kind, records in (("section", sections), ("value", values)):
        last: dict[int, object] = {}
        for rec in records:
            edits.append(Edit(kind, rec, last.get(rec.id)))
            last[rec.id] = rec
    edits.sort(key=lambda e: (e.record.history_date, e.record.history_id), reverse=True)
    return edits[:limit]


@dataclass
class FieldDiff:
    name: str
    html: str


def history_compare(*, report: Report, kind: str, a: int, b: int) -> tuple[object, object, list[FieldDiff]] | None:
    """Compare two history records of the same section or value of this report (older first).
    None when they do not exist, belong elsewhere or to different objects."""
    model = {"section": Section, "value": IndicatorValue}.get(kind)
    if model is None:
        return None
    records = {r.history_id: r for r in model.history.filter(report_id=report.pk, history_id__in=[a, b])}
    if a not in records or b not in records or records[a].id != records[b].id:
        return None
    old, new = sorted((records[a], records[b]), key=lambda r: (r.history_date, r.history_id))
    fields = ["heading", "body"] if kind == "section" else ["value", "numerator", "denominator", "note"]
    diffs = []
    for name in fields:
        before, after = getattr(old, name), getattr(new, name)
        if before != after:
            if kind == "value" and name != "note":  # a number reads as old → new, never as a character diff
                html = format_html("{} → <ins>{}</ins>", number_text(before) or "—", number_text(after) or "—")
            else:
                html = text_diff_html(str(before), str(after))
            diffs.append(FieldDiff(model._meta.get_field(name).verbose_name, html))
    return old, new, diffs


def open_review_comments(*, report: Report) -> list[ReviewComment]:
    """The reviewer's remarks the bureau still has to deal with (those of the latest return or reopen;
    resubmitting marks them as dealt with), in the report's reading order: sections first, by number,
    then indicator values. Each comment gets `.number` (the section's current number, or "") and
    `.value_text` (an indicator's value in this report, written the one way, or "")."""
    comments = list(
        ReviewComment.objects.filter(report=report, resolved=False).select_related(
            "section", "indicator", "author", "transition"
        )
    )
    if not comments:
        return []
    order = {node.pk: (i, node.number) for i, node in enumerate(flatten(section_tree(report=report)))}
    flagged = [c.indicator_id for c in comments if c.indicator_id]
    values = (
        dict(
            IndicatorValue.objects.filter(report=report, definition_id__in=flagged).values_list(
                "definition_id", "value"
            )
        )
        if flagged
        else {}
    )
    for c in comments:
        c.number = order.get(c.section_id, (0, ""))[1]
        c.value_text = number_text(values.get(c.indicator_id), c.indicator.unit) if c.indicator_id else ""

    def key(c: ReviewComment):
        if c.section_id is not None:
            return (0, order.get(c.section_id, (10**6, ""))[0], c.pk)
        if c.indicator_id is not None:
            return (1, 0, c.pk)
        return (2, 0, c.pk)

    return sorted(comments, key=key)


def latest_return(*, report: Report) -> Transition | None:
    """The step that sent the report back (returned by review, or reopened), if it is returned now."""
    if report.state != Report.State.RETURNED:
        return None
    return (
        Transition.objects.filter(report=report, to_state=Report.State.RETURNED)
        .select_related("actor")
        .order_by("-created_at", "-pk")
        .first()
    )
