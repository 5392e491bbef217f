import datetime
from decimal import Decimal

import pytest

from indicators.models import IndicatorValue
from reports.importing.service import ImportSelection, report_import, text_parse
from reports.models import AuditEvent, Membership, Report, Section
from reports.services import ServiceError
from tests.factories import MembershipFactory, ReportFactory, SectionFactory

from . import texts


def test_creates_the_report_with_sections_and_values(bureau_clerk):
    bureau, clerk, period = bureau_clerk
    doc = text_parse(text=texts.SIMPLE).documents[0]
    result = report_import(bureau=bureau, period=period, outline_document=doc, acting_user=clerk, replace_title=True)
    report = result.report
    assert result.created and report.title == "青山县卫生健康局2024年工作总结"
    assert report.lead == "今年以来，我局围绕年度目标，扎实推进各项工作，现总结如下。"
    roots = list(Section.objects.filter(report=report, parent=None).order_by("position"))
    assert [(s.heading, s.kind) for s in roots] == [
        ("2024年工作开展情况", "work_done"),
        ("存在的问题", "problems"),
        ("2025年工作计划", "plan"),
    ]
    first = roots[0].children.order_by("position").first()
    assert first.heading == "基层服务能力稳步提升" and first.body.startswith("一是完成乡镇卫生院改造3所。")
    assert Section.objects.filter(report=report).count() == result.sections == 8
    values = dict(IndicatorValue.objects.filter(report=report).values_list("definition__slug", "value"))
    assert values["fds_coverage"] == Decimal("76.5")
    assert values["two_cancer_screened"] == Decimal(12000)
    assert "childcare_slots" not in values  # 力争…达到1500个 in the plan is a target, not a level
    assert AuditEvent.objects.filter(report=report, action="import_text").exists()


def test_replaces_the_sections_of_a_draft(bureau_clerk):
    bureau, clerk, period = bureau_clerk
    report = ReportFactory(bureau=bureau, period=period)
    SectionFactory(report=report, heading="旧的部分")
    doc = text_parse(text=texts.WEB).documents[0]
    result = report_import(bureau=bureau, period=period, outline_document=doc, acting_user=clerk, replace_title=True)
    assert result.report.pk == report.pk and not result.created
    assert not Section.objects.filter(report=report, heading="旧的部分").exists()
    assert Report.objects.get(pk=report.pk).title == "绿水区卫健委2023年上半年工作总结"


@pytest.mark.parametrize("state", [Report.State.SUBMITTED, Report.State.APPROVED])
def test_refuses_a_report_that_is_not_a_draft(bureau_clerk, state):
    bureau, clerk, period = bureau_clerk
    report = ReportFactory(bureau=bureau, period=period)
    SectionFactory(report=report, heading="已提交的部分")
    Report.objects.filter(pk=report.pk).update(state=state)  # content first: approved is locked
    doc = text_parse(text=texts.SIMPLE).documents[0]
    with pytest.raises(ServiceError):
        report_import(bureau=bureau, period=period, outline_document=doc, acting_user=clerk)
    assert Section.objects.filter(report=report).count() == 1
    assert not IndicatorValue.objects.filter(report=report).exists()


def test_someone_from_another_bureau_cannot_import(bureau_clerk):
    bureau, _clerk, period = bureau_clerk
    stranger = MembershipFactory(role=Membership.Role.STAFF).user
    doc = text_parse(text=texts.SIMPLE).documents[0]
    with pytest.raises(ServiceError):
        report_import(bureau=bureau, period=period, outline_document=doc, acting_user=stranger)
    assert not Report.objects.filter(bureau=bureau).exists()


def test_unticked_sections_and_figures_are_left_out(bureau_clerk):
    bureau, clerk, period = bureau_clerk
    doc = text_parse(text=texts.SIMPLE).documents[0]
    fds = next(i for i, f in enumerate(doc.figures) if f.indicator == "fds_coverage")
    htn = next(i for i, f in enumerate(doc.figures) if f.indicator == "htn_std_mgmt")
    # keep the lead, part 一 with its first sub-section only, and part 二; the plan part is
    # required, so the skeleton's empty one takes the place of the unticked 三
    keep = ImportSelection(sections={"p", "0", "0.0", "1"}, figures={fds, htn})
    result = report_import(bureau=bureau, period=period, outline_document=doc, acting_user=clerk, selected=keep)
    headings = set(Section.objects.filter(report=result.report).values_list("heading", flat=True))
    assert headings == {"2024年工作开展情况", "基层服务能力稳步提升", "存在的问题", "下一年度工作计划"}
    assert result.report.lead
    # htn sits in the unticked （二）, so only the coverage rate is saved
    assert result.values == {"fds_coverage": "76.5"}


def test_all_or_nothing(bureau_clerk, monkeypatch):
    bureau, clerk, period = bureau_clerk
    report = ReportFactory(bureau=bureau, period=period)
    SectionFactory(report=report, heading="原有内容")
    doc = text_parse(text=texts.SIMPLE).documents[0]

    def broken(**kwargs):
        raise ServiceError("refused")

    monkeypatch.setattr("reports.importing.service.values_save", broken)
    with pytest.raises(ServiceError):
        report_import(bureau=bureau, period=period, outline_document=doc, acting_user=clerk)
    assert list(Section.objects.filter(report=report).values_list("heading", flat=True)) == ["原有内容"]


def test_of_several_figures_for_one_indicator_the_most_exact_wording_wins(bureau_clerk):
    bureau, clerk, period = bureau_clerk
    # Issue 13: a bare 投资 is not 项目总投资 (the catalogue matches an indicator on its own words only).
    text = "一、工作情况\n投资2100万元，建设发热门诊；项目总投资为19790万元。\n投资390万元，完成哨点建设。"
    doc = text_parse(text=text).documents[0]
    assert [f.indicator for f in doc.figures] == [None, "project_investment", None]
    result = report_import(bureau=bureau, period=period, outline_document=doc, acting_user=clerk)
    assert result.values == {"project_investment": "19790"}


def test_nothing_kept_is_refused(bureau_clerk):
    bureau, clerk, period = bureau_clerk
    doc = text_parse(text=texts.SIMPLE).documents[0]
    with pytest.raises(ServiceError):
        report_import(
            bureau=bureau,
            period=period,
            outline_document=doc,
            acting_user=clerk,
            selected=ImportSelection(sections=set()),
        )
    assert not Report.objects.exists()


def test_a_report_in_parts_is_saved_within_the_section_depth_limit(bureau_clerk, settings):
    from reports.selectors.tree import flatten, section_tree

    bureau, clerk, period = bureau_clerk
    text = "第一部分 工作总结\n一、医疗服务\n（一）医共体建设\n1.管理体制\n（1）成立管委会。\n（2）统一财务。\n第二部分 工作计划\n一、深化医改\n内容。"
    doc = text_parse(text=text).documents[0]
    report = report_import(bureau=bureau, period=period, outline_document=doc, acting_user=clerk).report
    nodes = flatten(section_tree(report=report))
    assert max(n.depth for n in nodes) == settings.REPORT_SECTION_MAX_DEPTH == 4
    deepest = next(n.section for n in nodes if n.depth == 4)
    assert deepest.heading == "管理体制" and deepest.body == "（1）成立管委会。\n（2）统一财务。"
    roots = [(n.section.heading, n.section.kind) for n in nodes if n.depth == 1]
    assert roots[0] == ("工作总结", "work_done") and ("工作计划", "plan") in roots


SIGNED_TEXT = """青山县卫生健康局2024年工作总结
一、工作开展情况
全年完成家庭医生签约服务，各项工作稳步推进。
二、存在的问题
基层人才不足。
三、2025年工作计划
继续推进能力建设。
青山县卫生健康局
{date}
"""


@pytest.mark.parametrize(
    ("written", "kept"),
    [("2025年1月15日", datetime.date(2025, 1, 15)), ("二〇二五年一月十五日", datetime.date(2025, 1, 15))],
)
def test_the_signature_date_of_the_text_becomes_the_signing_date(bureau_clerk, written, kept):
    bureau, clerk, period = bureau_clerk
    doc = text_parse(text=SIGNED_TEXT.format(date=written)).documents[0]
    assert doc.signature[-1] == written
    result = report_import(bureau=bureau, period=period, outline_document=doc, acting_user=clerk)
    result.report.refresh_from_db()
    assert result.report.signed_on == kept and result.warnings == []


@pytest.mark.parametrize("written", ["2023年12月31日", "2024年12月", "2025年2月30日"])
def test_a_signature_date_the_editor_would_refuse_is_not_kept_and_says_so(bureau_clerk, written):
    bureau, clerk, period = bureau_clerk
    doc = text_parse(text=SIGNED_TEXT.format(date=written)).documents[0]
    result = report_import(bureau=bureau, period=period, outline_document=doc, acting_user=clerk)
    result.report.refresh_from_db()
    assert result.report.signed_on is None
    # a whole day outside what the editor accepts is named; a month alone or no such day is no date at all
    assert bool(result.warnings) == (written == "2023年12月31日")
