import pytest

from reports.models import Membership, ReportingPeriod
from tests.factories import BureauFactory, MembershipFactory, PeriodFactory


@pytest.fixture
def bureau_clerk(catalogue):
    """A bureau with a clerk (staff member), and the 2024 annual period."""
    bureau = BureauFactory(code="341802", name="青山县卫生健康局")
    clerk = MembershipFactory(bureau=bureau, role=Membership.Role.STAFF, user__username="qingshan_staff").user
    period = PeriodFactory(year=2024, kind=ReportingPeriod.Kind.ANNUAL)
    return bureau, clerk, period
