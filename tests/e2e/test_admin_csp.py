"""The Django admin works under the site's strict Content-Security-Policy (no exception for /admin/):
the pages load, the JavaScript widgets work, and the browser reports no CSP violation."""

from __future__ import annotations

import pytest

from .conftest import log_in

pytestmark = pytest.mark.e2e

ADMIN_PAGES = [
    "/admin/",
    "/admin/reports/report/",
    "/admin/reports/report/?q=%3Cscript%3E",
    "/admin/reports/auditevent/?action=login",
    "/admin/reports/bureau/",
    "/admin/reports/membership/add/",
    "/admin/auth/user/",
]


def test_admin_pages_raise_no_csp_violation(page, e2e_demo):
    log_in(page, "admin")
    for path in ADMIN_PAGES:
        page.goto(path)
        page.wait_for_load_state("networkidle")
        assert page.locator("#site-name").is_visible(), path
    from reports.models import Report

    page.goto(f"/admin/reports/report/{Report.objects.order_by('pk').first().pk}/change/")
    page.wait_for_load_state("networkidle")
    assert not page.console_errors.csp_violations(), page.console_errors


def test_admin_calendar_widget_works(page, e2e_demo):
    """The date widget is JavaScript that builds elements and styles: it must not be blocked."""
    log_in(page, "admin")
    page.goto("/admin/reports/reportingperiod/add/")
    page.locator(".datetimeshortcuts a").nth(1).click()  # the calendar icon of the first date
    calendar = page.locator(".calendarbox").first
    assert calendar.is_visible()
    calendar.get_by_text("15", exact=True).click()
    assert page.input_value("#id_start").endswith("15")
    assert not page.console_errors.csp_violations(), page.console_errors
