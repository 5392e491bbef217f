"""The clerk's and the reviewer's pages on a phone (390×844): no sideways scrolling, the main action
in view without scrolling (issue 20). Screenshots go to test-results/phone-*.png to be looked at."""

from __future__ import annotations

import pytest

from reports.models import Report

from .conftest import RESULTS, log_in

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


def _fits(page, name: str) -> None:
    page.wait_for_load_state("networkidle")
    RESULTS.mkdir(exist_ok=True)
    page.screenshot(path=str(RESULTS / f"phone-{name}.png"), full_page=True)
    page.screenshot(path=str(RESULTS / f"phone-{name}-first-screen.png"))
    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], f"{name}: the page scrolls sideways ({widths[0]} > {widths[1]})"


def _in_first_screen(page, locator) -> None:
    box = locator.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    assert box["y"] + box["height"] <= PHONE["height"], box


def test_clerk_and_reviewer_pages_fit_a_phone(new_page, e2e_demo):
    clerk = new_page("clerk")
    clerk.set_viewport_size(PHONE)
    log_in(clerk, "xuanzhou_staff")
    _fits(clerk, "home")
    _in_first_screen(clerk, clerk.get_by_role("link", name="继续填写").first)

    report = Report.objects.filter(bureau__code="341802", state__in=Report.EDITABLE_STATES).first()
    clerk.goto(f"/reports/{report.pk}/edit/")
    _fits(clerk, "editor")
    assert clerk.evaluate("window.scrollY") == 0  # not scrolled to the first section's tools
    _in_first_screen(clerk, clerk.locator(".hr-heading-input").first)
    # the whole title is in view (it wraps), and Enter in it still saves it
    title = clerk.locator("#id_head-title")
    sizes = title.evaluate("t => [t.scrollWidth, t.clientWidth, t.scrollHeight, t.clientHeight]")
    assert sizes[0] <= sizes[1] and sizes[2] <= sizes[3] + 2, f"the title is cut off ({sizes})"
    title.fill(report.title + "（修订稿）")
    title.press("Enter")
    clerk.wait_for_load_state("networkidle")
    assert "已保存：标题。" in clerk.locator(".hr-messages").inner_text()
    report.refresh_from_db()
    assert report.title.endswith("（修订稿）") and "\n" not in report.title

    # the indicator grid: one card per indicator, the value field across the width, the change
    # ("-15.96个百分点") on one line, the save button always in reach
    clerk.goto(f"/reports/{report.pk}/edit/?tab=indicators")
    _fits(clerk, "editor-grid")
    value = clerk.locator(".hr-grid input[name$='-value']").first.bounding_box()
    assert value["width"] >= 200, value
    heights = clerk.locator("td.hr-change").evaluate_all("cells => cells.map(c => c.offsetHeight)")
    assert heights and max(heights) <= 30, heights
    clerk.evaluate("window.scrollTo(0, 3000)")
    _in_first_screen(clerk, clerk.locator(".hr-grid-bar button"))

    # on a desktop, the cross-check box stays below the sticky outline while the text scrolls
    clerk.set_viewport_size({"width": 1366, "height": 768})
    clerk.goto(f"/reports/{report.pk}/edit/")
    clerk.evaluate("window.scrollTo(0, 2500)")
    clerk.wait_for_timeout(300)
    clerk.screenshot(path=str(RESULTS / "desktop-editor-scrolled.png"))
    outline = clerk.locator(".hr-outline").bounding_box()
    crosscheck = clerk.locator(".hr-aside > .mt-3").bounding_box()
    assert outline["y"] + outline["height"] <= crosscheck["y"], (outline, crosscheck)

    reviewer = new_page("reviewer")
    reviewer.set_viewport_size(PHONE)
    log_in(reviewer, "xuancheng_reviewer")
    reviewer.goto("/review/")
    _fits(reviewer, "review-overview")
    _in_first_screen(reviewer, reviewer.locator(".hr-overview-table tbody tr").first)
    submitted = Report.objects.filter(bureau__parent__code="341800", state=Report.State.SUBMITTED).first()
    reviewer.goto(f"/reports/{submitted.pk}/review/")
    _fits(reviewer, "review")
    _in_first_screen(reviewer, reviewer.get_by_role("button", name="审核通过"))
    values = reviewer.locator(".hr-values-table").evaluate(
        "t => [t.parentElement.scrollWidth, t.parentElement.clientWidth]"
    )
    assert values[0] <= values[1], f"the values table scrolls sideways ({values})"
    reviewer.goto(f"/indicators/rollup/?bureau=341800&period={submitted.period.code}")
    _fits(reviewer, "rollup")
    rollup = reviewer.locator(".hr-rollup").evaluate("t => [t.parentElement.scrollWidth, t.parentElement.clientWidth]")
    assert rollup[0] <= rollup[1], f"the roll-up table scrolls sideways ({rollup})"
    assert not clerk.console_errors.csp_violations() and not reviewer.console_errors.csp_violations()
