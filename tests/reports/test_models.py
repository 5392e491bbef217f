import pytest
from django.db import IntegrityError, transaction

from indicators.models import IndicatorValue
from reports.models import Bureau, Report, ReportingPeriod, ReportVersion
from reports.numbering import chinese_numeral, section_number
from tests.factories import BureauFactory, DefinitionFactory, PeriodFactory, ReportFactory, ValueFactory


@pytest.fixture
def tree(db):
    province = BureauFactory(code="340000", level=Bureau.Level.PROVINCE)
    city = BureauFactory(code="341800", level=Bureau.Level.CITY, parent=province)
    counties = [BureauFactory(code=c, parent=city) for c in ("341802", "341821")]
    other = BureauFactory(code="150000", level=Bureau.Level.PROVINCE)
    return province, city, counties, other


def test_subtree_is_one_indexed_query(tree, django_assert_num_queries):
    province, city, counties, other = tree
    with django_assert_num_queries(1):
        codes = sorted(province.subtree().values_list("code", flat=True))
    assert codes == ["340000", "341800", "341802", "341821"]
    assert sorted(city.subtree(include_self=False).values_list("code", flat=True)) == ["341802", "341821"]
    assert counties[0].depth == 2
    assert counties[0].ancestor_codes() == ["340000", "341800"]


def test_moving_a_bureau_moves_its_subtree(tree):
    province, city, counties, other = tree
    city.parent = other
    city.save()
    counties[0].refresh_from_db()
    assert counties[0].path == "150000/341800/341802/"
    assert list(province.subtree().values_list("code", flat=True)) == ["340000"]


def test_bureau_code_must_be_six_digits_in_the_database(db):
    with pytest.raises(IntegrityError):
        Bureau.objects.create(code="34AB00", name="x", level=Bureau.Level.CITY)


def test_one_report_per_bureau_and_period(db):
    report = ReportFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(bureau=report.bureau, period=report.period, title="again")


def test_one_value_per_indicator_per_report(db):
    value = ValueFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        IndicatorValue.objects.create(report=value.report, definition=value.definition, value=2)


def test_zero_denominator_is_refused(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        ValueFactory(numerator=1, denominator=0)


@pytest.mark.parametrize(
    ("code", "expected"),
    [("2022", (2022, "annual")), ("2022H1", (2022, "h1")), ("2022h2", (2022, "h2")), (" 2024 ", (2024, "annual"))],
)
def test_period_codes_parse(code, expected):
    assert ReportingPeriod.parse_code(code) == expected


@pytest.mark.parametrize("code", ["22", "2022H3", "2022-H1", "", "abcd"])
def test_bad_period_codes_are_refused(code):
    with pytest.raises(ValueError):
        ReportingPeriod.parse_code(code)


def test_period_code_round_trip(db):
    for kind in ReportingPeriod.Kind.values:
        period = PeriodFactory(year=2022, kind=kind)
        assert ReportingPeriod.objects.get_by_code(period.code) == period
    assert PeriodFactory(year=2022, kind="h1").code == "2022H1"


@pytest.mark.parametrize(
    ("n", "text"), [(1, "一"), (9, "九"), (10, "十"), (11, "十一"), (20, "二十"), (35, "三十五"), (101, "一百零一")]
)
def test_chinese_numerals(n, text):
    assert chinese_numeral(n) == text


def test_section_numbers_by_depth():
    assert [section_number(d, 2) for d in (1, 2, 3, 4, 5)] == ["二、", "（二）", "2.", "（2）", "②"]


def test_rate_recomputed_from_parts(db):
    definition = DefinitionFactory(slug="rate_x", kind="percent", multiplier=100, denominator_label="人口")
    from decimal import Decimal

    assert definition.compute_rate(Decimal(1), Decimal(3)) == Decimal("33.33")
    assert definition.compute_rate(Decimal(1), None) is None


def test_submitted_versions_never_change(db):
    version = ReportVersion.objects.create(report=ReportFactory(), number=1, content={"sections": []})
    version.content = {"sections": ["changed"]}
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        version.save()
    with pytest.raises(ValidationError):
        version.delete()
