"""Races on PostgreSQL with real threads: one outcome each, nothing lost.

Each race is one test built from `run_together` (tests/security/concurrency.py) and the fixtures
below (`clerks`: two clerks of one bureau; `reviewers`: two reviewers of its parent; `draft`: a
draft report with values). Races to add as the features land, in the same shape:
`test_two_clerks_save_one_section` (editor, section_save with the same version),
`test_two_reviewers_decide_one_report` (workflow, approve racing return),
`test_submit_races_an_edit` (workflow + editor: report_submit vs values_save/section_save).
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from indicators.models import IndicatorDefinition, IndicatorValue
from indicators.services import ValueInput, values_save
from reports.models import Bureau, Membership, Report, ReportingPeriod
from reports.services import ConflictError, ServiceError
from reports.services.reports import report_create

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
