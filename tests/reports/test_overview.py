"""The supervisor's overview: counts per state over a tree with many bureaus, timeliness against the
deadline, filters, a query count that does not grow with the number of bureaus, and who may see it."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reports.models import Bureau, Membership, Report, ReportingPeriod, Transition
from reports.selectors.review import MISSING, review_overview
from tests.factories import BureauFactory, MembershipFactory, PeriodFactory, ReportFactory, UserFactory

STATES_CYCLE = [None, Report.State.DRAFT, Report.State.SUBMITTED, Report.State.RETURNED, Report.State.APPROVED]


def _aware(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def build_tree(children: int, *, code_base: int = 410000):
    """A city with `children` counties; the i-th county's report is in STATES_CYCLE[i % 5] (None: not
    started). Submitted ones alternate between on time and 3 days late. A second city's counties must
    not show up. Returns (reviewer, period, expected counts)."""
    province = BureauFactory(code=f"{code_base:06d}", level=Bureau.Level.PROVINCE)
    city = BureauFactory(code=f"{code_base + 100:06d}", level=Bureau.Level.CITY, parent=province)
    other_city = BureauFactory(code=f"{code_base + 200:06d}", level=Bureau.Level.CITY, parent=province)
    reviewer = UserFactory(username=f"reviewer{code_base}")
    MembershipFactory(user=reviewer, bureau=city, role=Membership.Role.REVIEWER)
    period = PeriodFactory(year=2025)
    PeriodFactory(year=2024, kind=ReportingPeriod.Kind.ANNUAL, is_open=False)  # closed: not shown
    counts = {MISSING: 0, **dict.fromkeys(Report.State.values, 0)}
    for i in range(children):
        county = BureauFactory(code=f"{code_base + 101 + i:06d}", parent=city)
        state = STATES_CYCLE[i % len(STATES_CYCLE)]
        counts[state or MISSING] += 1
        if state is None:
            continue
        report = ReportFactory(bureau=county, period=period, state=state)
        if state != Report.State.DRAFT:
            t = Transition.objects.create(report=report, from_state="draft", to_state="submitted")
            late = (i // len(STATES_CYCLE)) % 2 == 1
            when = _aware(period.deadline + datetime.timedelta(days=3 if late else -2))
            Transition.objects.filter(pk=t.pk).update(created_at=when)
    # Noise under another city (not this reviewer's).
    for i in range(3):
        county = BureauFactory(code=f"{code_base + 201 + i:06d}", parent=other_city)
        ReportFactory(bureau=county, period=period, state=Report.State.SUBMITTED)
    return reviewer, period, counts


@pytest.mark.django_db
def test_counts_are_right_for_a_tree_with_many_bureaus():
    reviewer, period, expected = build_tree(60)
    today = period.deadline + datetime.timedelta(days=10)
    data = review_overview(user=reviewer, today=today)
    assert data.total == 60 and data.counts == expected
    assert {row.bureau.parent.code for row in data.rows} == {"410100"}
    by_state = {}
    for row in data.rows:
        by_state.setdefault(row.state, set()).add(row.timeliness)
    # Not submitted after the deadline: overdue; submitted: on time or late by three days.
    assert by_state[MISSING] == {"overdue"} and by_state[Report.State.DRAFT] == {"overdue"}
    assert by_state[Report.State.SUBMITTED] == {"on_time", "late"}
    late = [r for r in data.rows if r.timeliness == "late"]
    assert late and {r.days for r in late} == {3}
    assert {r.days for r in data.rows if r.timeliness == "overdue"} == {10}


@pytest.mark.django_db
def test_before_the_deadline_nothing_is_overdue():
    reviewer, period, _ = build_tree(5)
    data = review_overview(user=reviewer, today=period.deadline - datetime.timedelta(days=4))
    missing = [r for r in data.rows if r.state == MISSING]
    assert [(r.timeliness, r.days) for r in missing] == [("not_due", 4)]


@pytest.mark.django_db
def test_filters_by_state_and_period():
    reviewer, period, expected = build_tree(10)
    data = review_overview(user=reviewer, state="approved")
    assert len(data.rows) == expected["approved"] and all(r.state == "approved" for r in data.rows)
    assert data.counts == expected  # the cards keep the counts of every state
    data = review_overview(user=reviewer, state=MISSING)
    assert len(data.rows) == expected[MISSING] and all(r.report is None for r in data.rows)
    other = PeriodFactory(year=2025, kind=ReportingPeriod.Kind.H1)
    data = review_overview(user=reviewer, period_code=other.code)
    assert data.period == other and data.counts[MISSING] == 10 and data.total == 10
    data = review_overview(user=reviewer, period_code="nonsense", state="nonsense")
    assert data.period is None and data.state is None and data.total == 20  # two open periods


def _queries_for(client, reviewer, params=None) -> int:
    client.force_login(reviewer)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("review_overview"), params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_query_count_does_not_grow_with_the_number_of_bureaus(client):
    small_reviewer, _, _ = build_tree(5, code_base=420000)
    large_reviewer, _, _ = build_tree(50, code_base=430000)
    small = _queries_for(client, small_reviewer)
    large = _queries_for(client, large_reviewer)
    assert small == large, (small, large)
    assert large <= 10
    assert _queries_for(client, large_reviewer, {"state": "submitted"}) == large


@pytest.mark.django_db
def test_page_shows_counts_rows_and_links(client):
    reviewer, period, expected = build_tree(10)
    client.force_login(reviewer)
    response = client.get(reverse("review_overview"))
    page = response.content.decode()
    submitted = Report.objects.filter(bureau__parent__code="410100", state="submitted").first()
    assert reverse("report_review", args=[submitted.pk]) in page
    assert f'<span class="hr-count">{expected["submitted"]}</span>' in page
    assert "410101" in page and "410201" not in page  # the other city's counties are not listed


@pytest.mark.django_db
def test_only_reviewers_see_the_overview(client):
    clerk = UserFactory(username="just_a_clerk")
    MembershipFactory(user=clerk, role=Membership.Role.STAFF)
    client.force_login(clerk)
    assert client.get(reverse("review_overview")).status_code == 403
    client.logout()
    assert client.get(reverse("review_overview")).status_code == 302
