"""The editor's indicator grid: reading (with the previous period) and saving what a clerk types."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators.grid import fingerprint, texts_of
from indicators.models import IndicatorDefinition, IndicatorValue
from indicators.selectors import grid_groups, grid_rows
from reports.models import Membership, ReportingPeriod
from tests.factories import DefinitionFactory, MembershipFactory, PeriodFactory, ReportFactory, ValueFactory


@pytest.fixture
def setup(catalogue):
    previous = PeriodFactory(year=2024)
    current = PeriodFactory(year=2025)
    old = ReportFactory(period=previous)
    report = ReportFactory(period=current, bureau=old.bureau)
    clerk = MembershipFactory(bureau=report.bureau, role=Membership.Role.STAFF).user
    defs = {d.slug: d for d in IndicatorDefinition.objects.all()}
    return report, old, clerk, defs


def row_data(report, **typed):
    """The grid form as drawn for `report`, with `typed` ({"slug-part": text}) changed."""
    data = {}
    for row in grid_rows(report=report):
        texts = texts_of(row.current)
        for part, text in texts.items():
            data[f"{row.slug}-{part}"] = text
        data[f"{row.slug}-version"] = row.version
        data[f"{row.slug}-orig"] = fingerprint(texts)
    data.update(typed)
    return data


def test_grid_rows_bring_the_previous_value_and_change(setup):
    report, old, clerk, defs = setup
    ValueFactory(report=old, definition=defs["fds_coverage"], value=Decimal("50.5"))
    ValueFactory(report=report, definition=defs["fds_coverage"], value=Decimal("55"))
    ValueFactory(report=old, definition=defs["avg_los"], value=Decimal("9"))
    ValueFactory(report=report, definition=defs["avg_los"], value=Decimal("10"))
    rows = {r.slug: r for r in grid_rows(report=report)}
    assert len(rows) == IndicatorDefinition.objects.count()
    assert rows["fds_coverage"].previous_value == Decimal("50.5") and rows["fds_coverage"].change == Decimal("4.5")
    assert rows["fds_coverage"].trend == "better" and rows["avg_los"].trend == "worse"
    assert rows["population"].value is None and rows["population"].change is None
    groups = grid_groups(rows=list(rows.values()))
    assert [g.topic for g in groups] == [
        t for t in IndicatorDefinition.Topic.values if any(g.topic == t for g in groups)
    ]


def test_previous_period_of_a_first_half_is_last_years_second_half(catalogue):
    h2 = ReportFactory(period=PeriodFactory(year=2024, kind=ReportingPeriod.Kind.H2))
    h1 = ReportFactory(period=PeriodFactory(year=2025, kind=ReportingPeriod.Kind.H1), bureau=h2.bureau)
    ValueFactory(report=h2, definition=IndicatorDefinition.objects.get(slug="population"), value=1000)
    row = next(r for r in grid_rows(report=h1) if r.slug == "population")
    assert row.previous_value == 1000


@pytest.mark.parametrize(
    "slug,typed,expected",
    [
        ("population", "５２３，０００", Decimal(523000)),  # full-width digits and comma
        ("population", "523,000", Decimal(523000)),
        ("population", "52.3万", Decimal(523000)),
        ("fds_coverage", "73%", Decimal(73)),
        ("fds_coverage", "７３％", Decimal(73)),
        ("infant_mortality", "4.5‰", Decimal("4.5")),
        ("fines", "35万元", Decimal(35)),
    ],
)
def test_grid_parses_what_a_clerk_types(setup, login, slug, typed, expected):
    report, old, clerk, defs = setup
    response = login(clerk).post(reverse("values_save", args=[report.pk]), row_data(report, **{f"{slug}-value": typed}))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert IndicatorValue.objects.get(report=report, definition=defs[slug]).value == expected


@pytest.mark.parametrize(
    "slug,typed,message",
    [
        ("population", "约五十万", "不是有效数字"),
        ("population", "12,34", "不是有效数字"),
        ("infant_mortality", "4.5%", "单位与该指标不符"),
        ("population", "-3", "计数不能为负数"),
    ],
)
def test_grid_refuses_text_and_saves_nothing(setup, login, slug, typed, message):
    report, old, clerk, defs = setup
    data = row_data(report, **{"population-value": "500000", f"{slug}-value": typed, "fines-value": "12"})
    response = login(clerk).post(reverse("values_save", args=[report.pk]), data, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and f'value="{typed}"' in html  # the typed text stays for correcting
    assert not IndicatorValue.objects.filter(report=report).exists()


def test_rate_from_parts_out_of_range_warning_and_note(setup, login):
    report, old, clerk, defs = setup
    client = login(clerk)
    data = row_data(report, **{"fds_coverage-num": "9,500", "fds_coverage-den": "10,000"})
    response = client.post(reverse("values_save", args=[report.pk]), data, follow=True)
    value = IndicatorValue.objects.get(report=report, definition=defs["fds_coverage"])
    assert value.value == Decimal("95.00") and value.numerator == 9500
    assert "超出常见范围，请填写说明" in response.content.decode()  # a warning, not a refusal
    data = row_data(report, **{"fds_coverage-note": "试点乡镇全覆盖"})
    response = client.post(reverse("values_save", args=[report.pk]), data, follow=True)
    assert "超出常见范围" not in response.content.decode()
    value.refresh_from_db()
    assert value.note == "试点乡镇全覆盖" and value.version == 2


def test_empty_means_not_reported(setup, login):
    report, old, clerk, defs = setup
    ValueFactory(report=report, definition=defs["population"], value=500000)
    data = row_data(report, **{"population-value": ""})
    assert login(clerk).post(reverse("values_save", args=[report.pk]), data).status_code == 302
    assert not IndicatorValue.objects.filter(report=report, definition=defs["population"]).exists()


def test_untouched_rows_are_not_written_and_stale_rows_conflict(setup, login, client):
    report, old, clerk, defs = setup
    ValueFactory(report=report, definition=defs["population"], value=500000)
    drawn = row_data(report)  # the clerk opens the grid
    colleague = MembershipFactory(bureau=report.bureau, role=Membership.Role.STAFF).user
    login(colleague).post(reverse("values_save", args=[report.pk]), row_data(report, **{"population-value": "510000"}))
    login(clerk)
    # Changing another row is fine: the colleague's figure is not overwritten by the stale page.
    response = client.post(reverse("values_save", args=[report.pk]), {**drawn, "fines-value": "20"})
    assert response.status_code == 302
    assert IndicatorValue.objects.get(report=report, definition=defs["population"]).value == 510000
    # Changing the same row is refused, and nothing of that submission is saved.
    response = client.post(
        reverse("values_save", args=[report.pk]), {**drawn, "population-value": "520000", "bphs_funds-value": "900"}
    )
    assert response.status_code == 409 and "510000" in response.content.decode()
    assert not IndicatorValue.objects.filter(report=report, definition=defs["bphs_funds"]).exists()


def test_grid_query_count_does_not_grow_with_the_catalogue(setup, login):
    report, old, clerk, defs = setup
    client = login(clerk)
    url = reverse("report_edit", args=[report.pk]) + "?tab=indicators"

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    for i in range(60):
        d = DefinitionFactory(topic=IndicatorDefinition.Topic.FINANCE, range_min=0, range_max=10)
        ValueFactory(report=report, definition=d, value=i)
        ValueFactory(report=old, definition=d, value=i + 1)
    assert count() == before


def test_saving_figures_is_audited(setup, login):
    from reports.models import AuditEvent

    report, old, clerk, defs = setup
    login(clerk).post(reverse("values_save", args=[report.pk]), row_data(report, **{"population-value": "1000"}))
    event = AuditEvent.objects.get(report=report, action="values_save")
    assert event.actor == clerk and event.detail["saved"] == ["population"]
