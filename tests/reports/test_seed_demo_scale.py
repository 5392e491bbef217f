import pytest
from django.core.management import call_command

from reports import demo
from reports.models import Bureau, Membership, Report


@pytest.mark.django_db
def test_seed_demo_scale_adds_counties_with_reports():
    call_command("seed_demo", "--scale", "7", verbosity=0)
    call_command("seed_demo", "--scale", "7", verbosity=0)  # idempotent
    extra = Bureau.objects.filter(code__in=[c for c, _ in demo.scaled_codes(7)])
    assert extra.count() == 7 and {b.parent.code for b in extra} == set(demo.SCALE_CITIES)
    assert Report.objects.filter(bureau__in=extra).count() == 14
    assert Report.objects.filter(bureau__in=extra, state="approved").count() == 7
    assert Membership.objects.filter(bureau__in=extra, role="staff", user__username__startswith="c").count() == 7
    assert all(r.sections.count() > 10 and r.values.count() > 10 for r in Report.objects.filter(bureau__in=extra))


def test_scaled_codes_are_valid_and_distinct_from_the_demo():
    codes = [c for c, _ in demo.scaled_codes(209)]
    assert len(set(codes)) == 209 and all(len(c) == 6 and c.isdigit() for c in codes)
    assert not set(codes) & {b[0] for b in demo.BUREAUS}
    with pytest.raises(ValueError):
        demo.scaled_codes(210)
