"""Issue 12: no typed text is lost when the log-in session ends.

The clerk types; the session cookie goes (the session ended, or they logged out in another tab);
pressing Save says so, the clerk logs in in a new tab and saves again. Then once more with a
reload: the text typed before is offered back from the browser and autosaved after restoring."""

from __future__ import annotations

import pytest

from reports.models import Report, Section

from .conftest import RESULTS, log_in

pytestmark = pytest.mark.e2e

BUREAU = "341802"  # 宣州区: clerk xuanzhou_staff


def is_save(section_id: int):
    return lambda r: r.request.method == "POST" and f"/sections/{section_id}/" in r.url


def test_text_typed_while_the_session_ends_is_saved_after_logging_in_again(new_page, e2e_demo):
    report = Report.objects.get(bureau__code=BUREAU, state=Report.State.DRAFT)
    work = Section.objects.filter(report=report).exclude(body="").order_by("position", "pk").first()
    page = new_page("clerk")
    log_in(page, "xuanzhou_staff")
    page.goto(f"/reports/{report.pk}/edit/")
    area = page.locator(f"#s{work.pk} textarea")
    assert "字数" in page.locator(f"#s{work.pk} .hr-count").inner_text()
    assert "全文字数" in page.locator(".hr-total-count").inner_text()

    # typing; the session ends half-way
    area.click()
    area.press("End")
    area.press_sequentially("第一句话。", delay=5)
    page.context.clear_cookies(name="sessionid")
    area.press_sequentially("第二句话。", delay=5)
    with page.expect_response(is_save(work.pk)) as answer:
        page.locator(f"#s{work.pk} button.hr-save").click()
    assert answer.value.status == 401
    alert = page.locator(".hr-session-alert")
    alert.wait_for(state="visible")
    assert "登录已过期" in alert.inner_text()
    work.refresh_from_db()
    assert "第二句话" not in work.body

    # log in again in a new tab, come back, save again
    other = page.context.new_page()
    log_in(other, "xuanzhou_staff")
    other.close()
    with page.expect_response(is_save(work.pk)) as answer:
        alert.locator(".hr-retry").click()
    assert answer.value.status == 200, answer.value.status
    page.wait_for_selector(f"#s{work.pk}:not(.hr-dirty)")
    work.refresh_from_db()
    assert work.body.endswith("第一句话。第二句话。")

    # once more, and this time the page is reloaded: log-in, back to the editor, the text is offered
    area.press("End")
    area.press_sequentially("第三句话。", delay=5)
    page.wait_for_timeout(500)  # the draft is written to the browser's storage after a short pause
    page.context.clear_cookies(name="sessionid")
    page.reload()
    assert "/accounts/login/" in page.url
    page.fill("#id_username", "xuanzhou_staff")
    page.fill("#id_password", "jiankang-2026")
    with page.expect_navigation():
        page.locator("main").get_by_role("button").click()
    assert page.url.endswith(f"/reports/{report.pk}/edit/"), page.url
    offer = page.locator(f"#s{work.pk} .hr-draft")
    offer.wait_for(state="visible")
    with page.expect_response(is_save(work.pk), timeout=10_000) as answer:  # autosave after the pause
        offer.locator(".hr-draft-restore").click()
    assert answer.value.status == 200
    page.wait_for_selector(f"#s{work.pk}:not(.hr-dirty)")
    work.refresh_from_db()
    assert work.body.endswith("第二句话。第三句话。")
    assert not page.console_errors.csp_violations(), page.console_errors

    RESULTS.mkdir(exist_ok=True)
    page.locator(f"#s{work.pk}").scroll_into_view_if_needed()
    page.screenshot(path=str(RESULTS / "editor-desktop.png"))
    page.set_viewport_size({"width": 390, "height": 844})
    page.locator(f"#s{work.pk}").scroll_into_view_if_needed()
    page.screenshot(path=str(RESULTS / "editor-phone.png"))
