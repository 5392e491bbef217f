"""The whole cycle through the real UI with the seed_demo personas: the clerk writes in the editor,
enters figures, fixes what the submission checks list and submits; the reviewer returns two sections
with comments; the clerk sees them in the editor, fixes them and resubmits; the reviewer sees the
differences and approves; the report is locked (the editor and the admin refuse) and the PDF downloads.

Waits are explicit (navigation, the save's response, elements); no sleeps."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from reports.models import Report, ReviewComment, Section

from .conftest import log_in

pytestmark = pytest.mark.e2e

BUREAU = "341802"  # 宣州区: clerk xuanzhou_staff, reviewed by the city (xuancheng_reviewer)
FLAGGED = {"基层人才留不住": "请写明流失人数和原因。", "信息系统不互通": "请写明涉及哪些系统。"}
OUTLIER = "two_cancer_screened"  # usual range 100–100000 人


def save_section(page, section_id: int, body: str) -> None:
    """Type the section's text and press its Save button (editor.js saves in place)."""
    article = page.locator(f"#s{section_id}")
    article.locator("textarea").fill(body)
    with page.expect_response(lambda r: r.request.method == "POST" and f"/sections/{section_id}/" in r.url) as saved:
        article.locator("button.hr-save").click()
    assert saved.value.status == 200, saved.value.status
    page.wait_for_selector(f"#s{section_id}:not(.hr-dirty)")


def submit(page, report: Report) -> None:
    """From the editor to the submission page; submit when nothing blocks."""
    with page.expect_navigation():
        page.locator(f"header a[href='/reports/{report.pk}/submit/']").click()
    assert page.locator(".hr-problems").count() == 0, page.locator(".hr-problems").inner_text()
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def test_clerk_reviewer_clerk_reviewer_then_locked_and_pdf(new_page, e2e_demo):
    report = Report.objects.get(bureau__code=BUREAU, state=Report.State.DRAFT)
    sections = {s.heading: s for s in Section.objects.filter(report=report)}
    work = Section.objects.get(report=report, heading="深化紧密型县域医共体建设", parent__heading="工作开展情况")

    # --- the clerk writes: a section, then figures (one outside the usual range) ------------------
    clerk = new_page("clerk")
    log_in(clerk, "xuanzhou_staff")
    with clerk.expect_navigation():
        clerk.locator(f"a[href='/reports/{report.pk}/edit/']").first.click()
    save_section(clerk, work.pk, work.body + "\n全年共组建医共体2个，覆盖全部乡镇卫生院。")
    work.refresh_from_db()
    assert work.body.endswith("覆盖全部乡镇卫生院。") and work.version == 2

    with clerk.expect_navigation():
        clerk.locator(f"a.nav-link[href='/reports/{report.pk}/edit/?tab=indicators']").click()
    clerk.fill(f"#id-{OUTLIER}-value", "２０００００")  # full-width digits, as clerks type them
    with clerk.expect_navigation():
        clerk.locator(".hr-grid-bar button").click()
    assert clerk.locator(f"#id-{OUTLIER}-value").input_value() in ("200000", "200,000")

    # --- the submission checks list the outlier; "Fix" leads to it; a note clears it --------------
    with clerk.expect_navigation():
        clerk.locator(f"header a[href='/reports/{report.pk}/submit/']").click()
    problems = clerk.locator(".hr-problems")
    assert "两癌筛查人数" in problems.inner_text()
    with clerk.expect_navigation():
        problems.locator("li", has_text="两癌筛查人数").get_by_role("link").click()
    clerk.fill(f"input[name='{OUTLIER}-note']", "含外地户籍妇女集中筛查。")
    with clerk.expect_navigation():
        clerk.locator(".hr-grid-bar button").click()
    submit(clerk, report)
    report.refresh_from_db()
    assert report.state == Report.State.SUBMITTED
    assert report.values.get(definition__slug=OUTLIER).value == 200000

    # --- the reviewer returns two sections with comments -----------------------------------------
    reviewer = new_page("reviewer")
    log_in(reviewer, "xuancheng_reviewer")
    with reviewer.expect_navigation():
        reviewer.locator("nav a[href='/review/']").first.click()
    with reviewer.expect_navigation():
        reviewer.locator(f"a[href='/reports/{report.pk}/review/']").first.click()
    for heading, text in FLAGGED.items():
        box = reviewer.locator(".hr-doc-section", has=reviewer.locator(".hr-doc-heading", has_text=heading)).first
        box.locator("summary").first.click()
        box.locator("textarea").first.fill(text)
    reviewer.fill("#id_comment", "两处需要修改，请补充后重新报送。")
    with reviewer.expect_navigation():
        reviewer.locator("button[value=return]").click()
    report.refresh_from_db()
    assert report.state == Report.State.RETURNED
    assert sorted(ReviewComment.objects.filter(report=report).values_list("text", flat=True)) == sorted(
        FLAGGED.values()
    )

    # --- the clerk sees the flagged sections in the editor, fixes them, resubmits ----------------
    clerk.goto("/")
    with clerk.expect_navigation():
        clerk.locator(f"a[href='/reports/{report.pk}/edit/']").first.click()
    flagged = clerk.locator(".hr-review-comments")
    for heading, text in FLAGGED.items():
        item = flagged.locator(".hr-flagged-item", has_text=heading)
        assert text in item.inner_text()
        section = sections[heading]
        item.get_by_role("link").click()  # an anchor in the same page
        clerk.wait_for_url(f"**/edit/#s{section.pk}")
        save_section(clerk, section.pk, section.body + f"\n已按审核意见补充：{heading}的具体情况。")
    submit(clerk, report)
    report.refresh_from_db()
    assert report.state == Report.State.SUBMITTED and report.versions.count() == 2
    snapshot = {s["heading"]: s["body"] for s in report.versions.get(number=2).content["sections"]}
    for heading in FLAGGED:
        assert snapshot[heading].endswith(f"{heading}的具体情况。")

    # --- the reviewer sees the differences and approves -------------------------------------------
    with reviewer.expect_navigation():
        reviewer.goto(f"/reports/{report.pk}/review/")
    changes = reviewer.locator("details.hr-changes")
    inserted = " ".join(changes.locator("ins").all_inner_texts())
    for heading in FLAGGED:
        assert f"{heading}的具体情况" in inserted
    with reviewer.expect_navigation():
        reviewer.locator("button[value=approve]").click()
    report.refresh_from_db()
    assert report.state == Report.State.SUBMITTED  # approving asks for confirmation first
    with reviewer.expect_navigation():
        reviewer.locator(".hr-confirm button[value=approve]").click()
    report.refresh_from_db()
    assert report.state == Report.State.APPROVED

    # --- locked: the editor refuses the clerk, nothing changes -------------------------------------
    response = clerk.goto(f"/reports/{report.pk}/edit/")
    assert response.status == 403
    clerk.goto("/")
    assert clerk.locator(f"a[href='/reports/{report.pk}/edit/']").count() == 0
    admin = new_page("admin")
    log_in(admin, "admin")
    for url in (f"/admin/reports/report/{report.pk}/change/", f"/admin/reports/section/{work.pk}/change/"):
        admin.goto(url)
        assert admin.locator("input[name=_save]").count() == 0, url

    # --- the PDF downloads, with the title in it ---------------------------------------------------
    clerk.goto(f"/reports/{report.pk}/")
    with clerk.expect_download(timeout=60_000) as download:
        clerk.locator(f"a[href='/reports/{report.pk}/pdf/']").first.click()
    content = open(download.value.path(), "rb").read()
    assert content.startswith(b"%PDF-")
    first_page = PdfReader(io.BytesIO(content)).pages[0].extract_text().replace("\n", "")
    assert report.title in first_page
    for page in (clerk, reviewer, admin):
        assert not page.console_errors.csp_violations(), page.console_errors
