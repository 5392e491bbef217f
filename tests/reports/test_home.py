"""The home page and starting a report."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from reports.models import Bureau, Membership, Report, ReportingPeriod, Section
from reports.selectors.reports import home_cards
from reports.services.reports import report_create
from tests.factories import BureauFactory, MembershipFactory, PeriodFactory, ReportFactory, SectionFactory


def test_every_persona_gets_a_home_page(demo, client):
    from django.contrib.auth import get_user_model

    for persona in demo.personas():
        user = get_user_model().objects.get(username=persona.username)
        client.force_login(user)
        html = client.get(reverse("home")).content.decode()
        bureau_name = next(name for code, name, *_ in demo.BUREAUS if code == persona.bureau_code)
        assert bureau_name in html, persona.username
        if persona.role == "reviewer":
            assert reverse("review_overview") in html
        # Only the bureau's own clerk gets an editor link, and only to their own reports.
        for pk in Report.objects.values_list("pk", flat=True):
            if reverse("report_edit", args=[pk]) in html:
                report = Report.objects.get(pk=pk)
                assert persona.role == "staff" and report.bureau.code == persona.bureau_code
                assert report.state in Report.EDITABLE_STATES


def test_clerk_sees_state_deadline_and_days_left(demo, login):
    today = timezone.localdate()
    html = login("xuanzhou_staff").get(reverse("home")).content.decode()
    current = ReportingPeriod.objects.get(year=today.year, kind="annual")
    assert current.deadline.isoformat() in html
    assert "草稿" in html and "已审核通过" in html
    days = (current.deadline - today).days
    assert f"还剩 {days} 天" in html


def test_overdue_and_several_memberships(catalogue, login):
    today = datetime.date(2026, 3, 1)
    period = PeriodFactory(year=2025)  # deadline 2026-01-15
    a, b = BureauFactory(name="甲区卫健委"), BureauFactory(name="乙县卫健委")
    user = MembershipFactory(bureau=a, role=Membership.Role.STAFF).user
    MembershipFactory(user=user, bureau=b, role=Membership.Role.STAFF)
    ReportFactory(bureau=a, period=period)
    ReportFactory(bureau=b, period=period, state=Report.State.SUBMITTED)
    cards = home_cards(user=user, today=today)
    assert [c.bureau.name for c in cards] == ["甲区卫健委", "乙县卫健委"]
    row_a, row_b = cards[0].rows[0], cards[1].rows[0]
    assert row_a.overdue and row_a.days_overdue == 45 and row_a.can_edit
    assert not row_b.overdue and row_b.is_done and not row_b.can_edit


def test_closed_periods_are_not_listed(catalogue):
    user = MembershipFactory(role=Membership.Role.STAFF).user
    PeriodFactory(year=2023, is_open=False)
    open_period = PeriodFactory(year=2025)
    assert [row.period for row in home_cards(user=user)[0].rows] == [open_period]


@pytest.fixture
def previous_with_plan(catalogue):
    bureau = BureauFactory()
    clerk = MembershipFactory(bureau=bureau, role=Membership.Role.STAFF).user
    previous = report_create(
        bureau=bureau, period=PeriodFactory(year=2024, is_open=False), acting_user=clerk, check_permission=False
    )
    plan = Section.objects.get(report=previous, parent=None, kind=Section.Kind.PLAN)
    SectionFactory(report=previous, parent=plan, heading="建设紧密型医共体", position=1, kind="plan")
    SectionFactory(report=previous, parent=plan, heading="提升签约服务质量", position=2, kind="plan")
    return bureau, clerk, PeriodFactory(year=2025)


def test_start_offers_the_plan_items(previous_with_plan, login):
    bureau, clerk, period = previous_with_plan
    html = login(clerk).get(reverse("home")).content.decode()
    assert 'name="carry_over_plan"' in html
    assert "建设紧密型医共体" in html and "提升签约服务质量" in html


def test_start_without_a_previous_report_offers_no_carry_over(catalogue, login):
    bureau = BureauFactory()
    clerk = MembershipFactory(bureau=bureau, role=Membership.Role.STAFF).user
    PeriodFactory(year=2025)
    html = login(clerk).get(reverse("home")).content.decode()
    assert reverse("report_start") in html and 'name="carry_over_plan"' not in html


def test_start_with_carry_over(previous_with_plan, login):
    bureau, clerk, period = previous_with_plan
    response = login(clerk).post(
        reverse("report_start"), {"bureau": bureau.pk, "period": period.pk, "carry_over_plan": "on"}
    )
    report = Report.objects.get(bureau=bureau, period=period)
    assert response.status_code == 302 and response["Location"] == reverse("report_edit", args=[report.pk])
    work = Section.objects.get(report=report, parent=None, kind=Section.Kind.WORK_DONE)
    assert list(work.children.order_by("position").values_list("heading", flat=True)) == [
        "建设紧密型医共体",
        "提升签约服务质量",
    ]


def test_start_without_carry_over_and_twice(previous_with_plan, login):
    bureau, clerk, period = previous_with_plan
    client = login(clerk)
    client.post(reverse("report_start"), {"bureau": bureau.pk, "period": period.pk})
    report = Report.objects.get(bureau=bureau, period=period)
    assert [s.heading for s in Section.objects.filter(report=report, parent=None).order_by("position")] == [
        "工作开展情况",
        "存在的问题",
        "下一年度工作计划",
    ]
    assert not Section.objects.filter(report=report).exclude(parent=None).exists()
    response = client.post(reverse("report_start"), {"bureau": bureau.pk, "period": period.pk}, follow=True)
    assert "本单位该报告期已有报告" in response.content.decode()
    assert Report.objects.filter(bureau=bureau, period=period).count() == 1


def test_start_refused_for_another_bureau_or_a_reviewer(previous_with_plan, login):
    bureau, clerk, period = previous_with_plan
    other = MembershipFactory(role=Membership.Role.STAFF).user
    reviewer = MembershipFactory(bureau=BureauFactory(), role=Membership.Role.REVIEWER).user
    bureau.parent = reviewer.memberships.get().bureau
    bureau.save()
    for user in (other, reviewer):
        response = login(user).post(reverse("report_start"), {"bureau": bureau.pk, "period": period.pk})
        assert response.status_code == 403
    assert not Report.objects.filter(bureau=bureau, period=period).exists()


def test_start_refused_for_a_closed_period(previous_with_plan, login):
    bureau, clerk, period = previous_with_plan
    closed = ReportingPeriod.objects.get(year=2024)
    response = login(clerk).post(reverse("report_start"), {"bureau": bureau.pk, "period": closed.pk})
    assert response.status_code == 302
    assert Report.objects.filter(bureau=bureau).count() == 1


def test_reviewer_sees_what_waits_in_the_open_periods(demo):
    from django.contrib.auth import get_user_model

    reviewer = get_user_model().objects.get(username="xuancheng_reviewer")
    card = home_cards(user=reviewer)[0]
    counts = {state: n for state, _label, n in card.review_counts}
    assert card.is_reviewer and not card.rows
    # Drafts of subordinate bureaus are not the reviewer's business (the policy hides them).
    assert Report.State.DRAFT not in counts and counts[Report.State.SUBMITTED] >= 1


def test_every_persona_against_report_start(demo, client):
    from django.contrib.auth import get_user_model

    period = PeriodFactory(year=2031)
    bureaus = {b.code: b for b in Bureau.objects.all()}
    for persona in demo.personas():
        client.force_login(get_user_model().objects.get(username=persona.username))
        for code, bureau in bureaus.items():
            response = client.post(reverse("report_start"), {"bureau": bureau.pk, "period": period.pk})
            own = persona.role == "staff" and persona.bureau_code == code
            assert response.status_code == (302 if own else 403), (persona.username, code)
            assert Report.objects.filter(bureau=bureau, period=period).exists() == own
            Report.objects.filter(bureau=bureau, period=period).delete()
