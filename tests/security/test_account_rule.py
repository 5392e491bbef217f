"""One rule decides whose account someone else may change (issues 18 and 20 merged): resetting the
password and lifting a lockout (/accounts/users/) and deactivating or changing roles (/setup/users/)
answer the same for every pair of people. Stated here independently of reports/policy.py."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.test import Client
from django.urls import reverse

from accounts.roles import SECURITY_ADMIN
from reports import policy
from reports.models import Membership
from tests.factories import BureauFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
ROLE = Membership.Role
NEW_PASSWORD = "Reset-mima-2026!"


@pytest.fixture
def cast():
    """宣城市 (city) with 宣州区 under it, and 池州市 beside it; who is who."""
    city = BureauFactory(code="341800", name="宣城市卫生健康委员会", level="city")
    county = BureauFactory(code="341802", name="宣州区卫生健康委员会", parent=city)
    other = BureauFactory(code="341700", name="池州市卫生健康委员会", level="city")

    def person(name, *roles, **fields):
        user = UserFactory(username=name, **fields)
        for bureau, role in roles:
            MembershipFactory(user=user, bureau=bureau, role=role)
        return user

    security = person("t_security", is_staff=True)
    security.groups.add(Group.objects.get_or_create(name=SECURITY_ADMIN)[0])
    return {
        "city_admin": person("t_city_admin", (city, ROLE.ADMIN)),
        "city_admin_peer": person("t_city_admin2", (city, ROLE.ADMIN)),
        "county_admin": person("t_county_admin", (county, ROLE.ADMIN)),
        "city_reviewer": person("t_city_reviewer", (city, ROLE.REVIEWER)),
        "county_clerk": person("t_county_clerk", (county, ROLE.STAFF)),
        "two_counties_clerk": person("t_two_clerk", (county, ROLE.STAFF), (other, ROLE.STAFF)),
        "clerk_and_outside_reviewer": person("t_mixed", (county, ROLE.STAFF), (other, ROLE.REVIEWER)),
        "staff_with_a_county_role": person("t_site_staff", (county, ROLE.STAFF), is_staff=True),
        "other_clerk": person("t_other_clerk", (other, ROLE.STAFF)),
        "nobody": person("t_nobody"),
        "security": security,
        "root": person("t_root", is_superuser=True, is_staff=True),
    }


# who -> the people whose accounts they look after (everyone else in the cast: no)
EXPECTED = {
    "city_admin": {"county_admin", "city_reviewer", "county_clerk"},  # not a fellow administrator of the city
    "county_admin": {"county_clerk"},
    "security": {
        "city_admin",
        "city_admin_peer",
        "county_admin",
        "city_reviewer",
        "county_clerk",
        "two_counties_clerk",
        "clerk_and_outside_reviewer",
        "staff_with_a_county_role",
        "other_clerk",
        "nobody",
    },
    "city_reviewer": set(),
    "county_clerk": set(),
}
EXPECTED["root"] = EXPECTED["security"] | {"security"}


def _changes(client, target) -> dict[str, bool]:
    """Try each change to `target`'s account; say which were done (all rolled back afterwards)."""
    done = {}
    with transaction.atomic():
        client.post(
            reverse("accounts:user_password", args=[target.pk]),
            {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        )
        target.refresh_from_db()
        done["password"] = target.check_password(NEW_PASSWORD)
        client.post(reverse("user_active", args=[target.pk]), {"active": "0"})
        target.refresh_from_db()
        done["deactivate"] = not target.is_active
        transaction.set_rollback(True)
    return done


@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_password_reset_and_deactivation_follow_one_rule(cast, who):
    actor = cast[who]
    client = Client()
    client.force_login(actor)
    listed = set(get_user_model().objects.filter(policy.managed_accounts_q(actor)).values_list("username", flat=True))
    wrong = []
    for name, target in cast.items():
        want = name in EXPECTED[who]
        if policy.can_manage_account(actor, target) != want or (target.username in listed) != want:
            wrong.append(f"policy {name}: want {want}")
        done = _changes(client, target)
        if done != {"password": want, "deactivate": want}:
            wrong.append(f"{name}: {done}, want {want}")
    assert not wrong, "\n".join(wrong)


def test_a_city_administrator_resets_and_unlocks_a_city_reviewer(cast):
    client = Client()
    client.force_login(cast["city_admin"])
    reviewer = cast["city_reviewer"]
    page = client.get(reverse("accounts:users")).content.decode()
    assert reviewer.username in page and cast["two_counties_clerk"].username not in page
    assert client.post(reverse("accounts:user_unlock", args=[reviewer.pk])).status_code == 302
    assert client.get(reverse("accounts:user_password", args=[cast["other_clerk"].pk])).status_code == 404


def test_the_users_page_offers_changes_only_for_accounts_the_rule_allows(cast):
    client = Client()
    client.force_login(cast["county_admin"])
    page = client.get(reverse("bureau_users")).content.decode()
    for name in ("county_clerk", "two_counties_clerk", "staff_with_a_county_role"):
        assert cast[name].username in page  # they all hold a role in 宣州区
    for name, offered in (("county_clerk", True), ("two_counties_clerk", False), ("staff_with_a_county_role", False)):
        assert (reverse("user_active", args=[cast[name].pk]) in page) == offered, name
        assert (reverse("user_role", args=[cast[name].pk]) in page) == offered, name
