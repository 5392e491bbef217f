"""Two clerks saving the same section at the same moment (real concurrency needs PostgreSQL)."""

import threading

import pytest
from django.db import connection

from reports.models import Membership, Section
from reports.services import ConflictError
from reports.services.editing import section_save
from tests.factories import MembershipFactory, ReportFactory, SectionFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


@pytest.mark.django_db(transaction=True)
def test_simultaneous_saves_one_wins_one_is_told():
    report = ReportFactory()
    clerks = [MembershipFactory(bureau=report.bureau, role=Membership.Role.STAFF).user for _ in range(2)]
    section = SectionFactory(report=report, body="原文")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def save(user, text):
        try:
            barrier.wait()
            section_save(section=section, acting_user=user, heading=section.heading, body=text, version=1)
            outcomes.append("saved")
        except ConflictError:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(u, f"文字{i}")) for i, u in enumerate(clerks)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict", "saved"]
    assert Section.objects.get(pk=section.pk).version == 2
