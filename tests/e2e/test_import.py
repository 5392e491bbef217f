"""The text import (issue 7) as a clerk clicks through it: paste, untick a section, save."""

from __future__ import annotations

import pytest

from indicators.models import IndicatorValue
from reports.models import Report, Section
from tests.factories import ReportFactory
from tests.reports.importing import texts

from .conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_paste_untick_a_section_and_save(page, bureau_clerk, tmp_path):
    bureau, clerk, period = bureau_clerk
    report = ReportFactory(bureau=bureau, period=period)
    log_in(page, clerk.username, "pw-for-tests-1")
    page.goto(f"/reports/{report.pk}/import/")
    page.fill("textarea[name=text]", texts.SIMPLE)
    page.click("form button.btn-primary")
    page.wait_for_selector(".hr-import-outline")
    assert page.locator("label[for='sec-0.1']").inner_text() == "（二）公共卫生服务扎实开展"
    # unticking （二） greys it out and unticks its sub-sections and the figures stated in it
    page.click("#sec-0\\.1")
    assert not page.is_checked("#sec-0\\.1\\.0")
    htn = page.locator("mark.hr-figure", has_text="68%").get_attribute("data-figure")
    assert not page.is_checked(f"#figure-{htn}")
    page.screenshot(path=str(tmp_path / "import.png"))
    page.click("button:has-text('保存到报告')")
    page.wait_for_load_state()
    report = Report.objects.get(pk=report.pk)
    assert not Section.objects.filter(report=report, heading="公共卫生服务扎实开展").exists()
    assert Section.objects.filter(report=report, heading="基层服务能力稳步提升").exists()
    slugs = set(IndicatorValue.objects.filter(report=report).values_list("definition__slug", flat=True))
    assert "fds_coverage" in slugs and "htn_std_mgmt" not in slugs
