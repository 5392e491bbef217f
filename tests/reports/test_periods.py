"""The period calendar (reports/periods.py): one table of period kinds that every period rule reads.

The expected values are written out by hand from the calendar, not read back from the table."""

import datetime

import pytest
from django.utils import translation

from indicators.forms import RollupForm
from reports import periods
from reports.models import Report, ReportingPeriod, SkeletonSection
from reports.selectors.reports import home_cards, previous_period
from reports.services.reports import report_create
from tests.factories import BureauFactory, MembershipFactory, PeriodFactory, UserFactory

QUARTERS = [
    periods.PeriodKind(
        code=f"q{n}",
        suffix=f"Q{n}",
        name=f"Quarter {n}",
        label=f"%(year)s quarter {n}",
        title=f"{{bureau}}{{year}}年第{'一二三四'[n - 1]}季度工作总结",
        months=(3 * n - 2, 3 * n),
        predecessors=((-1, "h2"), (-1, "annual")) if n == 1 else ((0, f"q{n - 1}"),),
        order=10 + n,
    )
    for n in (1, 2, 3, 4)
]


@pytest.fixture
def quarterly(monkeypatch):
    """A quarterly kind added at run time: one table row per quarter, nothing else."""
    for kind in QUARTERS:
        monkeypatch.setitem(periods.KINDS, kind.code, kind)


def test_annual_and_half_year_rules():
    assert periods.parse_code("2022") == (2022, "annual")
    assert periods.parse_code(" 2022h1 ") == (2022, "h1")
    assert periods.parse_code("2022H2") == (2022, "h2")
    assert [periods.period_code(2022, k) for k in ("annual", "h1", "h2")] == ["2022", "2022H1", "2022H2"]
    assert periods.default_dates(2024, "h1") == (
        datetime.date(2024, 1, 1),
        datetime.date(2024, 6, 30),
        datetime.date(2024, 7, 15),
    )
    assert periods.default_dates(2024, "h2")[:2] == (datetime.date(2024, 7, 1), datetime.date(2024, 12, 31))
    assert periods.default_dates(2024, "annual")[1:] == (datetime.date(2024, 12, 31), datetime.date(2025, 1, 15))
    title = periods.report_title
    assert title(bureau_name="宣州区卫生健康委员会", year=2023, kind="annual") == "宣州区卫生健康委员会2023年工作总结"
    assert title(bureau_name="X局", year=2023, kind="h1") == "X局2023年上半年工作总结及下半年工作安排"
    assert title(bureau_name="X局", year=2023, kind="h2") == "X局2023年下半年工作总结"
    with translation.override("zh-hans"):
        assert ReportingPeriod(year=2023, kind="h1").label == "2023年上半年"
    with translation.override("en"):
        assert [ReportingPeriod(year=2023, kind=k).label for k in ("annual", "h1", "h2")] == [
            "2023 annual",
            "2023 first half",
            "2023 second half",
        ]


@pytest.mark.parametrize("code", ["2022Q1", "2022H3", "22H1", "H1", "", "2022 annual"])
def test_unknown_period_codes_raise(code):
    with pytest.raises(ValueError):
        periods.parse_code(code)


def test_an_unknown_kind_raises_instead_of_falling_through():
    period = ReportingPeriod(year=2023, kind="q1")  # no such row in the table
    for rule in (lambda: period.label, lambda: period.code, lambda: period.is_annual):
        with pytest.raises(ValueError, match="q1"):
            rule()
    with pytest.raises(ValueError):
        periods.report_title(bureau_name="X局", year=2023, kind="q1")
    with pytest.raises(ValueError):
        periods.predecessors(2023, "q1")
    with pytest.raises(ValueError):
        periods.default_dates(2023, "q1")


def test_periods_are_listed_by_their_dates(db):
    for year, kind in [(2024, "h2"), (2023, "annual"), (2024, "annual"), (2024, "h1"), (2023, "h2")]:
        PeriodFactory(year=year, kind=kind)
    codes = [p.code for p in ReportingPeriod.objects.all()]
    assert codes == ["2024", "2024H1", "2024H2", "2023", "2023H2"]  # newest year first, then by start


def test_a_quarterly_kind_is_one_table_row(db, quarterly):
    # Codes, labels, dates.
    assert periods.parse_code("2025q1") == (2025, "q1")
    q1 = PeriodFactory(year=2025, kind="q1")
    q2 = PeriodFactory(year=2025, kind="q2")
    assert (q1.code, q2.code) == ("2025Q1", "2025Q2")
    assert (q1.start, q1.end, q1.deadline) == (
        datetime.date(2025, 1, 1),
        datetime.date(2025, 3, 31),
        datetime.date(2025, 4, 15),
    )
    assert (q2.start, q2.end) == (datetime.date(2025, 4, 1), datetime.date(2025, 6, 30))
    assert str(q1) == "2025 quarter 1" and not q1.is_annual
    assert ReportingPeriod.objects.get_by_code("2025Q2") == q2
    ReportingPeriod(year=2026, kind="q3", start=q1.start, end=q1.end, deadline=q1.end).full_clean()
    assert ("q4", "Quarter 4") in ReportingPeriod._meta.get_field("kind").choices

    # Predecessors: Q1 reports on last year's second half (or annual period), Q2 on Q1.
    h2 = PeriodFactory(year=2024, kind="h2")
    assert previous_period(period=q1) == h2
    assert previous_period(period=q2) == q1

    # Chronological order, with the existing kinds around the new ones.
    for kind in ("annual", "h1", "h2", "q3", "q4"):
        PeriodFactory(year=2025, kind=kind)
    assert [p.code for p in ReportingPeriod.objects.filter(year=2025)] == [
        "2025",
        "2025H1",
        "2025Q1",
        "2025Q2",
        "2025H2",
        "2025Q3",
        "2025Q4",
    ]
    assert [c for c, _ in RollupForm(bureaus=[]).fields["period"].choices][:7] == [
        p.code for p in ReportingPeriod.objects.filter(year=2025)
    ]

    # A report started for Q1 gets the quarter's title and the quarter's skeleton.
    SkeletonSection.objects.create(period_kind="q1", position=1, kind="work_done", heading="一季度重点工作")
    bureau = BureauFactory(name="示例县卫生健康局")
    clerk = UserFactory()
    MembershipFactory(user=clerk, bureau=bureau, role="staff")
    report = report_create(bureau=bureau, period=q1, acting_user=clerk)
    assert report.title == "示例县卫生健康局2025年第一季度工作总结"
    assert "半年" not in report.title
    assert [s.heading for s in report.sections.all()] == ["一季度重点工作"]

    # The clerk's home page lists the open periods in calendar order too.
    rows = home_cards(user=clerk)[0].rows
    assert [r.period.code for r in rows if r.period.year == 2025][:4] == ["2025", "2025H1", "2025Q1", "2025Q2"]
    assert Report.objects.get(pk=report.pk).period == q1
