"""A small report with every part of the document (nested sections, figures, a trail, hostile text),
shared by the rendering tests."""

import datetime
from decimal import Decimal

from reports.models import Membership, Report, Transition
from tests.factories import (
    BureauFactory,
    DefinitionFactory,
    MembershipFactory,
    PeriodFactory,
    ReportFactory,
    SectionFactory,
    UserFactory,
    ValueFactory,
)

HOSTILE = "<script>alert('x')</script> & <b>粗体</b>"


def make_report(*, state=Report.State.APPROVED, hostile: bool = True) -> Report:
    city = BureauFactory(code="341800", name="宣城市卫生健康委员会", level="city")
    county = BureauFactory(code="341802", name="宣州区卫生健康委员会", parent=city)
    period = PeriodFactory(year=2022, kind="h1")
    report = ReportFactory(
        bureau=county,
        period=period,
        title="宣州区卫生健康委员会2022年上半年工作总结",
        state=Report.State.DRAFT,  # content first: an approved report's content is locked
        signed_on=datetime.date(2023, 8, 16) if state == Report.State.APPROVED else None,
    )
    work = SectionFactory(report=report, position=1, heading="工作开展情况", body="上半年，全区卫生健康工作稳步推进。")
    sub = SectionFactory(
        report=report, parent=work, position=1, heading="做实基本公共卫生服务", body="签约服务覆盖率达45.31%。"
    )
    SectionFactory(
        report=report,
        parent=sub,
        position=1,
        heading="签约服务提质扩面",
        body=(HOSTILE if hostile else "组建家庭医生团队。") + "\n重点人群应签尽签。",
    )
    SectionFactory(report=report, position=2, heading="存在的问题", body="基层人才留不住。")
    rate = DefinitionFactory(
        slug="fds_coverage_t",
        name_zh="家庭医生签约服务覆盖率",
        unit="%",
        kind="percent",
        multiplier=100,
        numerator_label="签约人数",
        denominator_label="常住人口",
    )
    count = DefinitionFactory(slug="screened_t", name_zh="两癌筛查人数", unit="人")
    ValueFactory(
        report=report,
        definition=rate,
        value=Decimal("45.3100"),
        numerator=Decimal("251665"),
        denominator=Decimal("555432"),
    )
    ValueFactory(report=report, definition=count, value=Decimal("13921"), note="含外地户籍")
    clerk = UserFactory(username="xz_clerk", first_name="宣州区填报员")
    reviewer = UserFactory(username="xc_reviewer", first_name="宣城市审核员")
    MembershipFactory(user=clerk, bureau=county, role=Membership.Role.STAFF)
    MembershipFactory(user=reviewer, bureau=city, role=Membership.Role.REVIEWER)
    Transition.objects.create(report=report, actor=clerk, from_state="draft", to_state="submitted")
    if state == Report.State.APPROVED:
        Transition.objects.create(
            report=report, actor=reviewer, from_state="submitted", to_state="approved", comment="同意。"
        )
    Report.objects.filter(pk=report.pk).update(state=state)
    report.refresh_from_db()
    return report
