"""The editor over HTTP: who may open it, saving sections, conflicts, structure buttons, query count."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports.models import Membership, Report, Section
from tests.factories import MembershipFactory, ReportFactory, SectionFactory

EDITABLE = (Report.State.DRAFT, Report.State.RETURNED)


def expected_edit(persona, report) -> bool:
    """The rule as the issue states it, written independently of reports/policy.py."""
    return persona.role == "staff" and persona.bureau_code == report.bureau.code and report.state in EDITABLE


@pytest.fixture
def seeded(demo):
    users = {u.username: u for u in get_user_model().objects.all()}
    reports = list(Report.objects.select_related("bureau", "period"))
    return demo, users, reports


def test_every_persona_against_every_editor(seeded, client):
    demo, users, reports = seeded
    allowed = 0
    for persona in demo.personas():
        client.force_login(users[persona.username])
        for report in reports:
            status = client.get(reverse("report_edit", args=[report.pk])).status_code
            if expected_edit(persona, report):
                assert status == 200, (persona.username, report.pk)
                allowed += 1
            else:
                assert status in (403, 404), (persona.username, report.pk, status)
    # Five county drafts/returned of the current year, each editable by its own clerk only.
    assert allowed == Report.objects.filter(state__in=EDITABLE).count() > 0


def test_every_persona_against_every_write(seeded, client):
    demo, users, reports = seeded
    targets = [r for r in reports if r.bureau.code in ("341802", "341882", "340202")]
    for persona in demo.personas():
        client.force_login(users[persona.username])
        for report in targets:
            section = Section.objects.filter(report=report).first()
            ok = expected_edit(persona, report)
            posts = [
                (reverse("section_save", args=[report.pk, section.pk]), {}),
                (reverse("section_action", args=[report.pk, section.pk, "down"]), {}),
                (reverse("section_add", args=[report.pk]), {"heading": "新的"}),
                (reverse("values_save", args=[report.pk]), {}),
            ]
            for url, data in posts:
                status = client.post(url, data).status_code
                if ok:
                    assert status in (200, 302, 400), (persona.username, url, status)
                else:
                    assert status in (403, 404), (persona.username, url, status)
    client.logout()
    report = targets[0]
    assert client.get(reverse("report_edit", args=[report.pk])).status_code == 302  # to the login page


@pytest.fixture
def draft(catalogue):
    report = ReportFactory()
    clerk = MembershipFactory(bureau=report.bureau, role=Membership.Role.STAFF).user
    return report, clerk


def test_editor_shows_the_tree_numbered(draft, login):
    report, clerk = draft
    top = SectionFactory(report=report, heading="工作开展情况", position=1)
    mid = SectionFactory(report=report, parent=top, heading="公共卫生", position=1)
    low = SectionFactory(report=report, parent=mid, heading="家庭医生", position=1)
    SectionFactory(report=report, parent=low, heading="签约扩面", position=1)
    SectionFactory(report=report, heading="存在的问题", position=2)
    html = login(clerk).get(reverse("report_edit", args=[report.pk])).content.decode()
    for number in ("一、", "（一）", "1.", "（1）", "二、"):
        assert f'<span class="hr-num" aria-hidden="true">{number}</span>' in html
    assert "block crosscheck" not in html  # the slot renders nothing yet
    assert reverse("report_submit", args=[report.pk]) in html


def test_save_a_section_and_come_back_to_it(draft, login):
    report, clerk = draft
    section = SectionFactory(report=report, heading="旧", body="")
    client = login(clerk)
    response = client.post(
        reverse("section_save", args=[report.pk, section.pk]),
        {f"s{section.pk}-heading": "新标题", f"s{section.pk}-body": "第一段\n第二段", f"s{section.pk}-version": "1"},
    )
    assert response.status_code == 302 and response["Location"].endswith(f"#s{section.pk}")
    section.refresh_from_db()
    assert (section.heading, section.paragraphs, section.version) == ("新标题", ["第一段", "第二段"], 2)
    html = client.get(reverse("report_edit", args=[report.pk])).content.decode()
    assert "第一段\n第二段" in html


def test_second_save_of_a_section_is_refused_with_the_other_text(draft, login, client):
    report, clerk = draft
    colleague = MembershipFactory(bureau=report.bureau, role=Membership.Role.STAFF).user
    colleague.first_name = "李同事"
    colleague.save()
    section = SectionFactory(report=report, heading="工作开展情况", body="原文")
    prefix = f"s{section.pk}"
    url = reverse("section_save", args=[report.pk, section.pk])

    login(colleague)
    first = client.post(
        url, {f"{prefix}-heading": "工作开展情况", f"{prefix}-body": "同事写的文字", f"{prefix}-version": 1}
    )
    assert first.status_code == 302

    login(clerk)
    second = client.post(
        url, {f"{prefix}-heading": "工作开展情况", f"{prefix}-body": "我写的文字", f"{prefix}-version": 1}
    )
    assert second.status_code == 409
    html = second.content.decode()
    assert "同事写的文字" in html and "李同事" in html  # the other person's text, and who
    assert "我写的文字" in html  # the clerk's own text is kept in the form
    section.refresh_from_db()
    assert section.body == "同事写的文字"
    # The form now carries the version the clerk has seen: saving again deliberately replaces it.
    assert f'name="{prefix}-version" value="2"' in html
    third = client.post(
        url, {f"{prefix}-heading": "工作开展情况", f"{prefix}-body": "合并后的文字", f"{prefix}-version": 2}
    )
    assert third.status_code == 302
    section.refresh_from_db()
    assert section.body == "合并后的文字"


def test_empty_heading_keeps_the_text_on_the_page(draft, login):
    report, clerk = draft
    section = SectionFactory(report=report, heading="甲", body="")
    response = login(clerk).post(
        reverse("section_save", args=[report.pk, section.pk]),
        {f"s{section.pk}-heading": " ", f"s{section.pk}-body": "辛苦写的一段", f"s{section.pk}-version": 1},
    )
    assert response.status_code == 400 and "辛苦写的一段" in response.content.decode()
    assert Section.objects.get(pk=section.pk).heading == "甲"


def test_structure_buttons(draft, login):
    report, clerk = draft
    a = SectionFactory(report=report, heading="甲", position=1)
    b = SectionFactory(report=report, heading="乙", position=2)
    client = login(clerk)
    act = lambda s, action: client.post(reverse("section_action", args=[report.pk, s.pk, action]))  # noqa: E731
    assert act(b, "indent").status_code == 302
    assert Section.objects.get(pk=b.pk).parent_id == a.pk
    act(b, "outdent")
    act(b, "up")
    assert list(Section.objects.filter(report=report, parent=None).order_by("position")) == [b, a]
    act(a, "add-child")
    child = Section.objects.get(report=report, parent=a)
    act(a, "delete")
    assert not Section.objects.filter(pk__in=[a.pk, child.pk]).exists()
    assert client.post(reverse("section_action", args=[report.pk, b.pk, "explode"])).status_code == 404
    response = client.post(reverse("section_add", args=[report.pk]), {"heading": "丙", "parent": b.pk})
    assert response.status_code == 302
    assert Section.objects.get(report=report, heading="丙").parent_id == b.pk
    # A section of another report is not reachable through this one.
    other = SectionFactory()
    assert client.post(reverse("section_action", args=[report.pk, other.pk, "delete"])).status_code == 404
    assert Section.objects.filter(pk=other.pk).exists()


def test_editor_refuses_get_on_writes(draft, login):
    report, clerk = draft
    section = SectionFactory(report=report)
    client = login(clerk)
    assert client.get(reverse("section_save", args=[report.pk, section.pk])).status_code == 405
    assert client.get(reverse("report_start")).status_code == 405


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("tab", ["", "?tab=indicators"])
def test_query_count_does_not_grow_with_sections(catalogue, login, tab):
    counts = []
    for size in (10, 100):
        report = ReportFactory()
        clerk = MembershipFactory(bureau=report.bureau, role=Membership.Role.STAFF).user
        tops = [SectionFactory(report=report, position=i) for i in range(1, size // 10 + 1)]
        for top in tops:
            parent = top
            for i in range(9):  # a deep and wide mix: chains of four levels and siblings
                parent = SectionFactory(report=report, parent=parent if i % 3 else top, position=i + 1)
        assert Section.objects.filter(report=report).count() == size
        client = login(clerk)
        counts.append(_count_queries(client, reverse("report_edit", args=[report.pk]) + tab))
    assert counts[0] == counts[1], counts
    assert counts[1] <= 15, counts


def test_save_in_place_answers_json_and_conflicts_fall_back(draft, login):
    report, clerk = draft
    section = SectionFactory(report=report, heading="甲", body="")
    prefix, url = f"s{section.pk}", reverse("section_save", args=[report.pk, section.pk])
    client = login(clerk)
    data = {f"{prefix}-heading": "甲", f"{prefix}-body": "一段", f"{prefix}-version": 1}
    response = client.post(url, data, HTTP_X_REQUESTED_WITH="fetch")
    assert response.status_code == 200 and response.json()["version"] == 2
    response = client.post(url, data, HTTP_X_REQUESTED_WITH="fetch")  # stale version 1 again
    assert response.status_code == 409  # editor.js then submits the form as a full page


def test_a_returned_report_shows_why(demo, login):
    report = Report.objects.get(bureau__code="340202", state=Report.State.RETURNED)
    comment = report.transitions.filter(to_state=Report.State.RETURNED).last().comment
    html = login("jinghu_staff").get(reverse("report_edit", args=[report.pk])).content.decode()
    assert "已退回修改" in html and comment.splitlines()[0] in html
    flagged = report.review_comments.filter(resolved=False, section__isnull=False)
    assert flagged.exists()
    for c in flagged:
        assert f"#s{c.section_id}" in html and c.text in html


def test_editor_shows_figures_that_differ_from_the_grid(draft, login):
    from indicators.models import IndicatorDefinition, IndicatorValue

    report, clerk = draft[0], draft[1]
    SectionFactory(report=report, heading="做实家庭医生签约", body="全年家庭医生签约服务覆盖率达73%。")
    IndicatorValue.objects.create(
        report=report, definition=IndicatorDefinition.objects.get(slug="fds_coverage"), value=52
    )
    page = login(clerk).get(reverse("report_edit", args=[report.pk])).content.decode()
    assert "hr-mismatches" in page and "73%" in page and "52" in page


def test_the_add_section_button_has_a_readable_label(draft, login):
    """It was btn-primary and btn-outline-primary at once: blue text on a blue button (issue 20)."""
    import re

    report, clerk = draft
    html = login(clerk).get(reverse("report_edit", args=[report.pk])).content.decode()
    button = re.search(r'<input type="submit"\s+name="add"[^>]*>', html).group(0)
    classes = set(re.search(r'class="([^"]*)"', button).group(1).split())
    assert "btn" in classes
    assert len({c for c in classes if c.startswith(("btn-primary", "btn-outline-"))}) == 1, classes


def test_an_edit_link_to_an_approved_report_says_it_is_locked(draft, login):
    """Not a generic 403: a page saying the report is approved and locked, with a link to read it."""
    report, clerk = draft
    Report.objects.filter(pk=report.pk).update(state=Report.State.APPROVED)
    response = login(clerk).get(reverse("report_edit", args=[report.pk]))
    assert response.status_code == 403
    html = response.content.decode()
    assert "已审核通过并锁定" in html
    assert f'href="{reverse("report_detail", args=[report.pk])}"' in html


def test_the_excel_page_leads_back_to_the_editor(draft, login):
    report, clerk = draft
    html = login(clerk).get(reverse("indicators:report_values", args=[report.pk])).content.decode()
    crumbs = html.split('<ol class="breadcrumb', 1)[1].split("</nav>")[0]
    assert f'href="{reverse("report_edit", args=[report.pk])}?tab=indicators"' in crumbs
    assert crumbs.index(reverse("home")) < crumbs.index(reverse("report_edit", args=[report.pk]))
