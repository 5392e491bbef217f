"""A clerk logs in, sees the home page and logs out; a wrong password shows the message."""

from __future__ import annotations

import pytest

from .conftest import log_in

pytestmark = pytest.mark.e2e


def test_clerk_logs_in_sees_home_and_logs_out(page, e2e_demo):
    log_in(page, "xuanzhou_staff")
    assert page.url.endswith("/")
    assert page.get_by_role("heading", name="我的报告").is_visible()
    assert page.get_by_text("宣州区卫生健康委员会").first.is_visible()
    assert page.get_by_text("宣州区卫健委填报员").is_visible()
    page.get_by_role("button", name="退出").click()
    page.wait_for_url("**/accounts/login/")
    page.goto("/")
    assert "/accounts/login/" in page.url  # logged out for real
    assert not page.console_errors.csp_violations(), page.console_errors


def test_wrong_password_shows_the_message(page, e2e_demo):
    log_in(page, "xuanzhou_staff", "not-the-password")
    assert "/accounts/login/" in page.url
    alert = page.locator(".alert-danger, .invalid-feedback, .errorlist").first
    assert "用户名和密码" in alert.inner_text()
    assert page.input_value("#id_username") == "xuanzhou_staff"
    assert page.input_value("#id_password") == ""


def test_error_page_is_friendly(page, e2e_demo):
    page.goto("/no-such-page/")
    assert page.get_by_role("heading", name="页面不存在").is_visible()
    assert not page.console_errors.csp_violations(), page.console_errors
