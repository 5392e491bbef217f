"""An administrator sets up a new year; a county's bureau administrator adds a clerk (issue 20)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from reports.models import Bureau, Membership, ReportingPeriod

from .conftest import RESULTS, log_in

pytestmark = pytest.mark.e2e


def test_administrator_sets_up_a_year_and_a_county_administrator_adds_a_clerk(new_page, e2e_demo):
    year = ReportingPeriod.objects.order_by("-year").values_list("year", flat=True).first() + 1
    older_open = list(ReportingPeriod.objects.filter(is_open=True).values_list("pk", flat=True))

    admin = new_page("admin")
    log_in(admin, "admin")
    assert admin.url.endswith("/setup/year/")  # the administrator lands on the page they use
    assert admin.input_value("#id_year") == str(year)
    admin.fill("#id_deadline_h1", f"{year}-07-20")
    admin.get_by_role("button", name="设置该年度").click()
    admin.wait_for_load_state("networkidle")
    assert "已设置" in admin.locator(".alert-success").inner_text()
    assert f"{year}年上半年" in admin.locator("#open-periods").inner_text()
    RESULTS.mkdir(exist_ok=True)
    admin.screenshot(path=str(RESULTS / "setup-year-desktop.png"), full_page=True)
    assert ReportingPeriod.objects.filter(year=year).count() == 3
    assert ReportingPeriod.objects.get(year=year, kind="h1").deadline.isoformat() == f"{year}-07-20"
    assert not ReportingPeriod.objects.filter(pk__in=older_open, is_open=True).exists()
    assert not admin.console_errors.csp_violations(), admin.console_errors

    county = Bureau.objects.get(code="341802")
    county_admin = get_user_model().objects.create_user("xuanzhou_admin", password="Xuanzhou-admin-2027")
    Membership.objects.create(user=county_admin, bureau=county, role=Membership.Role.ADMIN)
    page = new_page("county admin")
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, "xuanzhou_admin", "Xuanzhou-admin-2027")
    assert page.url.endswith("/setup/users/")
    assert page.locator("#id_bureau option").all_inner_texts() == [county.name] or page.locator(
        "#id_bureau option"
    ).all_inner_texts()[1:] == [county.name]
    page.fill("#id_username", "xuanzhou_clerk2")
    page.fill("#id_full_name", "王芳")
    page.fill("#id_password", "Wangfang-2027!")
    page.select_option("#id_bureau", label=county.name)
    page.select_option("#id_role", value="staff")
    page.get_by_role("button", name="添加该用户").click()
    page.wait_for_load_state("networkidle")
    assert "已添加用户 xuanzhou_clerk2" in page.locator(".alert-success").inner_text()
    assert "xuanzhou_clerk2" in page.locator("#users").inner_text()
    page.screenshot(path=str(RESULTS / "setup-users-phone.png"), full_page=True)
    clerk = get_user_model().objects.get(username="xuanzhou_clerk2")
    assert list(clerk.memberships.values_list("bureau__code", "role")) == [("341802", "staff")]
    assert not clerk.is_staff and not clerk.is_superuser
    assert not page.console_errors.csp_violations(), page.console_errors

    clerk_page = new_page("clerk")
    log_in(clerk_page, "xuanzhou_clerk2", "Wangfang-2027!")
    assert clerk_page.get_by_role("heading", name="我的报告").is_visible()
