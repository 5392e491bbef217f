"""Issue 13: the figures-vs-text check warns only where the text states the indicator's own level."""

import pytest

from indicators.crosscheck import figure_mismatches
from reports.models import Report

pytestmark = pytest.mark.django_db


def test_no_false_warning_on_any_demo_report(demo):
    found = {
        f"{r.bureau.code} {r.period.code}": [
            f"{m.indicator.slug}: {m.figure.context}" for m in figure_mismatches(report=r)
        ]
        for r in Report.objects.select_related("bureau", "period")
    }
    assert {k: v for k, v in found.items() if v} == {}


def test_labelled_sentences_get_no_false_comparison_and_no_lower_recall():
    from bench.crosscheck import matchers, score, setup

    setup()
    (_old, old), (_new, new) = matchers()
    precision, recall, wrong = score(new)
    assert [line for line in wrong if line.startswith("wrong")] == []
    assert precision == 1.0 and recall >= score(old)[1]


def test_an_investment_or_an_approximation_is_not_compared_with_project_investment(catalogue):
    from indicators.models import IndicatorDefinition, IndicatorValue
    from tests.factories import ReportFactory, SectionFactory

    report = ReportFactory()
    SectionFactory(
        report=report,
        heading="推进重点项目建设",
        body="全年争取项目资金20多亿元。医院改造等项目完成投资32500万元，项目总投资5000万元。",
    )
    definition = IndicatorDefinition.objects.get(slug="project_investment")
    IndicatorValue.objects.create(report=report, definition=definition, value=5000)
    assert figure_mismatches(report=report) == []
    IndicatorValue.objects.filter(report=report).update(value=4000)
    assert [m.figure.text for m in figure_mismatches(report=report)] == ["5000万元"]
