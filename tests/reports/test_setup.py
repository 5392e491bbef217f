"""Setting up a year and managing a subtree's users (issue 20)."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from reports.models import AuditEvent, Membership, ReportingPeriod
from tests.factories import BureauFactory, MembershipFactory, PeriodFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    city = BureauFactory(code="341800", name="宣城市卫生健康委员会", level="city")
    county = BureauFactory(code="341802", name="宣州区卫生健康委员会", parent=city)
    other = BureauFactory(code="341700", name="池州市卫生健康委员会", level="city")
    county_admin = MembershipFactory(bureau=county, role=Membership.Role.ADMIN, user__username="xz_admin").user
    return city, county, other, county_admin


def test_an_administrator_sets_up_a_year_in_one_form(client):
    old = PeriodFactory(year=2026, kind="annual")
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    page = client.get(reverse("year_setup"))
    assert page.status_code == 200
    assert page.context["form"]["year"].value() == 2027
    response = client.post(
        reverse("year_setup"),
        {
            "year": 2027,
            "deadline_annual": "2028-01-20",
            "deadline_h1": "2027-07-15",
            "deadline_h2": "2028-01-20",
            "close_older": "on",
        },
    )
    assert response.status_code == 302
    created = ReportingPeriod.objects.filter(year=2027)
    assert {p.kind: p.deadline for p in created} == {
        "annual": datetime.date(2028, 1, 20),
        "h1": datetime.date(2027, 7, 15),
        "h2": datetime.date(2028, 1, 20),
    }
    old.refresh_from_db()
    assert not old.is_open
    assert AuditEvent.objects.filter(action="year_set_up").count() == 1


def test_a_deadline_before_the_period_ends_is_refused_in_chinese_and_changes_nothing(client):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    response = client.post(
        reverse("year_setup"),
        {"year": 2027, "deadline_annual": "2027-12-01", "deadline_h1": "2027-07-15", "deadline_h2": "2028-01-20"},
        follow=True,
    )
    assert "截止日期" in response.content.decode()
    assert not ReportingPeriod.objects.filter(year=2027).exists()


def test_a_bureau_administrator_is_refused_the_year_set_up(client, tree):
    client.force_login(tree[3])
    assert client.get(reverse("year_setup")).status_code == 403


def test_a_bureau_administrator_adds_a_clerk_for_their_own_bureau(client, tree):
    city, county, other, county_admin = tree
    client.force_login(county_admin)
    form = {"username": "xz_clerk2", "full_name": "李明", "password": "Qingshan-2027!", "role": "staff"}
    response = client.post(reverse("bureau_users"), {**form, "bureau": county.pk})
    assert response.status_code == 302
    clerk = get_user_model().objects.get(username="xz_clerk2")
    assert list(clerk.memberships.values_list("bureau__code", "role")) == [("341802", "staff")]
    assert not clerk.is_superuser and not clerk.is_staff
    # outside the subtree: the choice is refused, nothing is created
    response = client.post(reverse("bureau_users"), {**form, "username": "cz_clerk", "bureau": other.pk})
    assert response.status_code == 200
    assert not get_user_model().objects.filter(username="cz_clerk").exists()


def test_a_bureau_administrator_deactivates_only_users_of_their_subtree(client, tree):
    city, county, other, county_admin = tree
    inside = MembershipFactory(bureau=county, role=Membership.Role.STAFF).user
    outside = MembershipFactory(bureau=other, role=Membership.Role.STAFF).user
    both = MembershipFactory(bureau=county, role=Membership.Role.STAFF).user
    MembershipFactory(bureau=city, role=Membership.Role.REVIEWER, user=both)
    client.force_login(county_admin)
    assert client.post(reverse("user_active", args=[inside.pk]), {"active": "0"}).status_code == 302
    assert client.post(reverse("user_active", args=[outside.pk]), {"active": "0"}).status_code == 403
    assert client.post(reverse("user_active", args=[both.pk]), {"active": "0"}).status_code == 403
    assert client.post(reverse("user_active", args=[county_admin.pk]), {"active": "0"}).status_code == 403
    assert [
        u.is_active for u in get_user_model().objects.filter(pk__in=[inside.pk, outside.pk, both.pk]).order_by("pk")
    ] == [False, True, True]


def test_a_clerk_cannot_manage_users(client, tree):
    clerk = MembershipFactory(bureau=tree[1], role=Membership.Role.STAFF).user
    client.force_login(clerk)
    assert client.get(reverse("bureau_users")).status_code == 403


def test_the_page_shows_bureaus_without_a_clerk_or_reviewer(client, tree):
    city, county, other, county_admin = tree
    client.force_login(county_admin)
    gaps = client.get(reverse("bureau_users")).context["gaps"]
    assert [(g.bureau.code, g.no_clerk, g.no_reviewer) for g in gaps] == [("341802", True, True)]


@pytest.mark.parametrize(
    "roles, landing",
    [
        ([("county", "staff")], "/"),
        ([("city", "reviewer")], "/review/"),
        ([("county", "admin")], "/setup/users/"),
        ("superuser", "/setup/year/"),
    ],
)
def test_each_role_lands_on_the_page_it_uses(client, tree, roles, landing):
    city, county = tree[0], tree[1]
    user = UserFactory(password="pw-for-tests-1", is_superuser=roles == "superuser", is_staff=roles == "superuser")
    for where, role in roles if roles != "superuser" else []:
        MembershipFactory(user=user, bureau={"city": city, "county": county}[where], role=role)
    response = client.post(reverse("login"), {"username": user.username, "password": "pw-for-tests-1"})
    assert response.status_code == 302
    assert response["Location"] == landing


def test_giving_a_role_starts_from_the_users_own_bureau(client, tree):
    """The role form's bureau list is preselected on the user's bureau, not on the first bureau of
    the list (a click on 分配角色 gave a 宣州区 clerk a role in 池州市)."""
    city, county, other, county_admin = tree
    clerk = MembershipFactory(bureau=county, role=Membership.Role.STAFF).user
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    page = client.get(reverse("bureau_users")).content.decode()
    form = page.split(f'action="{reverse("user_role", args=[clerk.pk])}"')[1].split("</form>")[0]
    assert f'<option value="{county.pk}" selected>' in form
    assert form.count(" selected>") == 1
