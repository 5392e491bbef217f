"""The whole review cycle in a browser, with the seed_demo personas: the reviewer returns two sections
with comments, the clerk sees them, fixes (the editor is issue 3's, so the fix is made through the ORM)
and resubmits, the reviewer sees the differences and approves, and the report is locked (the admin
cannot change it either)."""

from __future__ import annotations

import shutil

import pytest
from django.db import connections

from reports.models import Report, ReviewComment, Section

CHROMIUM = "/usr/bin/chromium"

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not shutil.which(CHROMIUM), reason="needs Debian's Chromium"),
]


@pytest.fixture
def browser(monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the ORM calls between steps are fine.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        yield browser
        browser.close()
        # While Playwright's loop runs, the ORM calls of the test get their own connection (asgiref's
        # context-local storage); close it here, or it stays open when the test database is dropped.
        connections.close_all()


def _login(browser, base: str, username: str):
    page = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN").new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "jiankang-2026")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    return page


def test_the_whole_cycle_in_the_browser(demo, live_server, browser):
    base = live_server.url
    report = Report.objects.get(bureau__code="341882", state=Report.State.SUBMITTED)
    flagged = {"守牢妇幼健康底线": "请补充孕产妇死亡率等具体数据。", "信息系统不互通": "请写明涉及哪些系统。"}

    reviewer = _login(browser, base, "xuancheng_reviewer")
    reviewer.goto(f"{base}/review/")
    with reviewer.expect_navigation():
        reviewer.click(f"a[href='/reports/{report.pk}/review/']")
    for heading, text in flagged.items():
        section = reviewer.locator(".hr-doc-section", has=reviewer.locator(".hr-doc-heading", has_text=heading)).first
        section.locator("summary").first.click()
        section.locator("textarea").first.fill(text)
    reviewer.fill("#id_comment", "两处需要修改，请补充后重新报送。")
    with reviewer.expect_navigation():
        reviewer.click("button[value=return]")
    report.refresh_from_db()
    assert report.state == Report.State.RETURNED
    assert sorted(ReviewComment.objects.filter(report=report).values_list("text", flat=True)) == sorted(
        flagged.values()
    )

    clerk = _login(browser, base, "guangde_staff")
    clerk.goto(f"{base}/reports/{report.pk}/submit/")
    box = clerk.locator(".hr-review-comments")
    for heading, text in flagged.items():
        assert heading in box.inner_text() and text in box.inner_text()

    section = Section.objects.get(report=report, heading="信息系统不互通")
    section.body = section.body.replace("数据分散", "数据分散在3个互不连通的平台")
    section.save()
    with clerk.expect_navigation():
        clerk.click("main form button[type=submit]")
    report.refresh_from_db()
    assert report.state == Report.State.SUBMITTED and report.versions.count() == 2

    reviewer.goto(f"{base}/reports/{report.pk}/review/")
    changes = reviewer.locator("details.hr-changes")
    assert "在3个互不连通的平台" in changes.locator("ins").first.inner_text()
    with reviewer.expect_navigation():
        reviewer.click("button[value=approve]")
    report.refresh_from_db()
    assert report.state == Report.State.APPROVED

    admin = _login(browser, base, "admin")
    admin.goto(f"{base}/admin/reports/report/{report.pk}/change/")
    assert admin.locator("input[name=_save]").count() == 0
    section_pk = Section.objects.filter(report=report).values_list("pk", flat=True).first()
    admin.goto(f"{base}/admin/reports/section/{section_pk}/change/")
    assert admin.locator("input[name=_save]").count() == 0
