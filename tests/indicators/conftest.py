"""A small bureau tree with reports and figures for the roll-up, trends and export tests.

省 P ─ 市 C ─ 县 A (submitted), 县 B (approved), 县 D (draft)
     └ 市 C2 ─ 县 E (approved)
"""

from dataclasses import dataclass
from decimal import Decimal

import pytest

from indicators.models import IndicatorDefinition
from reports.models import Bureau, Membership, Report
from tests.factories import BureauFactory, MembershipFactory, PeriodFactory, ReportFactory, ValueFactory


@dataclass
class Tree:
    province: Bureau
    city: Bureau
    city2: Bureau
    a: Bureau
    b: Bureau
    d: Bureau
    e: Bureau
    reports: dict
    defs: dict
    period: object
    users: dict


def _value(report, definition, value=None, numerator=None, denominator=None):
    return ValueFactory(
        report=report,
        definition=definition,
        value=None if value is None else Decimal(str(value)),
        numerator=None if numerator is None else Decimal(str(numerator)),
        denominator=None if denominator is None else Decimal(str(denominator)),
    )


@pytest.fixture
def tree(catalogue):
    level = Bureau.Level
    p = BureauFactory(code="610000", name="测试省卫健委", short_name="省", level=level.PROVINCE)
    c = BureauFactory(code="610100", name="甲市卫健委", short_name="甲市", level=level.CITY, parent=p)
    c2 = BureauFactory(code="610200", name="乙市卫健委", short_name="乙市", level=level.CITY, parent=p)
    a = BureauFactory(code="610101", name="一县卫健委", short_name="一县", parent=c)
    b = BureauFactory(code="610102", name="二县卫健委", short_name="二县", parent=c)
    d = BureauFactory(code="610103", name="三县卫健委", short_name="三县", parent=c)
    e = BureauFactory(code="610201", name="四县卫健委", short_name="四县", parent=c2)
    period = PeriodFactory(year=2025)
    state = Report.State
    reports = {
        "a": ReportFactory(bureau=a, period=period, state=state.SUBMITTED),
        "b": ReportFactory(bureau=b, period=period, state=state.DRAFT),
        "d": ReportFactory(bureau=d, period=period, state=state.DRAFT),
        "e": ReportFactory(bureau=e, period=period, state=state.DRAFT),
        "c": ReportFactory(bureau=c, period=period, state=state.DRAFT),
    }
    defs = {x.slug: x for x in IndicatorDefinition.objects.all()}
    # population: a count, summed
    _value(reports["a"], defs["population"], 100000)
    _value(reports["b"], defs["population"], 200000)
    _value(reports["d"], defs["population"], 400000)
    _value(reports["e"], defs["population"], 800000)
    # elderly_mgmt: both children give parts; the roll-up is 20/100 = 20%, not the average 31.25%
    _value(reports["a"], defs["elderly_mgmt"], 50, 10, 20)
    _value(reports["b"], defs["elderly_mgmt"], "12.5", 10, 80)
    # fds_coverage: B gives the rate without its parts
    _value(reports["a"], defs["fds_coverage"], 30, 30000, 100000)
    _value(reports["b"], defs["fds_coverage"], 50)
    # life expectancy cannot be added up
    _value(reports["a"], defs["life_expectancy"], 78)
    _value(reports["b"], defs["life_expectancy"], 79)
    # Approve last: an approved report's content is locked (reports/signals.py).
    Report.objects.filter(pk__in=[reports["b"].pk, reports["e"].pk]).update(state=state.APPROVED)
    for key in ("b", "e"):
        reports[key].refresh_from_db()
    role = Membership.Role
    users = {
        "a_clerk": MembershipFactory(bureau=a, role=role.STAFF).user,
        "c_clerk": MembershipFactory(bureau=c, role=role.STAFF).user,
        "c_reviewer": MembershipFactory(bureau=c, role=role.REVIEWER).user,
        "p_reviewer": MembershipFactory(bureau=p, role=role.REVIEWER).user,
        "p_admin": MembershipFactory(bureau=p, role=role.ADMIN).user,
    }
    return Tree(p, c, c2, a, b, d, e, reports, defs, period, users)
