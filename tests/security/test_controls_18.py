"""Issue 18, the 等保 level 3 controls: two-factor log-in, the tamper-evident append-only audit trail,
三员分立, password rules and the idle session timeout. (Lockout across usernames from one address:
tests/security/test_findings_18.py::test_spraying_across_usernames_from_one_address_locks_that_address.)"""

from __future__ import annotations

import datetime
import time

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import PasswordState
from accounts.roles import AUDIT_ADMIN, SECURITY_ADMIN, SYSTEM_ADMIN
from reports.models import AuditEvent, Membership
from reports.services.audit import audit_record
from tests.factories import BureauFactory, MembershipFactory

pytestmark = pytest.mark.django_db
PASSWORD = "Ceshi-mima-2026"


@pytest.fixture
def people():
    city = BureauFactory(code="529900", name="测试市卫生健康委员会", level="city")
    county = BureauFactory(code="529901", name="测试县卫生健康局", parent=city)
    clerk = MembershipFactory(bureau=county, role=Membership.Role.STAFF, user__username="c_clerk").user
    reviewer = MembershipFactory(bureau=city, role=Membership.Role.REVIEWER, user__username="c_reviewer").user
    for user in (clerk, reviewer):
        user.set_password(PASSWORD)
        user.save()
    return clerk, reviewer


def _token(device: TOTPDevice, ahead: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + ahead
    return f"{totp.token():06d}"


def _password_login(username: str) -> Client:
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


# ----- two-factor log-in -----------------------------------------------------------------------------


def test_totp_is_required_for_a_reviewer(people, settings):
    settings.TWO_FACTOR_REQUIRED = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp's back-off after a wrong code (1 s, 2 s, ...)
    _clerk, reviewer = people
    client = _password_login("c_reviewer")
    response = client.get(reverse("review_overview"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:two_factor"))
    assert client.get("/admin/").status_code == 302  # nothing else either
    # First time: enrolment, with the QR code and the key.
    page = client.get(reverse("accounts:two_factor"))
    assert 'class="text-center mb-2 hr-qr"' in page.content.decode() and "双因素登录" in page.content.decode()
    device = TOTPDevice.objects.get(user=reviewer)
    assert not device.confirmed
    wrong = client.post(reverse("accounts:two_factor"), {"token": "000000" if _token(device) != "000000" else "111111"})
    assert wrong.status_code == 200 and client.get(reverse("review_overview")).status_code == 302
    done = client.post(reverse("accounts:two_factor"), {"token": _token(device), "next": reverse("review_overview")})
    assert done.status_code == 302 and done["Location"] == reverse("review_overview")
    assert client.get(reverse("review_overview")).status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    # Next log-in: the code again (no new enrolment), a code cannot be used twice.
    again = _password_login("c_reviewer")
    assert again.get(reverse("home")).status_code == 302
    assert "hr-qr" not in again.get(reverse("accounts:two_factor")).content.decode()  # no new enrolment QR
    assert again.post(reverse("accounts:two_factor"), {"token": _token(device)}).status_code == 200  # reused
    assert again.post(reverse("accounts:two_factor"), {"token": _token(device, ahead=30)}).status_code == 302
    assert again.get(reverse("home")).status_code == 200
    actions = list(AuditEvent.objects.filter(actor=reviewer).values_list("action", "detail__result"))
    assert ("two_factor_enrol", "ok") in actions and ("two_factor", "failed") in actions


def test_account_pages_need_the_second_factor_too(people, settings):
    settings.TWO_FACTOR_REQUIRED = True
    clerk, _reviewer = people
    boss = MembershipFactory(bureau=clerk.memberships.first().bureau, role=Membership.Role.ADMIN).user
    boss.set_password(PASSWORD)
    boss.save()
    client = _password_login(boss.username)
    for name, args in (("accounts:users", []), ("accounts:user_password", [clerk.pk]), ("password_change", [])):
        response = client.get(reverse(name, args=args))
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:two_factor"))
    assert client.post(reverse("accounts:user_unlock", args=[clerk.pk])).status_code == 302
    assert not AuditEvent.objects.filter(action="unlock").exists()


def test_totp_is_optional_for_a_clerk(people, settings):
    settings.TWO_FACTOR_REQUIRED = True
    client = _password_login("c_clerk")
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("accounts:profile")).status_code == 200


# ----- the audit trail: tamper-evident, append-only -------------------------------------------------


def _events(n: int = 4) -> list[AuditEvent]:
    return [audit_record(actor=None, action="login_failed", username=f"u{i}", ip="10.0.0.1") for i in range(n)]


def _raw(sql: str, params: list) -> None:
    """Change the table below the ORM, as someone with database access would (on PostgreSQL past
    the append-only trigger, as a database superuser could)."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)


def test_the_audit_chain_detects_an_edited_row(db, capsys):
    events = _events()
    call_command("audit_verify")
    assert "audit trail OK: 4 records" in capsys.readouterr().out
    _raw("UPDATE reports_auditevent SET detail = %s WHERE id = %s", ['{"username": "someone else"}', events[1].pk])
    with pytest.raises(CommandError):
        call_command("audit_verify")
    assert f"record {events[1].pk}: its content no longer matches" in capsys.readouterr().err


def test_the_audit_chain_detects_a_deleted_row(db, capsys):
    events = _events()
    _raw("DELETE FROM reports_auditevent WHERE id = %s", [events[2].pk])
    with pytest.raises(CommandError):
        call_command("audit_verify")
    assert f"record {events[3].pk}: the record before it is missing" in capsys.readouterr().err


def test_the_orm_refuses_to_change_or_delete_audit_rows(db):
    event = _events(1)[0]
    event.action = "nothing_happened"
    for attempt in (
        event.save,
        event.delete,
        lambda: AuditEvent.objects.filter(pk=event.pk).update(action="x"),
        lambda: AuditEvent.objects.all().delete(),
    ):
        with pytest.raises(ValidationError):
            attempt()
    assert AuditEvent.objects.get(pk=event.pk).action == "login_failed"


@pytest.mark.postgres
def test_postgresql_refuses_to_change_audit_rows_below_the_orm(db):
    from django.db import DatabaseError

    event = _events(1)[0]
    for sql in (
        "UPDATE reports_auditevent SET action = 'x' WHERE id = %s",
        "DELETE FROM reports_auditevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk, action="login_failed").exists()


# ----- 三员分立: the audit administrator reads the trail and cannot change it -------------------------


def _staff_in(group: str, username: str):
    user = get_user_model().objects.create_user(username, f"{username}@example.org", PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    client = Client()
    client.force_login(user)
    return user, client


def test_the_audit_administrator_reads_but_cannot_change_the_audit_trail(db):
    event = _events(1)[0]
    _user, client = _staff_in(AUDIT_ADMIN, "auditor")
    changelist = reverse("admin:reports_auditevent_changelist")
    assert client.get(changelist).status_code == 200
    page = client.get(reverse("admin:reports_auditevent_change", args=[event.pk]))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    post = client.post(reverse("admin:reports_auditevent_change", args=[event.pk]), {"action": "x"})
    assert post.status_code == 403
    assert client.get(reverse("admin:reports_auditevent_delete", args=[event.pk])).status_code == 403
    assert client.post(changelist, {"action": "delete_selected", "_selected_action": [event.pk]}).status_code in (
        200,
        302,
    )
    export = client.post(changelist, {"action": "export_csv", "_selected_action": [event.pk]})
    assert export.status_code == 200 and "login_failed" in export.content.decode("utf-8-sig")
    # Nothing else in the admin: not the reports, not the accounts.
    assert client.get(reverse("admin:reports_report_changelist")).status_code == 403
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk, action="login_failed").exists()


def test_not_even_a_superuser_changes_the_audit_trail_in_the_admin(db):
    event = _events(1)[0]
    superuser = get_user_model().objects.create_superuser("root18", "root18@example.org", PASSWORD)
    client = Client()
    client.force_login(superuser)
    assert client.get(reverse("admin:reports_auditevent_delete", args=[event.pk])).status_code == 403
    assert client.post(reverse("admin:reports_auditevent_change", args=[event.pk]), {"action": "x"}).status_code == 403
    client.post(
        reverse("admin:reports_auditevent_changelist"), {"action": "delete_selected", "_selected_action": [event.pk]}
    )
    assert AuditEvent.objects.filter(pk=event.pk, action="login_failed").exists()


def test_the_three_administrators_have_separate_permissions(db):
    def perms(group):
        return set(Permission.objects.filter(group__name=group).values_list("content_type__app_label", "codename"))

    audit, system, security = perms(AUDIT_ADMIN), perms(SYSTEM_ADMIN), perms(SECURITY_ADMIN)
    assert ("reports", "view_auditevent") in audit
    assert all(codename.startswith("view_") for _app, codename in audit)
    assert not any(codename.endswith("auditevent") for _app, codename in system | security)
    assert not any(app == "auth" for app, _codename in system) and ("auth", "change_user") in security
    assert ("reports", "change_report") in system and ("reports", "change_report") not in security


def test_one_person_cannot_hold_two_administrator_roles(db):
    from accounts.admin import SeparatedRolesForm

    user = get_user_model().objects.create_user("both18", "both18@example.org", PASSWORD)
    groups = Group.objects.filter(name__in=[AUDIT_ADMIN, SYSTEM_ADMIN])
    form = SeparatedRolesForm(instance=user)
    form.cleaned_data = {"groups": groups}
    with pytest.raises(ValidationError):
        form.clean_groups()


# ----- passwords and the idle timeout ---------------------------------------------------------------


@pytest.mark.parametrize("password", ["abcdefghijkl", "ABCDEFGH1234", "Short-1"])
def test_password_complexity(password, db):
    with pytest.raises(ValidationError):
        validate_password(password, get_user_model()(username="someone"))


def test_a_good_password_passes(db):
    validate_password("Weisheng-2026", get_user_model()(username="someone"))


def test_an_expired_password_must_be_changed(people, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    clerk, _reviewer = people
    PasswordState.objects.filter(user=clerk).update(changed_at=timezone.now() - datetime.timedelta(days=91))
    client = _password_login("c_clerk")
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == reverse("password_change")
    client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "Xin-mima-2027!", "new_password2": "Xin-mima-2027!"},
    )
    assert client.get(reverse("home")).status_code == 200


def test_a_password_reset_by_the_bureau_administrator_must_be_changed(people):
    clerk, _reviewer = people
    boss = MembershipFactory(bureau=clerk.memberships.first().bureau, role=Membership.Role.ADMIN).user
    client = Client()
    client.force_login(boss)
    client.post(
        reverse("accounts:user_password", args=[clerk.pk]),
        {"new_password1": "Linshi-mima-2026", "new_password2": "Linshi-mima-2026"},
    )
    clerk_client = Client()
    clerk_client.post(reverse("login"), {"username": "c_clerk", "password": "Linshi-mima-2026"})
    response = clerk_client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == reverse("password_change")
    assert AuditEvent.objects.filter(action="password_reset", actor=boss, detail__username="c_clerk").exists()


def test_an_idle_session_ends(people, settings):
    settings.SESSION_IDLE_TIMEOUT = datetime.timedelta(minutes=30)
    client = _password_login("c_clerk")
    page = client.get(reverse("home"))
    assert page.status_code == 200 and 'data-idle-timeout="1800"' in page.content.decode()
    session = client.session
    session["last_seen"] = time.time() - 31 * 60
    session.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert client.get(reverse("home")).status_code == 302  # logged out
    assert AuditEvent.objects.filter(action="idle_logout", actor__username="c_clerk").exists()


def test_a_permission_refusal_is_audited(people, login):
    clerk, _reviewer = people
    response = login(clerk).get(reverse("review_overview"))
    assert response.status_code == 403
    event = AuditEvent.objects.get(action="permission_denied")
    assert event.actor == clerk and event.detail["path"] == reverse("review_overview")
    assert event.detail["result"] == "refused" and event.detail["ip"] == "127.0.0.1"
