"""Accounts and headers: password rules, log-in throttling, session expiry, CSRF on every form,
the Content-Security-Policy and the HTTPS headers, and the log-in audit trail."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from reports.demo import DEMO_PASSWORD
from reports.models import AuditEvent
from reports.selectors.reports import audit_events

from .routes import all_routes

ROOT = Path(__file__).resolve().parents[2]


def _post_login(client: Client, username: str, password: str, ip: str = "10.0.0.7"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


# ----- passwords ---------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("password", ["12345678", "password", "short", "xuanzhou_staff1"])
def test_weak_passwords_are_refused(password):
    user = get_user_model()(username="xuanzhou_staff")
    with pytest.raises(ValidationError):
        validate_password(password, user)


# ----- throttling (django-axes on, as in production) ----------------------------------------------


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True
    from axes.handlers.proxy import AxesProxyHandler

    AxesProxyHandler.implementation = None  # rebuild the handler with the changed setting
    yield settings
    AxesProxyHandler.implementation = None


@pytest.mark.django_db
def test_five_failures_lock_the_username_on_that_address(demo, axes_on, client):
    for _ in range(axes_on.AXES_FAILURE_LIMIT - 1):
        response = _post_login(client, "xuanzhou_staff", "wrong")
        assert response.status_code == 200  # the form again, with the message
    response = _post_login(client, "xuanzhou_staff", "wrong")
    assert response.status_code == 429
    page = response.content.decode()
    assert "登录失败次数过多" in page and 'lang="zh-hans"' in page
    # Locked: even the right password is refused from that address ...
    assert _post_login(client, "xuanzhou_staff", DEMO_PASSWORD).status_code == 429
    # ... but the same user from elsewhere, and another user from here, still get in.
    assert _post_login(Client(), "xuanzhou_staff", DEMO_PASSWORD, ip="10.0.0.8").status_code == 302
    assert _post_login(Client(), "langxi_staff", DEMO_PASSWORD).status_code == 302


@pytest.mark.django_db
def test_lockout_ends_after_the_cool_off(demo, axes_on, client):
    from axes.models import AccessAttempt

    for _ in range(axes_on.AXES_FAILURE_LIMIT):
        _post_login(client, "xuanzhou_staff", "wrong")
    assert _post_login(client, "xuanzhou_staff", DEMO_PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))
    assert _post_login(client, "xuanzhou_staff", DEMO_PASSWORD).status_code == 302


def test_lockout_settings():
    from django.conf import settings

    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME == datetime.timedelta(minutes=15)
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"


# ----- sessions ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_session_expires_after_eight_hours(demo, client, settings):
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60 and settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert _post_login(client, "xuanzhou_staff", DEMO_PASSWORD).status_code == 302
    session = Session.objects.get()
    lifetime = session.expire_date - timezone.now()
    assert datetime.timedelta(hours=7, minutes=59) < lifetime <= datetime.timedelta(hours=8)
    assert client.get(reverse("home")).status_code == 200
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_session_cookie_is_not_readable_by_script(demo, client):
    _post_login(client, "xuanzhou_staff", DEMO_PASSWORD)
    cookie = client.cookies["sessionid"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and not cookie["max-age"]


# ----- CSRF on every form ------------------------------------------------------------------------

CSRF_ARGS = {
    "pk": "1",
    "sid": "1",
    "action": "up",
    "slug": "x",
    "object_id": "1",
    "app_label": "reports",
    "id": "1",
    "content_type_id": "1",
    "url": "x/",
    "uidb64": "MQ",
    "token": "x-y",
}


@pytest.mark.django_db
@pytest.mark.parametrize("as_user", ["anonymous", "xuanzhou_staff", "admin"])
def test_every_post_is_refused_without_the_csrf_token(demo, as_user):
    client = Client(enforce_csrf_checks=True)
    if as_user != "anonymous":
        client.force_login(get_user_model().objects.get(username=as_user))
    refused = []
    for route in all_routes():
        if route.name.startswith("admin:<unnamed"):
            continue
        url = reverse(route.name, **route.reverse_args(CSRF_ARGS))
        response = client.post(url, {"username": "x", "password": "y", "language": "en"})
        # 403 from the CSRF check itself (its page), not a view's own refusal after the fact
        if response.status_code != 403 or "表单已过期" not in response.content.decode():
            refused.append(f"{route.name} {url}: {response.status_code}")
    assert not refused, "POST accepted without a CSRF token:\n" + "\n".join(refused)


@pytest.mark.django_db
def test_csrf_failure_page_is_friendly(client):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "x", "password": "y"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "表单已过期" in page and "未保存任何内容" in page


# ----- headers -----------------------------------------------------------------------------------

EXPECTED_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def parse_csp(header: str) -> dict[str, str]:
    out = {}
    for part in header.split(";"):
        name, _, value = part.strip().partition(" ")
        if name:
            out[name] = value.strip()
    return out


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["login", "home", "admin:index", "healthz"])
def test_security_headers(demo, login, url_name):
    client = Client() if url_name == "login" else login("admin")
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert parse_csp(response["Content-Security-Policy"]) == EXPECTED_CSP  # also on /admin/
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_error_pages_carry_the_csp_too(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert parse_csp(response["Content-Security-Policy"]) == EXPECTED_CSP


@pytest.mark.django_db
def test_pages_have_no_inline_script_or_style(demo, login):
    """What the CSP forbids is not in our HTML either (the browser would block it)."""
    import re

    for client, name in ((Client(), "login"), (login("xuanzhou_staff"), "home")):
        html = client.get(reverse(name)).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), name
        assert not re.search(r"\son[a-z]+\s*=", html), name
        assert " style=" not in html, name


@pytest.mark.django_db
def test_hsts_and_secure_cookies_when_not_debug(settings, demo, client):
    """The production values (settings.py when DEBUG is off) produce the headers and cookie flags."""
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    response = client.post(reverse("login"), {"username": "xuanzhou_staff", "password": DEMO_PASSWORD}, secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert client.cookies["sessionid"]["secure"]
    assert client.cookies["csrftoken"]["secure"]


def test_check_deploy_is_clean():
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "t" * 64 + "-not-a-real-key-9f8e7d",
        "ALLOWED_HOSTS": "example.org",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the e2e tests only
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# ----- the log-in audit --------------------------------------------------------------------------


@pytest.mark.django_db
def test_login_logout_and_failures_are_audited(demo, client):
    _post_login(client, "xuanzhou_staff", "wrong-password")
    _post_login(client, "xuanzhou_staff", DEMO_PASSWORD)
    client.post(reverse("logout"))
    events = list(AuditEvent.objects.order_by("pk").values_list("action", "actor__username", "detail"))
    assert [(a, u) for a, u, _ in events] == [
        ("login_failed", None),
        ("login", "xuanzhou_staff"),
        ("logout", "xuanzhou_staff"),
    ]
    failed = events[0][2]
    assert failed["username"] == "xuanzhou_staff" and failed["ip"] == "10.0.0.7"
    assert "wrong-password" not in str(events)


@pytest.mark.django_db
def test_audit_events_selector(demo):
    from reports.models import Bureau, Report
    from reports.services.audit import audit_record

    User = get_user_model()
    clerk, other = User.objects.get(username="xuanzhou_staff"), User.objects.get(username="jinghu_staff")
    xuanzhou = Report.objects.filter(bureau__code="341802").first()
    jinghu = Report.objects.filter(bureau__code="340202").first()
    month_ago = timezone.now() - datetime.timedelta(days=30)
    with mock.patch("reports.services.audit.timezone.now", return_value=month_ago):  # the trail is append-only
        old = audit_record(actor=clerk, action="export_pdf", report=xuanzhou)
    new = audit_record(actor=clerk, action="section_save", report=xuanzhou)
    elsewhere = audit_record(actor=other, action="export_pdf", report=jinghu)

    xuancheng = Bureau.objects.get(code="341800")
    assert set(audit_events(bureau=xuancheng)) == {old, new}  # the city's subtree
    assert set(audit_events(actor=other)) == {elsewhere}
    assert set(audit_events(action="export_pdf")) == {old, elsewhere}
    assert set(audit_events(since=timezone.now() - datetime.timedelta(days=1))) == {new, elsewhere}
    assert list(audit_events(bureau=xuancheng, action="section_save")) == [new]
    assert list(audit_events())[:2] == [elsewhere, new]  # newest first


@pytest.mark.django_db
def test_audit_admin_filters(demo, login):
    client = login("admin")  # force_login is audited too: two log-ins today
    clerk = get_user_model().objects.get(username="xuanzhou_staff")
    _post_login(Client(), "xuanzhou_staff", DEMO_PASSWORD)
    url = reverse("admin:reports_auditevent_changelist")
    midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    tomorrow = midnight + datetime.timedelta(days=1)
    for query, count in (
        ({"action": "login"}, 2),
        ({"actor__id__exact": clerk.pk}, 1),
        ({"created_at__gte": str(midnight), "created_at__lt": str(tomorrow)}, 2),  # as the "today" link
        ({"created_at__gte": str(tomorrow)}, 0),
    ):
        response = client.get(url, query)
        assert response.status_code == 200
        assert response.context["cl"].result_count == count, query
