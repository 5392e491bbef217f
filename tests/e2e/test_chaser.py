"""催报 through the real UI (issue 16): the city reviewer chases a late county from /review/ with a
message; that county's clerk sees the bell count rise, opens the list and follows the notice."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from reports.models import Bureau, Membership, Notification
from reports.selectors.review import review_overview

from .conftest import PASSWORD, log_in

pytestmark = pytest.mark.e2e


def late_bureau_and_clerk():
    """A county under the city reviewer (宣城市) that has written nothing for last year, with a clerk."""
    city = Bureau.objects.get(code="341800")
    county = Bureau.objects.create(
        code="341899", name="测试县卫生健康委员会", level="county", parent=city, created_on=None
    )
    clerk = get_user_model().objects.create_user("e2e_late_clerk", "late@example.org", PASSWORD)
    Membership.objects.create(user=clerk, bureau=county, role=Membership.Role.STAFF)
    reviewer = get_user_model().objects.get(username="xuancheng_reviewer")
    row = next(r for r in review_overview(user=reviewer).rows if r.bureau == county and r.timeliness == "overdue")
    return row, clerk


def bell_count(page) -> int:
    badge = page.locator("#hr-bell [data-unread]")
    return int(badge.get_attribute("data-unread")) if badge.count() else 0


def test_reviewer_chases_and_the_clerk_follows_the_bell(new_page, e2e_demo):
    row, clerk = late_bureau_and_clerk()

    clerk_page = new_page("clerk")
    log_in(clerk_page, clerk.username)
    before = bell_count(clerk_page)

    reviewer_page = new_page("reviewer")
    log_in(reviewer_page, "xuancheng_reviewer")
    reviewer_page.goto(f"/review/?period={row.period.code}")
    line = reviewer_page.locator("tbody tr", has_text=row.bureau.code)
    line.locator("summary").click()
    line.locator("input[name=message]").fill("请本周内报送年度总结。")
    with reviewer_page.expect_navigation():
        line.get_by_role("button", name="发送").click()
    assert row.bureau.name in reviewer_page.locator(".alert-success").inner_text()
    assert line.get_by_text("今日已催报").is_visible()
    assert not reviewer_page.console_errors.csp_violations(), reviewer_page.console_errors

    clerk_page.reload()
    assert bell_count(clerk_page) == before + 1
    with clerk_page.expect_navigation():
        clerk_page.locator("#hr-bell").click()
    notice = clerk_page.locator("a.hr-notice-unread", has_text="请本周内报送年度总结。").first
    assert notice.is_visible()
    with clerk_page.expect_navigation():
        notice.click()
    assert bell_count(clerk_page) == before
    assert Notification.objects.get(user=clerk, kind="chaser").read_at is not None
    assert not clerk_page.console_errors.csp_violations(), clerk_page.console_errors
