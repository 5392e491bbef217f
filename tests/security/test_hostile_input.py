"""Hostile input against what exists: the log-in form, the admin search, the home page, and the
over-size guard. The helpers live in tests/security/hostile.py for the features to reuse (editor,
import, Excel upload, PDF/Word: assert_shown_as_text, zip_bomb, corrupt_zip, INVALID_UTF8 ...)."""

from __future__ import annotations

import io
import socket
import zipfile

import pytest
from django.test import Client
from django.urls import reverse

from reports.models import AuditEvent, Bureau

from .hostile import (
    CONTROL_CHARS,
    INVALID_UTF8,
    MB,
    NUL,
    SCRIPT_PAYLOADS,
    assert_server_up,
    assert_shown_as_text,
    corrupt_zip,
    huge_text,
    multipart,
    zip_bomb,
)

# ----- the helpers themselves ---------------------------------------------------------------------


def test_zip_bomb_is_small_but_inflates():
    data = zip_bomb("xlsx")
    assert len(data) < 2 * MB
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert sum(i.file_size for i in zf.infolist()) >= 200 * MB
        assert "xl/worksheets/sheet1.xml" in zf.namelist()
    with zipfile.ZipFile(io.BytesIO(zip_bomb("docx"))) as zf:
        assert "word/document.xml" in zf.namelist()
    with pytest.raises(zipfile.BadZipFile):
        zipfile.ZipFile(io.BytesIO(corrupt_zip("xlsx")))


def test_invalid_utf8_is_invalid():
    for raw in INVALID_UTF8:
        with pytest.raises(UnicodeDecodeError):
            raw.decode("utf-8")


# ----- the log-in form ---------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("payload", SCRIPT_PAYLOADS)
def test_login_shows_a_hostile_username_as_text(client, payload):
    response = client.post(reverse("login"), {"username": payload, "password": "x"})
    assert response.status_code == 200
    assert_shown_as_text(response.content.decode(), payload)


@pytest.mark.django_db
@pytest.mark.parametrize("junk", [CONTROL_CHARS, NUL, "a" + NUL + "b", huge_text(64 * 1024)])
def test_login_survives_control_characters_and_long_input(client, junk):
    response = client.post(reverse("login"), {"username": junk, "password": junk})
    assert response.status_code == 200  # the form again, with a message
    assert "_auth_user_id" not in client.session
    assert_server_up(client)


@pytest.mark.django_db
@pytest.mark.parametrize("raw", INVALID_UTF8)
def test_login_survives_invalid_utf8(client, raw):
    body = b"username=" + raw + b"&password=" + raw
    response = client.generic("POST", reverse("login"), body, content_type="application/x-www-form-urlencoded")
    assert response.status_code in (200, 400)
    assert_server_up(client)


@pytest.mark.django_db
def test_failed_login_audit_keeps_hostile_username_as_data(client):
    payload = SCRIPT_PAYLOADS[0] + CONTROL_CHARS
    client.post(reverse("login"), {"username": payload, "password": "x"})
    event = AuditEvent.objects.get(action="login_failed")
    assert event.detail["username"] == payload[:150]


# ----- the admin search --------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("payload", [*SCRIPT_PAYLOADS, "\u202e\u200b\ufeff", "%", "_", "\\", "' OR 1=1 --"])
def test_admin_search_shows_the_query_as_text(demo, login, payload):
    client = login("admin")
    for url in (reverse("admin:reports_report_changelist"), reverse("admin:reports_bureau_changelist")):
        response = client.get(url, {"q": payload})
        assert response.status_code == 200
        if any(c in payload for c in '<>"'):
            assert payload not in response.content.decode()


@pytest.mark.django_db
def test_admin_search_with_control_characters_is_a_400(demo, login):
    """Issue 18: a control character in any query parameter is a 400 page (never a database error)."""
    client = login("admin")
    response = client.get(reverse("admin:reports_report_changelist"), {"q": CONTROL_CHARS})
    assert response.status_code == 400


@pytest.mark.django_db
def test_admin_search_with_nul_does_not_crash(demo, login):
    """PostgreSQL refuses NUL in strings; the search must not answer 500."""
    client = login("admin")
    response = client.get(reverse("admin:reports_bureau_changelist"), {"q": "宣" + NUL})
    assert response.status_code in (200, 400)
    assert_server_up(client)


@pytest.mark.django_db
def test_admin_shows_hostile_names_as_text(demo, login):
    payload = SCRIPT_PAYLOADS[1]
    Bureau.objects.filter(code="341802").update(name=payload)
    page = login("admin").get(reverse("admin:reports_bureau_changelist")).content.decode()
    assert_shown_as_text(page, payload)


# ----- the home page -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_home_shows_hostile_bureau_names_as_text(demo, login):
    payload = SCRIPT_PAYLOADS[0]
    Bureau.objects.filter(code="341802").update(name=payload)
    page = login("xuanzhou_staff").get(reverse("home")).content.decode()
    assert_shown_as_text(page, payload)


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["?next=<script>alert(1)</script>", "?%ff%fe=%ff", "?a=" + "x" * 8000, "?q=%00"])
def test_home_ignores_hostile_query_strings(demo, login, query):
    client = login("xuanzhou_staff")
    response = client.get(reverse("home") + query)
    # issue 18: a NUL (any control character) in a parameter is a 400 page; the rest is ignored
    assert response.status_code == (400 if "%00" in query else 200)
    assert "<script>alert(1)</script>" not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/%ff%fe/", "/reports/%00/", "/reports/-1/", "/" + "a" * 4000])
def test_hostile_paths_get_a_clean_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("pk", ["99999999999999999999", "2147483648", "0"])
def test_report_pages_with_out_of_range_ids(demo, login, pk):
    """An id beyond the database's integer range is "not found", never a 500."""
    client = login("xuanzhou_staff")
    for suffix in ("", "edit/", "pdf/", "docx/", "history/"):
        assert client.get(f"/reports/{pk}/{suffix}").status_code == 404, suffix
    for url in (f"/indicators/reports/{pk}/", f"/indicators/reports/{pk}/template.xlsx", f"/reports/{pk}/import/"):
        assert client.get(url).status_code == 404, url


@pytest.mark.django_db
def test_open_redirect_after_login_is_refused(demo, client):
    response = client.post(
        reverse("login") + "?next=https://evil.example/",
        {"username": "xuanzhou_staff", "password": "jiankang-2026", "next": "https://evil.example/"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("home")


# ----- over-size bodies: a clear 413, nothing read ----------------------------------------------


@pytest.mark.django_db
def test_fifty_megabyte_upload_gets_the_413_page(demo, login):
    client = login("xuanzhou_staff")
    body, content_type = multipart({"note": "x"}, {"file": ("big.xlsx", b"\0" * (50 * MB))})
    for url in (reverse("login"), reverse("home"), "/reports/1/import/"):
        response = client.generic("POST", url, body, content_type=content_type)
        assert response.status_code == 413, url
        page = response.content.decode()
        assert "文件过大" in page and "10 MB" in page
        assert "script-src 'self'" in response["Content-Security-Policy"]
    assert_server_up(client)


@pytest.mark.django_db
def test_form_body_over_the_form_limit_is_a_413(client, settings):
    """Between DATA_UPLOAD_MAX_MEMORY_SIZE and the guard's limit Django itself refuses the body
    (RequestDataTooBig); handler400 turns that into the same 413 page."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1 * MB
    body = b"username=" + b"a" * (2 * MB) + b"&password=x"
    response = client.generic("POST", reverse("login"), body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    assert "文件过大" in response.content.decode()


@pytest.mark.django_db
def test_413_page_in_english_when_asked(client):
    body, content_type = multipart({}, {"file": ("big.docx", b"\0" * (12 * MB))})
    response = client.generic("POST", reverse("login"), body, content_type=content_type, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 413 and "File too large" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_live_server_stays_up_after_a_50mb_body(live_server):
    """Over a real socket: the server answers 413 without reading the 50 MB, then serves the next."""
    host, port = live_server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(
            b"POST /accounts/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: multipart/form-data; boundary=x\r\nContent-Length: %d\r\n\r\n" % (50 * MB)
        )
        try:
            for _ in range(4):
                sock.sendall(b"\0" * MB)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server may close as soon as it has answered
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = sock.recv(65536)
            if not chunk:
                break
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert_server_up(_LiveClient(live_server.url))


class _LiveClient:
    """Just enough of a client for assert_server_up against the live server."""

    def __init__(self, base: str):
        self.base = base

    def get(self, path: str):
        import urllib.request

        with urllib.request.urlopen(self.base + path, timeout=10) as response:
            return type("R", (), {"status_code": response.status, "content": response.read()})


def test_client_fixture_is_plain():
    assert Client().get  # the helpers work with any Django test client
