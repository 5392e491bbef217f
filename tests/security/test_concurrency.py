"""Races on PostgreSQL with real threads: one outcome each, nothing lost.

Each race is one test built from `run_together` (tests/security/concurrency.py) and the fixtures
below (`clerks`: two clerks of one bureau; `reviewers`: two reviewers of its parent; `draft`: a
draft report with values): two clerks saving one value or one section, two reviewers deciding one
report, a submit racing a section save or a values save, two clerks starting one report.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied

from indicators.models import IndicatorDefinition, IndicatorValue
from indicators.services import ValueInput, values_save
from reports.models import Bureau, Membership, Report, ReportingPeriod, Section, Transition
from reports.services import ConflictError, ServiceError
from reports.services.editing import section_save
from reports.services.reports import report_create
from reports.services.workflow import report_approve, report_return, report_submit

from .concurrency import assert_one_winner, run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

BUREAU = "341802"  # 宣州区


def _pair(persona: str, bureau: Bureau, role: str):
    """The demo persona and a second member with the same role in the same bureau."""
    first = get_user_model().objects.get(username=persona)
    second = get_user_model().objects.create_user(f"{persona}2", password="pw-for-tests-1")
    Membership.objects.create(user=second, bureau=bureau, role=role)
    return first, second


@pytest.fixture
def clerks(demo):
    """Two clerks of the same county bureau."""
    return _pair("xuanzhou_staff", Bureau.objects.get(code=BUREAU), Membership.Role.STAFF)


@pytest.fixture
def reviewers(demo):
    """Two reviewers of the county's parent (the city)."""
    return _pair("xuancheng_reviewer", Bureau.objects.get(code=BUREAU).parent, Membership.Role.REVIEWER)


@pytest.fixture
def draft(demo):
    """The county's draft report of the current year (seed_demo leaves it a draft, with values)."""
    report = Report.objects.filter(bureau__code=BUREAU, state=Report.State.DRAFT).get()
    assert report.values.exists()
    return report


def test_two_clerks_save_the_same_value_with_the_same_version(clerks, draft):
    definition = IndicatorDefinition.objects.get(slug="population")
    before = IndicatorValue.objects.get(report=draft, definition=definition)
    rows = {
        clerk.pk: [ValueInput(definition=definition, value=Decimal(value), version=before.version)]
        for clerk, value in zip(clerks, ("500000", "600000"))
    }
    outcomes = run_together(
        *(lambda c=clerk: values_save(report=draft, acting_user=c, rows=rows[c.pk]) for clerk in clerks)
    )
    winner = assert_one_winner(outcomes, ConflictError)
    loser = next(o for o in outcomes if not o.ok)
    after = IndicatorValue.objects.get(report=draft, definition=definition)
    won_value = winner.result.saved[0].value
    assert after.value == won_value and after.version == before.version + 1
    assert after.updated_by == clerks[winner.index]
    # Nothing lost: the loser is told what the winner saved, and can retry from it.
    assert loser.error.current.value == won_value
    retried = values_save(
        report=draft,
        acting_user=clerks[loser.index],
        rows=[ValueInput(definition=definition, value=Decimal("700000"), version=after.version)],
    )
    assert retried.saved[0].version == before.version + 2


def test_many_clerks_save_different_values_all_land(clerks, draft):
    """Disjoint rows do not conflict: every save lands (serialised by the report row lock)."""
    definitions = list(IndicatorDefinition.objects.filter(kind="count").order_by("pk")[:6])
    assert len(definitions) == 6

    def save(i: int, d: IndicatorDefinition):
        return values_save(
            report=draft, acting_user=clerks[i % 2], rows=[ValueInput(definition=d, value=Decimal(1000 + i))]
        )

    outcomes = run_together(*(lambda i=i, d=d: save(i, d) for i, d in enumerate(definitions)))
    assert all(o.ok for o in outcomes), outcomes
    stored = dict(
        IndicatorValue.objects.filter(report=draft, definition__in=definitions).values_list("definition", "value")
    )
    assert stored == {d.pk: Decimal(1000 + i) for i, d in enumerate(definitions)}


def test_two_clerks_save_one_section(clerks, draft):
    section = Section.objects.filter(report=draft, parent__isnull=False).order_by("pk").first()
    outcomes = run_together(
        *(
            lambda c=clerk, i=i: section_save(
                section=section, acting_user=c, heading=section.heading, body=f"文字{i}", version=section.version
            )
            for i, clerk in enumerate(clerks)
        )
    )
    winner = assert_one_winner(outcomes, ConflictError)
    loser = next(o for o in outcomes if not o.ok)
    after = Section.objects.get(pk=section.pk)
    assert after.body == f"文字{winner.index}" and after.version == section.version + 1
    assert after.updated_by == clerks[winner.index]
    # Nothing lost: the loser is shown the winner's text (the view keeps the loser's own in the form).
    assert loser.error.current.body == after.body and loser.error.current.version == after.version


def test_two_reviewers_decide_one_report(clerks, reviewers, draft):
    report = report_submit(report=draft, acting_user=clerks[0])
    outcomes = run_together(
        lambda: report_approve(report=report, acting_user=reviewers[0]),
        lambda: report_return(report=report, acting_user=reviewers[1], comment="不同意。"),
    )
    winner = assert_one_winner(outcomes, ServiceError)
    decisions = Transition.objects.filter(report=report, from_state=Report.State.SUBMITTED)
    assert decisions.count() == 1 and decisions.get().actor == reviewers[winner.index]
    report.refresh_from_db()
    assert report.state == decisions.get().to_state == (Report.State.APPROVED, Report.State.RETURNED)[winner.index]


ROUNDS = 4  # each round races once; who wins varies, the invariant must hold either way


def _race_submit_against(edit, in_sync, *, report: Report, clerks, reviewers) -> None:
    """Race `edit(i)` against report_submit, ROUNDS times (the reviewer returns the report between
    rounds). `edit` returns a test of a snapshot: does it hold what the edit saved? `in_sync` tests
    whether what is stored now equals the snapshot. Either the edit landed before the snapshot and
    the snapshot holds it, or it was refused because the report was no longer editable; never an
    edit after submission that the snapshot lacks."""
    for i in range(ROUNDS):
        outcomes = run_together(lambda: report_submit(report=report, acting_user=clerks[0]), lambda i=i: edit(i))
        submitted, edited = outcomes
        assert submitted.ok, submitted.error
        report.refresh_from_db()
        assert report.state == Report.State.SUBMITTED
        snapshot = report.versions.order_by("-number").first().content
        if edited.ok:
            assert edited.result(snapshot), f"round {i}: the edit landed but the snapshot lacks it"
        else:
            assert isinstance(edited.error, PermissionDenied | ServiceError), repr(edited.error)
        assert in_sync(snapshot), f"round {i}: stored content differs from the submitted snapshot"
        report_return(report=report, acting_user=reviewers[0], comment=f"第{i + 1}轮退回。")


def test_submit_races_a_section_save(clerks, reviewers, draft):
    section = Section.objects.filter(report=draft, parent__isnull=False).order_by("pk").first()

    def edit(i: int):
        current = Section.objects.get(pk=section.pk)
        text = f"{current.body}\n第{i + 1}轮补充。"
        section_save(
            section=current, acting_user=clerks[1], heading=current.heading, body=text, version=current.version
        )
        return lambda snapshot: any(s["id"] == section.pk and s["body"] == text for s in snapshot["sections"])

    def in_sync(snapshot) -> bool:
        stored = Section.objects.get(pk=section.pk).body
        return next(s["body"] for s in snapshot["sections"] if s["id"] == section.pk) == stored

    _race_submit_against(edit, in_sync, report=draft, clerks=clerks, reviewers=reviewers)


def test_submit_races_a_values_save(clerks, reviewers, draft):
    definition = IndicatorDefinition.objects.get(slug="population")

    def edit(i: int):
        current = IndicatorValue.objects.get(report=draft, definition=definition)
        value = Decimal(400000 + i)
        values_save(
            report=draft,
            acting_user=clerks[1],
            rows=[ValueInput(definition=definition, value=value, version=current.version)],
        )
        return lambda snapshot: any(v["slug"] == "population" and v["value"] == str(value) for v in snapshot["values"])

    def in_sync(snapshot) -> bool:
        stored = IndicatorValue.objects.get(report=draft, definition=definition).value
        return next(v["value"] for v in snapshot["values"] if v["slug"] == "population") == f"{stored.normalize():f}"

    _race_submit_against(edit, in_sync, report=draft, clerks=clerks, reviewers=reviewers)


def test_two_clerks_start_the_same_report(clerks):
    bureau = Bureau.objects.get(code=BUREAU)
    year = ReportingPeriod.objects.order_by("-year").values_list("year", flat=True).first() + 1
    start, end, deadline = ReportingPeriod.default_dates(year, ReportingPeriod.Kind.ANNUAL)
    period = ReportingPeriod.objects.create(year=year, kind="annual", start=start, end=end, deadline=deadline)
    outcomes = run_together(
        *(lambda c=clerk: report_create(bureau=bureau, period=period, acting_user=c) for clerk in clerks)
    )
    winner = assert_one_winner(outcomes, ServiceError)
    assert Report.objects.filter(bureau=bureau, period=period).count() == 1
    report = Report.objects.get(bureau=bureau, period=period)
    assert report.pk == winner.result.pk
    assert report.sections.filter(parent=None).exists()  # the winner's skeleton is complete


def test_run_together_releases_at_once():
    """The barrier really lines the threads up (a sanity check of the helper)."""
    import threading
    import time

    seen = []
    lock = threading.Lock()

    def stamp():
        with lock:
            seen.append(time.monotonic())

    run_together(*(stamp for _ in range(8)))
    assert len(seen) == 8 and max(seen) - min(seen) < 0.5
