from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from indicators.models import IndicatorValue
from indicators.rollup import rollup_compute
from indicators.services import rollup_pull
from reports import policy
from reports.models import AuditEvent, Report
from tests.factories import ValueFactory


def rows_of(result):
    return {row.definition.slug: row for row in result.rows}


def test_counts_are_summed_and_rates_recomputed_from_parts(tree):
    result = rollup_compute(user=tree.users["c_reviewer"], bureau=tree.city, period=tree.period)
    rows = rows_of(result)
    assert rows["population"].value == Decimal(300000)  # A + B; D is a draft
    assert rows["population"].reported == 2
    elderly = rows["elderly_mgmt"]
    assert elderly.value == Decimal("20.00") and elderly.method == "rate"  # 20/100, not (50 + 12.5) / 2
    assert (elderly.numerator, elderly.denominator, elderly.with_parts) == (20, 100, 2)
    assert [r.bureau_code for r in result.reports] == ["610101", "610102"]
    assert [b.code for b in result.missing] == ["610103"]


def test_a_rate_whose_child_misses_the_parts_is_partial_and_names_the_child(tree):
    rows = rows_of(rollup_compute(user=tree.users["c_reviewer"], bureau=tree.city, period=tree.period))
    fds = rows["fds_coverage"]
    assert fds.value == Decimal("30.00")  # from A's parts only; B's 50% is not averaged in
    assert fds.reported == 2 and fds.with_parts == 1
    assert fds.lacking_parts == ["二县卫健委"] and fds.is_partial


def test_non_additive_indicators_get_no_figure(tree):
    rows = rows_of(rollup_compute(user=tree.users["c_reviewer"], bureau=tree.city, period=tree.period))
    assert rows["life_expectancy"].method == "none" and rows["life_expectancy"].value is None
    assert rows["life_expectancy"].reported == 2


def test_province_adds_up_leaves_only(tree):
    # The city's own draft report is not a leaf: adding it would count its counties twice.
    ValueFactory(report=tree.reports["c"], definition=tree.defs["population"], value=Decimal(700000))
    rows = rows_of(rollup_compute(user=tree.users["p_admin"], bureau=tree.province, period=tree.period))
    assert rows["population"].value == Decimal(100000 + 200000 + 800000)


def test_approved_only_switch_leaves_out_submitted_reports(tree):
    reviewer = tree.users["c_reviewer"]
    rows = rows_of(rollup_compute(user=reviewer, bureau=tree.city, period=tree.period, approved_only=True))
    assert rows["population"].value == Decimal(200000)  # B only: A is submitted, D a draft


def test_province_reviewer_counts_submitted_reports_below_like_the_clerk(tree):
    # Issue 13: figures are visible by bureau. A county report under review counts for the province
    # reviewer as it does for the province's clerk and administrator.
    for user in ("p_reviewer", "p_admin"):
        rows = rows_of(rollup_compute(user=tree.users[user], bureau=tree.province, period=tree.period))
        assert rows["population"].value == Decimal(100000 + 200000 + 800000), user


def test_every_bureau_of_the_subtree_is_listed_with_its_status(tree):
    result = rollup_compute(user=tree.users["p_reviewer"], bureau=tree.province, period=tree.period)
    status = {b.code: (b.status, b.is_leaf, b.counted) for b in result.bureaus}
    assert status == {
        "610100": ("not_submitted", False, False),
        "610101": ("submitted", True, True),
        "610102": ("approved", True, True),
        "610103": ("not_submitted", True, False),
        "610200": ("not_submitted", False, False),
        "610201": ("approved", True, True),
    }


def test_rollup_page_states_what_is_counted(tree, login):
    client = login(tree.users["p_reviewer"])
    url = reverse("indicators:rollup")
    page = client.get(url, {"bureau": "610000", "period": tree.period.code}).content.decode()
    assert "已审核通过和已报送（审核中）的报告" in page and "一县卫健委" in page
    page = client.get(url, {"bureau": "610000", "period": tree.period.code, "approved": "1"}).content.decode()
    assert "只计已审核通过的报告" in page


def test_figures_are_submitted_and_approved_reports_only_not_even_ones_own_draft(tree):
    """Issue 13: figures are visible by bureau, not by person; the city clerk's own draft (610100)
    is not a figure for them any more than for the city's reviewer."""
    for who in ("c_clerk", "c_reviewer"):
        visible = Report.objects.filter(policy.figures_visible_q(tree.users[who])).values_list(
            "bureau__code", flat=True
        )
        assert set(visible) == {"610101", "610102"}, who
    assert set(
        Report.objects.filter(policy.figures_visible_q(tree.users["a_clerk"])).values_list("bureau__code", flat=True)
    ) == {"610101"}


def test_rollup_runs_a_fixed_number_of_queries(tree, django_assert_max_num_queries):
    user = tree.users["c_reviewer"]
    with django_assert_max_num_queries(7):
        rollup_compute(user=user, bureau=tree.province, period=tree.period)


def test_page_shows_the_rollup(tree, login):
    client = login(tree.users["c_reviewer"])
    response = client.get(reverse("indicators:rollup"), {"bureau": "610100", "period": "2025"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "300,000" in html and "二县卫健委" in html and "三县卫健委" in html


@pytest.mark.parametrize("user, code", [("a_clerk", "610100"), ("a_clerk", "610200"), ("c_clerk", "610200")])
def test_a_clerk_cannot_roll_up_a_siblings_subtree(tree, login, user, code):
    client = login(tree.users[user])
    response = client.get(reverse("indicators:rollup"), {"bureau": code, "period": "2025"})
    assert response.status_code == 403


def test_unknown_period_is_a_message_not_an_error(tree, login):
    client = login(tree.users["c_reviewer"])
    response = client.get(reverse("indicators:rollup"), {"bureau": "610100", "period": "20x5"})
    assert response.status_code == 200


def test_pull_fills_only_empty_values_unless_asked(tree):
    report, clerk = tree.reports["c"], tree.users["c_clerk"]
    ValueFactory(report=report, definition=tree.defs["population"], value=Decimal(999))
    rollup_pull(report=report, acting_user=clerk)
    values = {v.definition.slug: v for v in IndicatorValue.objects.filter(report=report)}
    assert values["population"].value == 999
    assert values["elderly_mgmt"].value == Decimal("20.00")
    assert (values["elderly_mgmt"].numerator, values["elderly_mgmt"].denominator) == (20, 100)
    assert "life_expectancy" not in values
    assert AuditEvent.objects.filter(action="rollup_pull", report=report).exists()
    rollup_pull(report=report, acting_user=clerk, overwrite=True)
    assert IndicatorValue.objects.get(report=report, definition=tree.defs["population"]).value == 300000


def test_pull_needs_the_right_to_edit_the_parent_report(tree):
    with pytest.raises(PermissionDenied):
        rollup_pull(report=tree.reports["c"], acting_user=tree.users["c_reviewer"])
    assert not IndicatorValue.objects.filter(report=tree.reports["c"]).exists()


def test_pull_button_posts_and_redirects(tree, login):
    client = login(tree.users["c_clerk"])
    page = client.get(reverse("indicators:rollup"), {"bureau": "610100", "period": "2025"})
    url = reverse("indicators:rollup_pull", args=[tree.reports["c"].pk])
    assert url in page.content.decode()
    response = client.post(url)
    assert response.status_code == 302
    assert IndicatorValue.objects.filter(report=tree.reports["c"]).count() >= 3


def test_landing_page_lists_the_catalogue_and_the_clerks_reports(tree, login):
    client = login(tree.users["c_clerk"])
    response = client.get(reverse("indicators:index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("indicators:trend", args=["population"]) + "?bureau=610100" in html
    assert reverse("indicators:report_values", args=[tree.reports["c"].pk]) in html
    assert reverse("indicators:report_values", args=[tree.reports["a"].pk]) not in html


def test_half_year_rollup_page(tree, login):
    from tests.factories import PeriodFactory

    PeriodFactory(year=2025, kind="h1")
    response = login(tree.users["c_reviewer"]).get(
        reverse("indicators:rollup"), {"bureau": "610100", "period": "2025H1"}
    )
    assert response.status_code == 200 and response.context["period"].code == "2025H1"


def test_a_county_clerk_without_subordinates_is_sent_back_with_a_message(tree, login):
    response = login(tree.users["a_clerk"]).get(reverse("indicators:rollup"))
    assert response.status_code == 302 and response["Location"] == reverse("indicators:index")
