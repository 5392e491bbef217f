"""Issue 12: only an explicit clear removes a figure, and rates are honest."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import Workbook

from indicators.excel import upload_parse
from indicators.models import IndicatorDefinition, IndicatorValue
from indicators.services import ValueInput, values_save
from reports.models import Membership
from reports.selectors.checks import submission_problems
from reports.services import ServiceError
from tests.factories import MembershipFactory, ReportFactory, ValueFactory
from tests.indicators.test_excel import xlsx

NO_PARTS = "汇总时无法计入，请填写分子和分母"


@pytest.fixture
def setup(catalogue):
    report = ReportFactory()
    clerk = MembershipFactory(bureau=report.bureau, role=Membership.Role.STAFF).user
    defs = {d.slug: d for d in IndicatorDefinition.objects.all()}
    return report, clerk, defs


def stored(report):
    return {
        v.definition.slug: v.value for v in IndicatorValue.objects.filter(report=report).select_related("definition")
    }


# ----- only an explicit clear removes a figure -------------------------------------------------------


def test_a_request_with_one_indicators_fields_leaves_the_others_alone(setup, login):
    report, clerk, defs = setup
    ValueFactory(report=report, definition=defs["population"], value=Decimal(500000))
    ValueFactory(report=report, definition=defs["fines"], value=Decimal(12))
    ValueFactory(report=report, definition=defs["penalty_cases"], value=Decimal(30))
    response = login(clerk).post(
        reverse("values_save", args=[report.pk]), {"population-value": "510000", "population-version": "1"}
    )
    assert response.status_code == 302
    assert stored(report) == {"population": 510000, "fines": 12, "penalty_cases": 30}


def test_an_explicit_clear_still_removes(setup, login):
    report, clerk, defs = setup
    ValueFactory(report=report, definition=defs["fines"], value=Decimal(12))
    login(clerk).post(
        reverse("values_save", args=[report.pk]),
        {"fines-value": "", "fines-num": "", "fines-den": "", "fines-note": "", "fines-version": "1"},
    )
    assert stored(report) == {}


@pytest.mark.parametrize("cell", ["=B2*2", "#DIV/0!"])
def test_an_unreadable_excel_cell_is_a_problem_not_a_deletion(setup, login, cell):
    report, clerk, defs = setup
    ValueFactory(report=report, definition=defs["population"], value=Decimal(500000))
    preview = upload_parse(report=report, data=xlsx([("population", "常住人口", "人", cell, None, None, None)]))
    assert not preview.is_valid and preview.rows[0].errors
    assert "removed" not in [r.change for r in preview.rows]


def test_a_missing_note_column_keeps_the_notes(setup):
    report, clerk, defs = setup
    ValueFactory(report=report, definition=defs["fines"], value=Decimal(12), note="含上年结转")
    wb = Workbook()
    wb.active.append(["slug", "value"])
    wb.active.append(["fines", 12])
    out = io.BytesIO()
    wb.save(out)
    preview = upload_parse(report=report, data=out.getvalue())
    assert preview.is_valid and preview.changes == []


# ----- rates are honest -------------------------------------------------------------------------------


def test_the_catalogue_says_which_rates_are_proportions(catalogue):
    defs = {d.slug: d for d in IndicatorDefinition.objects.all()}
    assert defs["fds_coverage"].is_proportion and defs["infant_mortality"].is_proportion
    assert not defs["bed_occupancy"].is_proportion  # extra beds: may exceed 100 %
    assert not defs["doctors_per_1000"].is_proportion and not defs["natural_growth"].is_proportion


def test_a_typed_rate_that_disagrees_with_its_parts_is_refused_with_both_numbers(setup):
    report, clerk, defs = setup
    row = ValueInput(
        definition=defs["fds_coverage"], value=Decimal("3.1"), numerator=Decimal(342), denominator=Decimal(10000)
    )
    with pytest.raises(ServiceError) as refused:
        values_save(report=report, acting_user=clerk, rows=[row])
    assert "3.1" in str(refused.value) and "3.42" in str(refused.value)
    assert stored(report) == {}


def test_a_typed_rate_that_agrees_at_its_precision_is_kept_as_typed(setup):
    report, clerk, defs = setup
    row = ValueInput(
        definition=defs["fds_coverage"], value=Decimal("3.4"), numerator=Decimal(342), denominator=Decimal(10000)
    )
    values_save(report=report, acting_user=clerk, rows=[row])
    assert stored(report) == {"fds_coverage": Decimal("3.4")}


def test_the_grid_refuses_a_disagreeing_rate_and_keeps_the_typing(setup, login):
    report, clerk, defs = setup
    response = login(clerk).post(
        reverse("values_save", args=[report.pk]),
        {"fds_coverage-value": "3.1", "fds_coverage-num": "342", "fds_coverage-den": "10000"},
    )
    assert response.status_code == 400 and stored(report) == {}
    assert "3.42" in response.content.decode() and 'value="3.1"' in response.content.decode()


@pytest.mark.parametrize(
    "slug,value,num,den",
    [
        ("fds_coverage", "120", None, None),
        ("fds_coverage", None, 120, 100),
        ("fines", "-5", None, None),
        ("infant_mortality", "1200", None, None),
    ],
)
def test_impossible_values_are_refused(setup, slug, value, num, den):
    report, clerk, defs = setup
    row = ValueInput(
        definition=defs[slug],
        value=None if value is None else Decimal(value),
        numerator=None if num is None else Decimal(num),
        denominator=None if den is None else Decimal(den),
    )
    with pytest.raises(ServiceError):
        values_save(report=report, acting_user=clerk, rows=[row])
    assert stored(report) == {}


def test_a_ratio_may_exceed_100(setup):
    report, clerk, defs = setup
    row = ValueInput(definition=defs["bed_occupancy"], numerator=Decimal(110), denominator=Decimal(100), note="加床")
    values_save(report=report, acting_user=clerk, rows=[row])
    assert stored(report) == {"bed_occupancy": Decimal("110.00")}


def test_a_rate_without_parts_is_flagged_at_entry_and_at_submit(setup):
    report, clerk, defs = setup
    result = values_save(
        report=report, acting_user=clerk, rows=[ValueInput(definition=defs["fds_coverage"], value=Decimal(50))]
    )
    assert any(NO_PARTS in w for w in result.warnings)
    problems = [p for p in submission_problems(report=report) if p.code == "rate_without_parts"]
    assert len(problems) == 1 and NO_PARTS in problems[0].message and not problems[0].blocking


def test_the_excel_preview_flags_disagreeing_and_partless_rates(setup):
    report, clerk, defs = setup
    preview = upload_parse(
        report=report,
        data=xlsx([("fds_coverage", "", "%", 3.1, 342, 10000, None), ("elderly_mgmt", "", "%", 60, None, None, None)]),
    )
    rows = {r.slug: r for r in preview.rows}
    assert rows["fds_coverage"].errors and "3.42" in " ".join(rows["fds_coverage"].errors)
    assert any(NO_PARTS in w for w in rows["elderly_mgmt"].warnings)


def test_the_grid_flags_a_rate_without_parts(setup, login):
    report, clerk, defs = setup
    ValueFactory(report=report, definition=defs["fds_coverage"], value=Decimal(50))
    page = login(clerk).get(reverse("report_edit", args=[report.pk]) + "?tab=indicators").content.decode()
    assert page.count(NO_PARTS) == 1
