import pytest
from django.core.management import call_command


@pytest.fixture
def catalogue(db):
    """The standard indicator catalogue and report skeletons."""
    call_command("loaddata", "indicators.json", "skeletons.json", verbosity=0)


@pytest.fixture
def demo(db):
    """The full seed_demo data set; returns the reports.demo module for persona lookups."""
    from reports import demo as demo_module

    demo_module.seed()
    return demo_module


@pytest.fixture
def bureau_clerk(catalogue):
    """A bureau with a clerk (staff member, password pw-for-tests-1), and the 2024 annual period
    (the text-import tests and their browser test)."""
    from reports.models import Membership, ReportingPeriod
    from tests.factories import BureauFactory, MembershipFactory, PeriodFactory

    bureau = BureauFactory(code="341802", name="青山县卫生健康局")
    clerk = MembershipFactory(bureau=bureau, role=Membership.Role.STAFF, user__username="qingshan_staff").user
    period = PeriodFactory(year=2024, kind=ReportingPeriod.Kind.ANNUAL)
    return bureau, clerk, period


@pytest.fixture
def login(client):
    """Log the test client in as a user (by object or username)."""
    from django.contrib.auth import get_user_model

    def _login(user):
        if isinstance(user, str):
            user = get_user_model().objects.get(username=user)
        client.force_login(user)
        return client

    return _login


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` need PostgreSQL (row locks, real concurrency): skip them on SQLite."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL=postgres://...)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path_factory):
    """Files the code stores (frozen approved documents, batch exports) go to a temporary MEDIA_ROOT,
    not var/media of the working copy."""
    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))
