import json
from decimal import Decimal

from django.urls import reverse

from indicators.trends import trend_compute
from reports.models import Report
from tests.factories import PeriodFactory, ReportFactory, ValueFactory


def add_year(tree, year, kind="annual"):
    period = PeriodFactory(year=year, kind=kind)
    for bureau, value in ((tree.a, 110000), (tree.b, 210000)):
        report = ReportFactory(bureau=bureau, period=period)
        ValueFactory(report=report, definition=tree.defs["population"], value=Decimal(value))
        Report.objects.filter(pk=report.pk).update(state="approved")  # content first: approved is locked
    return period


def test_bureau_and_children_over_the_years(tree):
    add_year(tree, 2024)
    half = add_year(tree, 2025, "h1")
    trend = trend_compute(user=tree.users["c_reviewer"], definition=tree.defs["population"], bureau=tree.city)
    assert [p.year for p in trend.annual] == [2024, 2025]
    assert trend.half_years == [half]
    lines = {line.bureau.code: line for line in trend.lines}
    assert list(lines) == ["610100", "610101", "610102", "610103"]
    city = lines["610100"].row(trend.annual)
    assert [c.value for c in city] == [320000, 300000] and all(c.computed for c in city)
    assert [c.value for c in lines["610101"].row(trend.annual)] == [110000, 100000]
    assert [c.value for c in lines["610103"].row(trend.annual)] == [None, None]  # D's draft does not count


def test_rates_are_recomputed_per_child_and_in_total(tree):
    trend = trend_compute(user=tree.users["c_reviewer"], definition=tree.defs["elderly_mgmt"], bureau=tree.city)
    assert trend.lines[0].row(trend.annual)[0].value == Decimal("20.00")


def test_own_figure_wins_over_the_rollup(tree):
    tree.reports["c"].state = "submitted"
    tree.reports["c"].save()
    ValueFactory(report=tree.reports["c"], definition=tree.defs["population"], value=Decimal(305000))
    trend = trend_compute(user=tree.users["p_admin"], definition=tree.defs["population"], bureau=tree.province)
    lines = {line.bureau.code: line for line in trend.lines}
    cell = lines["610100"].row(trend.annual)[0]
    assert cell.value == 305000 and not cell.computed
    assert lines["610000"].row(trend.annual)[0].value == 300000 + 800000  # leaves only


def test_page_has_table_chart_data_and_direction(tree, login):
    add_year(tree, 2024)
    client = login(tree.users["c_reviewer"])
    response = client.get(reverse("indicators:trend", args=["elderly_mgmt"]), {"bureau": "610100"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="trend-data"' in html and "chart.umd.min.js" in html and "indicators-trend.js" in html
    assert "<script>" not in html.replace('<script id="trend-data" type="application/json">', "")
    data = json.loads(html.split('<script id="trend-data" type="application/json">')[1].split("</script>")[0])
    assert data["labels"] == ["2025"] and data["datasets"][0]["total"] is True
    assert data["datasets"][0]["data"] == [20.0]
    assert "higher is better" in html.lower() or "越高越好" in html


def test_a_clerk_cannot_see_a_siblings_trend(tree, login):
    client = login(tree.users["a_clerk"])
    response = client.get(reverse("indicators:trend", args=["population"]), {"bureau": "610102"})
    assert response.status_code == 403


def test_trend_query_count_does_not_grow_with_the_tree(tree, django_assert_max_num_queries):
    user = tree.users["p_admin"]
    with django_assert_max_num_queries(6):
        trend_compute(user=user, definition=tree.defs["population"], bureau=tree.province)


def test_a_clerks_own_draft_is_not_in_their_trend(tree, login):
    """Issue 13: the city clerk's own draft figure (and the old ?drafts= switch) changes nothing: the
    clerk and the reviewer of the city see the same trend; ?approved=1 counts approved reports only."""
    ValueFactory(report=tree.reports["c"], definition=tree.defs["population"], value=Decimal(999))
    url = reverse("indicators:trend", args=["population"])
    pages = {
        who: login(tree.users[who]).get(url, {"bureau": "610100", "drafts": "1"}).content.decode()
        for who in ("c_clerk", "c_reviewer")
    }
    for page in pages.values():
        data = json.loads(page.split('<script id="trend-data" type="application/json">')[1].split("</script>")[0])
        assert data["datasets"][0]["data"] == [300000.0]  # A + B, not the draft's 999 nor D's 400000
        assert "已审核通过和已报送（审核中）的报告" in page and 'name="drafts"' not in page
    trend = trend_compute(
        user=tree.users["c_clerk"], definition=tree.defs["population"], bureau=tree.city, approved_only=True
    )
    assert trend.lines[0].row(trend.annual)[0].value == 200000  # B only
