"""A small bureau tree with the workflow's cast, shared by the workflow, review-page and overview tests.

340000 province (reviewer: province_reviewer, admin: admin_member)
├── 341800 city (reviewer: reviewer)
│   ├── 341802 county (staff: clerk)   ← the report under test
│   └── 341821 county
└── 340200 city (reviewer: other_reviewer)
    └── 340202 county (staff: other_clerk)
"""

from __future__ import annotations

from dataclasses import dataclass

from reports.models import Bureau, Membership, Report, Section
from tests.factories import (
    BureauFactory,
    MembershipFactory,
    PeriodFactory,
    ReportFactory,
    SectionFactory,
    UserFactory,
)


@dataclass
class World:
    province: Bureau
    city: Bureau
    county: Bureau
    people: dict  # persona name -> user
    report: Report
    sections: list

    def __getattr__(self, name):
        try:
            return self.people[name]
        except KeyError:
            raise AttributeError(name) from None


def set_state(report: Report, state: str) -> Report:
    """Put a report in a state directly (the workflow is what is under test, not how we got here)."""
    Report.objects.filter(pk=report.pk).update(state=state)
    report.refresh_from_db()
    return report


def build_world() -> World:
    province = BureauFactory(code="340000", name="省卫健委", level=Bureau.Level.PROVINCE)
    city = BureauFactory(code="341800", name="宣城市卫健委", level=Bureau.Level.CITY, parent=province)
    county = BureauFactory(code="341802", name="宣州区卫健委", parent=city)
    BureauFactory(code="341821", name="郎溪县卫健委", parent=city)
    other_city = BureauFactory(code="340200", name="芜湖市卫健委", level=Bureau.Level.CITY, parent=province)
    other_county = BureauFactory(code="340202", name="镜湖区卫健委", parent=other_city)

    def member(username, bureau, role, **extra):
        user = UserFactory(username=username, first_name=username, **extra)
        MembershipFactory(user=user, bureau=bureau, role=role)
        return user

    people = {
        "clerk": member("clerk", county, Membership.Role.STAFF),
        "reviewer": member("reviewer", city, Membership.Role.REVIEWER),
        "province_reviewer": member("province_reviewer", province, Membership.Role.REVIEWER),
        "other_reviewer": member("other_reviewer", other_city, Membership.Role.REVIEWER),
        "admin_member": member("admin_member", province, Membership.Role.ADMIN),
        "other_clerk": member("other_clerk", other_county, Membership.Role.STAFF),
        "superuser": UserFactory(username="root", is_superuser=True, is_staff=True),
    }
    report = ReportFactory(bureau=county, period=PeriodFactory(year=2025))
    root = SectionFactory(report=report, position=1, heading="工作开展情况", body="", required=True)
    child = SectionFactory(
        report=report, parent=root, position=1, heading="做实基本公共卫生服务", body="签约服务覆盖率达60%。"
    )
    problems = SectionFactory(
        report=report,
        position=2,
        kind=Section.Kind.PROBLEMS,
        heading="存在的问题",
        body="基层人才不足。",
        required=True,
    )
    return World(province, city, county, people, report, [root, child, problems])
