from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from indicators.models import IndicatorDefinition, IndicatorValue
from indicators.services import ValueInput, values_save
from reports.models import Membership, Report
from reports.services import ConflictError, ServiceError
from tests.factories import MembershipFactory, ReportFactory


@pytest.fixture
def setup(catalogue):
    report = ReportFactory()
    clerk = MembershipFactory(bureau=report.bureau, role=Membership.Role.STAFF).user
    defs = {d.slug: d for d in IndicatorDefinition.objects.all()}
    return report, clerk, defs


def test_rate_is_computed_from_its_parts(setup):
    report, clerk, defs = setup
    result = values_save(
        report=report,
        acting_user=clerk,
        rows=[ValueInput(definition=defs["fds_coverage"], numerator=Decimal(520), denominator=Decimal(1000))],
    )
    assert result.saved[0].value == Decimal("52.00") and result.warnings == []


def test_out_of_range_is_a_warning_not_a_refusal(setup):
    report, clerk, defs = setup
    row = ValueInput(definition=defs["fds_coverage"], numerator=Decimal(99), denominator=Decimal(100))
    result = values_save(report=report, acting_user=clerk, rows=[row])
    assert result.warnings and IndicatorValue.objects.get(report=report).value == 99
    row = ValueInput(
        definition=defs["fds_coverage"], numerator=Decimal(99), denominator=Decimal(100), note="试点", version=1
    )
    result = values_save(report=report, acting_user=clerk, rows=[row])
    assert result.warnings == []


def test_all_or_nothing(setup):
    report, clerk, defs = setup
    rows = [
        ValueInput(definition=defs["population"], value=Decimal(500000)),
        ValueInput(definition=defs["fds_coverage"], numerator=Decimal(1), denominator=Decimal(0)),
    ]
    with pytest.raises(ServiceError):
        values_save(report=report, acting_user=clerk, rows=rows)
    assert not IndicatorValue.objects.filter(report=report).exists()


def test_empty_removes_the_value(setup):
    report, clerk, defs = setup
    values_save(report=report, acting_user=clerk, rows=[ValueInput(definition=defs["population"], value=1)])
    result = values_save(report=report, acting_user=clerk, rows=[ValueInput(definition=defs["population"])])
    assert result.removed == ["population"] and not IndicatorValue.objects.exists()


def test_stale_version_is_refused(setup):
    report, clerk, defs = setup
    values_save(report=report, acting_user=clerk, rows=[ValueInput(definition=defs["population"], value=1)])
    values_save(report=report, acting_user=clerk, rows=[ValueInput(definition=defs["population"], value=2, version=1)])
    with pytest.raises(ConflictError):
        values_save(
            report=report, acting_user=clerk, rows=[ValueInput(definition=defs["population"], value=3, version=1)]
        )
    assert IndicatorValue.objects.get().value == 2


def test_only_the_bureau_staff_may_write_and_only_while_editable(setup):
    report, clerk, defs = setup
    stranger = MembershipFactory(role=Membership.Role.STAFF).user
    with pytest.raises(PermissionDenied):
        values_save(report=report, acting_user=stranger, rows=[ValueInput(definition=defs["population"], value=1)])
    Report.objects.filter(pk=report.pk).update(state=Report.State.APPROVED)
    with pytest.raises(PermissionDenied):
        values_save(report=report, acting_user=clerk, rows=[ValueInput(definition=defs["population"], value=1)])
