"""Issue 17 through the real UI: the 宣城市 clerk takes two counties' work-done passages over into
the city's report, rewrites one in the editor (the margin note says where it came from), and the
PDF carries the text without any source note."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from reports.models import Bureau, Membership, PassageSource, ReportingPeriod, Section
from reports.services.reports import report_create

from .conftest import log_in
from .test_review_cycle import save_section

pytestmark = pytest.mark.e2e

WORK = "做实基本公共卫生服务"


def test_city_clerk_consolidates_two_counties_edits_one_and_the_pdf_is_clean(new_page, e2e_demo):
    period = ReportingPeriod.objects.order_by("year").first()  # last year: 宣州区 and 广德市 approved
    city = Bureau.objects.get(code="341800")
    clerk_user = Membership.objects.get(bureau=city, role="staff").user
    report = report_create(bureau=city, period=period, acting_user=clerk_user, carry_over_plan=False)
    target = Section.objects.get(report=report, parent=None, kind=Section.Kind.WORK_DONE)
    sources = {
        code: Section.objects.get(report__bureau__code=code, report__period=period, heading=WORK)
        for code in ("341802", "341882")
    }

    clerk = new_page("clerk")
    log_in(clerk, "xuancheng_staff")
    clerk.goto(f"/reports/{report.pk}/edit/")
    clerk.locator("header .dropdown-toggle").click()
    with clerk.expect_navigation():
        clerk.locator(f"a[href='/reports/{report.pk}/consolidate/']").click()
    for source in sources.values():
        clerk.locator(f"input[name=p][value='{source.pk}:0']").first.check()
    clerk.select_option("#id_target", str(target.pk))
    with clerk.expect_navigation():
        clerk.locator("button[name=mode][value=each]").click()
    assert "已采用到" in clerk.locator(".alert-success").first.inner_text()
    target.refresh_from_db()
    assert target.paragraphs[-2:] == [sources["341802"].paragraphs[0], sources["341882"].paragraphs[0]]
    assert PassageSource.objects.filter(section=target).count() == 2
    assert clerk.locator(f"#o{target.pk} .hr-source-note").count() == 2

    # --- the clerk rewrites 宣州区's paragraph in the editor; the margin note stays -------------------
    with clerk.expect_navigation():
        clerk.locator(f"#o{target.pk} a").click()
    notes = clerk.locator(f"#s{target.pk} .hr-source-note")
    assert notes.count() == 2 and "宣州区卫生健康委员会" in notes.first.inner_text()
    rewritten = "宣州区把家庭医生签约服务延伸到村卫生室，签约覆盖面继续扩大。"
    body = target.body.replace(sources["341802"].paragraphs[0], rewritten)
    save_section(clerk, target.pk, body)
    target.refresh_from_db()
    assert rewritten in target.body

    # --- the PDF: the text, no source notes ------------------------------------------------------------
    clerk.goto(f"/reports/{report.pk}/")
    with clerk.expect_download(timeout=60_000) as download:
        clerk.locator(f"a[href='/reports/{report.pk}/pdf/']").first.click()
    content = open(download.value.path(), "rb").read()
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    text = "".join(text.split())
    assert rewritten in text
    assert "".join(sources["341882"].paragraphs[0].split()) in text
    for source in sources.values():
        assert source.report.title not in text
    assert "来源" not in text and "章节第" not in text
    assert not clerk.console_errors.csp_violations(), clerk.console_errors
