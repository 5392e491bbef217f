from decimal import Decimal

from django.template.loader import render_to_string

from indicators.crosscheck import figure_mismatches
from indicators.models import IndicatorDefinition, IndicatorValue
from tests.factories import ReportFactory, SectionFactory


def _value(report, slug, value):
    IndicatorValue.objects.create(report=report, definition=IndicatorDefinition.objects.get(slug=slug), value=value)


def test_a_text_figure_that_differs_from_the_grid(catalogue):
    report = ReportFactory()
    section = SectionFactory(
        report=report, heading="基层服务", body="全县家庭医生签约服务覆盖率达73%。\n高血压患者规范管理率为68%。"
    )
    _value(report, "fds_coverage", Decimal("75.2"))
    _value(report, "htn_std_mgmt", Decimal("68.3"))  # 68% rounds it: no mismatch
    [mismatch] = figure_mismatches(report=report)
    assert mismatch.section == section
    assert mismatch.indicator.slug == "fds_coverage"
    assert mismatch.text_figure == "73%" and mismatch.grid_value == Decimal("75.2")


def test_rounding_follows_the_digits_the_text_gives(catalogue):
    report = ReportFactory()
    SectionFactory(report=report, body="辖区常住人口52.3万人。托位总数1500个。项目总投资1.2亿元。")
    _value(report, "population", Decimal(523400))  # 52.3万 = 522500–523500
    _value(report, "childcare_slots", Decimal(1501))
    _value(report, "project_investment", Decimal(12000))  # 万元
    assert [m.indicator.slug for m in figure_mismatches(report=report)] == ["childcare_slots"]
    IndicatorValue.objects.filter(definition__slug="population").update(value=524000)
    assert {m.indicator.slug for m in figure_mismatches(report=report)} == {"childcare_slots", "population"}


def test_indicators_without_a_grid_value_and_headings(catalogue):
    report = ReportFactory()
    SectionFactory(report=report, heading="婚前医学检查率达到60%", body="家庭医生签约服务覆盖率达73%。")
    _value(report, "premarital_exam", Decimal(50))
    [mismatch] = figure_mismatches(report=report)
    assert mismatch.indicator.slug == "premarital_exam" and mismatch.figure.paragraph == -1
    assert figure_mismatches(report=ReportFactory()) == []


def test_the_include_lists_them(catalogue):
    report = ReportFactory()
    SectionFactory(report=report, heading="签约服务", body="家庭医生签约服务覆盖率达73%。")
    _value(report, "fds_coverage", Decimal("80"))
    html = render_to_string("indicators/_mismatches.html", {"mismatches": figure_mismatches(report=report)})
    assert "签约服务" in html and "73%" in html and "80" in html
    assert render_to_string("indicators/_mismatches.html", {"mismatches": []}).strip() == ""
