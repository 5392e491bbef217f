"""The review pages through HTTP: submit confirm, review (return / approve / reopen, what changed),
history with comparisons, the clerk's view of flagged sections, and the navigation link."""

from __future__ import annotations

import pytest
from django.template import engines
from django.test import RequestFactory
from django.urls import reverse

from reports.models import Report, ReviewComment, Section, Transition
from reports.services.workflow import report_approve, report_return, report_submit
from tests.reports.workflow_world import set_state

S, R, A = Report.State.SUBMITTED, Report.State.RETURNED, Report.State.APPROVED


def _html(response) -> str:
    return response.content.decode()


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# ----- submit ----------------------------------------------------------------------------------


def test_submit_page_lists_problems_with_links_and_refuses(world, client):
    problems = world.sections[2]
    Section.objects.filter(pk=problems.pk).update(body="")
    client.force_login(world.clerk)
    url = reverse("report_submit", args=[world.report.pk])
    page = _html(client.get(url))
    assert f"/reports/{world.report.pk}/edit/#s{problems.pk}" in page
    assert "二、存在的问题" in page
    response = client.post(url)
    assert response.status_code == 200 and "/edit/#s" in _html(response)
    world.report.refresh_from_db()
    assert world.report.state == Report.State.DRAFT


def test_submit_page_never_says_all_checks_passed_above_a_warning(world, client):
    # Issue 13: an empty optional leaf section is listed as a warning, and the summary counts it.
    blank = Section.objects.create(report=world.report, heading="其他工作", body="", position=99, required=False)
    client.force_login(world.clerk)
    page = _html(client.get(reverse("report_submit", args=[world.report.pk])))
    assert "其他工作" in page and f"#s{blank.pk}" in page
    assert "通过全部检查" not in page
    assert "没有必须解决的问题；1 条提醒。" in page
    assert page.index("hr-warnings") < page.index("hr-check-summary")


def test_submit_page_lists_blocking_problems_then_warnings(world, client):
    Section.objects.create(report=world.report, heading="其他工作", body="", position=99, required=False)
    Section.objects.filter(pk=world.sections[2].pk).update(body="")
    client.force_login(world.clerk)
    page = _html(client.get(reverse("report_submit", args=[world.report.pk])))
    assert page.index("hr-problems") < page.index("hr-warnings") < page.index("hr-check-summary")
    assert "1 个必须解决的问题；1 条提醒。" in page


def test_clerk_submits_through_the_page(world, client):
    client.force_login(world.clerk)
    url = reverse("report_submit", args=[world.report.pk])
    assert '<form method="post"' in _html(client.get(url))
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == reverse("report_history", args=[world.report.pk])
    world.report.refresh_from_db()
    assert world.report.state == S and world.report.versions.count() == 1


@pytest.mark.parametrize(("persona", "status"), [("reviewer", 403), ("other_clerk", 404), ("admin_member", 403)])
def test_only_the_bureau_staff_may_post_a_submit(world, client, persona, status):
    set_state(world.report, R)
    client.force_login(world.people[persona])
    assert client.post(reverse("report_submit", args=[world.report.pk])).status_code == status
    world.report.refresh_from_db()
    assert world.report.state == R


def test_submitting_twice_says_why(world, client):
    set_state(world.report, S)
    client.force_login(world.clerk)
    url = reverse("report_submit", args=[world.report.pk])
    response = client.post(url, follow=True)
    assert any("只有草稿或已退回的报告才能报送" in m for m in _messages(response))
    assert world.report.transitions.count() == 0


# ----- review ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [("reviewer", 200), ("clerk", 403), ("province_reviewer", 404), ("other_reviewer", 404), ("admin_member", 403)],
)
def test_who_may_open_the_review_page(world, client, persona, status):
    set_state(world.report, S)
    client.force_login(world.people[persona])
    assert client.get(reverse("report_review", args=[world.report.pk])).status_code == status


def test_review_page_reads_the_numbered_report(world, client):
    report_submit(report=world.report, acting_user=world.clerk)
    client.force_login(world.reviewer)
    page = _html(client.get(reverse("report_review", args=[world.report.pk])))
    for text in ("一、工作开展情况", "（一）做实基本公共卫生服务", "二、存在的问题", "签约服务覆盖率达60%。"):
        assert text in page
    assert 'name="decision" value="return"' in page and 'name="decision" value="approve"' in page
    assert f'name="section_{world.sections[2].pk}"' in page


def test_return_without_a_comment_is_refused_and_keeps_the_input(world, client):
    report_submit(report=world.report, acting_user=world.clerk)
    client.force_login(world.reviewer)
    field = f"section_{world.sections[2].pk}"
    response = client.post(
        reverse("report_review", args=[world.report.pk]), {"decision": "return", "comment": " ", field: "太笼统。"}
    )
    assert response.status_code == 200
    assert any("必须填写意见" in m for m in _messages(response))
    assert "太笼统。" in _html(response)
    world.report.refresh_from_db()
    assert world.report.state == S


def test_reviewer_returns_two_sections_and_the_clerk_sees_them(world, client):
    report_submit(report=world.report, acting_user=world.clerk)
    client.force_login(world.reviewer)
    child, problems = world.sections[1], world.sections[2]
    response = client.post(
        reverse("report_review", args=[world.report.pk]),
        {
            "decision": "return",
            "comment": "请修改两处。",
            f"section_{child.pk}": "请补充数据来源。",
            f"section_{problems.pk}": "问题写得<太>笼统。",
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("review_overview")
    world.report.refresh_from_db()
    assert world.report.state == R
    assert ReviewComment.objects.filter(report=world.report).count() == 2

    # The clerk's side: the include (used by the editor and the read view) and the history page.
    client.force_login(world.clerk)
    page = _html(client.get(reverse("report_history", args=[world.report.pk])))
    assert "请修改两处。" in page and "请补充数据来源。" in page
    assert "问题写得&lt;太&gt;笼统。" in page  # escaped
    assert f"/reports/{world.report.pk}/edit/#s{problems.pk}" in page
    assert "（一）做实基本公共卫生服务" in page and "二、存在的问题" in page


def test_review_comments_include_renders_with_only_the_report(world):
    report_submit(report=world.report, acting_user=world.clerk)
    report_return(
        report=world.report,
        acting_user=world.reviewer,
        comment="退回。",
        section_comments={world.sections[2].pk: "请具体一些。"},
    )
    world.report.refresh_from_db()
    request = RequestFactory().get("/")
    request.user = world.clerk
    template = engines["django"].from_string('{% include "reports/_review_comments.html" %}')
    html = template.render({"report": world.report}, request)
    assert "退回。" in html and "请具体一些。" in html and f"#s{world.sections[2].pk}" in html
    # A draft that was never returned shows nothing.
    other = Report.objects.create(
        bureau=world.county,
        period=world.report.period.__class__.objects.create(
            year=2026, kind="h1", start="2026-01-01", end="2026-06-30", deadline="2026-07-15"
        ),
        title="x",
    )
    assert template.render({"report": other}, request).strip() == ""


def test_approving_asks_for_confirmation_first(world, client):
    report_submit(report=world.report, acting_user=world.clerk)
    client.force_login(world.reviewer)
    url = reverse("report_review", args=[world.report.pk])
    response = client.post(url, {"decision": "approve", "comment": "同意。"})
    assert response.status_code == 200
    page = _html(response)
    assert "确认审核通过这份报告？" in page and 'name="confirm" value="1"' in page and "同意。" in page
    world.report.refresh_from_db()
    assert world.report.state == S and not Transition.objects.filter(to_state=A).exists()
    assert client.post(url, {"decision": "approve", "comment": "同意。", "confirm": "1"}).status_code == 302
    world.report.refresh_from_db()
    assert world.report.state == A


def test_review_page_has_previous_period_change_mismatches_and_document_links(catalogue, world, client):
    from decimal import Decimal

    from indicators.models import IndicatorDefinition, IndicatorValue
    from reports.selectors.reports import previous_period
    from tests.factories import PeriodFactory, ReportFactory

    definition = IndicatorDefinition.objects.get(slug="fds_coverage")
    IndicatorValue.objects.create(report=world.report, definition=definition, value=Decimal("61.3"))
    Section.objects.filter(pk=world.sections[1].pk).update(body="家庭医生签约服务覆盖率达到58.2%。")
    period = world.report.period
    PeriodFactory(year=period.year - 1, kind=period.kind)
    prev = previous_period(period=period)
    before = ReportFactory(bureau=world.report.bureau, period=prev)
    IndicatorValue.objects.create(report=before, definition=definition, value=Decimal("55.10"))
    set_state(before, A)
    set_state(world.report, S)
    client.force_login(world.reviewer)
    page = _html(client.get(reverse("report_review", args=[world.report.pk])))
    assert "61.3%" in page and "55.1%" in page and "+6.2个百分点" in page and "+6.2%" not in page
    assert '<th class="hr-num">增减</th>' in page  # the change from the previous period, not "修改" (an edit)
    assert "hr-mismatches" in page and "58.2%" in page
    assert reverse("report_pdf", args=[world.report.pk]) in page
    assert reverse("report_docx", args=[world.report.pk]) in page


def test_approve_locks_and_reopen_needs_a_reason(world, client):
    report_submit(report=world.report, acting_user=world.clerk)
    client.force_login(world.reviewer)
    url = reverse("report_review", args=[world.report.pk])
    # Section comments only travel with a return.
    response = client.post(url, {"decision": "approve", f"section_{world.sections[0].pk}": "x"})
    assert response.status_code == 200
    world.report.refresh_from_db()
    assert world.report.state == S
    assert client.post(url, {"decision": "approve", "comment": "同意。", "confirm": "1"}).status_code == 302
    world.report.refresh_from_db()
    assert world.report.state == A
    page = _html(client.get(url))
    assert 'value="reopen"' in page and 'name="section_' not in page
    response = client.post(url, {"decision": "reopen", "reason": ""})
    assert response.status_code == 200
    world.report.refresh_from_db()
    assert world.report.state == A
    response = client.post(url, {"decision": "reopen", "reason": "数据有误。"})
    assert response.status_code == 302
    world.report.refresh_from_db()
    assert world.report.state == R
    assert Transition.objects.filter(report=world.report).last().comment == "数据有误。"


def test_reviewer_sees_what_changed_since_the_last_submission(world, client):
    from decimal import Decimal

    from tests.factories import DefinitionFactory, ValueFactory

    d = DefinitionFactory(slug="population", name_zh="常住人口")
    value = ValueFactory(report=world.report, definition=d, value=Decimal("500000"))
    report_submit(report=world.report, acting_user=world.clerk)
    report_return(report=world.report, acting_user=world.reviewer, comment="改。")
    problems = Section.objects.get(pk=world.sections[2].pk)
    problems.body = "基层人才<严重>不足。"
    problems.save()
    value.value = Decimal("510000")
    value.save()
    report_submit(report=world.report, acting_user=world.clerk)

    client.force_login(world.reviewer)
    page = _html(client.get(reverse("report_review", args=[world.report.pk])))
    assert "<ins>&lt;严重&gt;</ins>" in page  # the added text, escaped
    assert "二、存在的问题" in page
    assert "500,000" in page and "510,000" in page and "常住人口" in page
    assert "上次退回时的意见" not in page or "改。" in page


def test_a_first_submission_has_nothing_to_compare(world, client):
    report_submit(report=world.report, acting_user=world.clerk)
    client.force_login(world.reviewer)
    page = _html(client.get(reverse("report_review", args=[world.report.pk])))
    assert "<ins>" not in page and "首次报送" in page


# ----- history ---------------------------------------------------------------------------------


def test_history_lists_the_trail_and_compares_edits(world, client):
    section = Section.objects.get(pk=world.sections[2].pk)
    section.body = "基层人才不足，全科医生缺口大。"
    section.save()
    report_submit(report=world.report, acting_user=world.clerk)
    report_approve(report=world.report, acting_user=world.reviewer, comment="同意上报。")
    client.force_login(world.clerk)
    url = reverse("report_history", args=[world.report.pk])
    page = _html(client.get(url))
    assert "同意上报。" in page and "第 1 版" in page
    records = list(section.history.order_by("history_id"))
    assert f"a={records[0].history_id}&amp;b={records[1].history_id}" in page
    page = _html(client.get(url, {"kind": "section", "a": records[0].history_id, "b": records[1].history_id}))
    assert "<ins>，全科医生缺口大</ins>" in page


def test_history_refuses_records_of_another_report(world, client):
    from tests.factories import SectionFactory

    foreign = SectionFactory()
    foreign.body = "x"
    foreign.save()
    ids = list(foreign.history.values_list("history_id", flat=True))
    client.force_login(world.clerk)
    response = client.get(
        reverse("report_history", args=[world.report.pk]), {"kind": "section", "a": ids[0], "b": ids[1]}
    )
    assert response.status_code == 200 and response.context["compared"] is None


def test_history_is_hidden_from_those_who_cannot_see_the_report(world, client):
    client.force_login(world.other_clerk)
    assert client.get(reverse("report_history", args=[world.report.pk])).status_code == 404


# ----- navigation ------------------------------------------------------------------------------


def test_review_link_only_for_reviewers(world, client):
    overview = reverse("review_overview")
    client.force_login(world.reviewer)
    assert f'href="{overview}"' in _html(client.get(reverse("home")))
    client.force_login(world.clerk)
    assert f'href="{overview}"' not in _html(client.get(reverse("home")))


# ----- queries do not grow with the report's size ----------------------------------------------


def _grow(report, sections: int, values: int, user, tag: str) -> None:
    from decimal import Decimal

    from tests.factories import DefinitionFactory, SectionFactory, ValueFactory

    root = Section.objects.filter(report=report, parent=None).first()
    for i in range(sections):
        s = SectionFactory(report=report, parent=root, position=10 + i, body=f"第{i}段。")
        s.body += "补充。"
        s.save()  # one more history record each
    for i in range(values):
        ValueFactory(report=report, definition=DefinitionFactory(slug=f"grow_{tag}_{i}"), value=Decimal(i))


def _count(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("page", ["report_review", "report_history"])
def test_review_and_history_queries_do_not_grow_with_the_report(world, client, page):
    report = world.report
    report_submit(report=report, acting_user=world.clerk)
    report_return(
        report=report, acting_user=world.reviewer, comment="改。", section_comments={world.sections[2].pk: "x"}
    )
    _grow(report, 2, 2, world.clerk, "a")
    report_submit(report=report, acting_user=world.clerk)
    client.force_login(world.reviewer)
    url = reverse(page, args=[report.pk])
    small = _count(client, url)
    report_return(report=report, acting_user=world.reviewer, comment="再改。")
    _grow(report, 30, 20, world.clerk, "b")
    report_submit(report=report, acting_user=world.clerk)
    assert _count(client, url) == small


def test_a_changed_number_reads_old_to_new_not_as_a_character_diff(catalogue, world):
    from decimal import Decimal

    from indicators.models import IndicatorDefinition, IndicatorValue
    from reports.selectors.review import history_compare

    value = IndicatorValue.objects.create(
        report=world.report, definition=IndicatorDefinition.objects.get(slug="fds_coverage"), value=Decimal("70.34")
    )
    value.value = Decimal("94.04")
    value.save()
    a, b = sorted(value.history.values_list("history_id", flat=True))
    _old, _new, diffs = history_compare(report=world.report, kind="value", a=a, b=b)
    html = next(d.html for d in diffs if "70" in d.html)
    assert html == "70.34 → <ins>94.04</ins>"


def test_comments_sit_beside_their_section_and_the_clerk_marks_them_resolved(world, client):
    from reports.models import AuditEvent

    flagged = world.sections[2]
    report_submit(report=world.report, acting_user=world.clerk)
    report_return(
        report=world.report,
        acting_user=world.reviewer,
        comment="改。",
        section_comments={flagged.pk: "请写明数字来源。"},
    )
    comment = ReviewComment.objects.get(section=flagged)
    client.force_login(world.clerk)
    page = _html(client.get(reverse("report_edit", args=[world.report.pk])))
    article = page[page.index(f'id="s{flagged.pk}"') :]
    article = article[: article.index("</article>")]
    assert "请写明数字来源。" in article and f'name="comment" value="{comment.pk}"' in article

    url = reverse("comment_mark", args=[world.report.pk])
    response = client.post(url, {"comment": comment.pk, "resolved": "1"})
    assert response.status_code == 302 and response["Location"].endswith(f"#s{flagged.pk}")
    comment.refresh_from_db()
    assert comment.marked_resolved
    assert AuditEvent.objects.filter(action="comment_mark", report=world.report, actor=world.clerk).exists()
    submit_page = _html(client.get(reverse("report_submit", args=[world.report.pk])))
    assert "已解决" in submit_page

    report_submit(report=world.report, acting_user=world.clerk)
    client.force_login(world.reviewer)
    review_page = _html(client.get(reverse("report_review", args=[world.report.pk])))
    assert "填报单位已标记解决" in review_page
    # the reviewer cannot set the bureau's mark, and a dealt-with comment is no longer open
    assert client.post(url, {"comment": comment.pk, "resolved": "0"}).status_code == 403
    comment.refresh_from_db()
    assert comment.marked_resolved


def test_a_comment_on_a_value_sits_beside_its_grid_row_and_on_the_submit_page(catalogue, world, client):
    """Issue 13: a reviewer's comment on one indicator value is drawn right under that value's row
    in the editor's grid (not only in the panel at the top), and in the submit page's list beside
    the indicator and its value, each with the mark the clerk sets and the reviewer then sees."""
    from decimal import Decimal

    from indicators.models import IndicatorDefinition, IndicatorValue

    definition = IndicatorDefinition.objects.get(slug="fds_coverage")
    IndicatorValue.objects.create(report=world.report, definition=definition, value=Decimal("61.30"))
    set_state(world.report, Report.State.SUBMITTED)  # (the catalogue's required values are not all given)
    report_return(
        report=world.report,
        acting_user=world.reviewer,
        comment="改。",
        indicator_comments={"fds_coverage": "比上年高出很多，请核实。"},
    )
    comment = ReviewComment.objects.get(indicator=definition)
    client.force_login(world.clerk)
    page = _html(client.get(reverse("report_edit", args=[world.report.pk]) + "?tab=indicators"))
    row = page[page.index('id="i-fds_coverage"') :]
    row = row[: row.index('<tr id="i-', 1)]  # the value's row and the rows under it, up to the next value
    button = f'name="comment" value="{comment.pk}"'
    assert "比上年高出很多，请核实。" in row and button in row and f'form="hr-mark-{comment.pk}"' in row
    assert page.count(button) == 1  # the panel at the top names it but has no second mark
    grid_end = page.index("</form>", page.index('class="hr-grid-form"'))
    assert page.index(f'<form id="hr-mark-{comment.pk}"') > grid_end  # forms do not nest

    url = reverse("comment_mark", args=[world.report.pk])
    response = client.post(url, {"comment": comment.pk, "resolved": "1"})
    assert response["Location"].endswith("?tab=indicators#i-fds_coverage")
    comment.refresh_from_db()
    assert comment.marked_resolved

    submit_page = _html(client.get(reverse("report_submit", args=[world.report.pk])))
    item = submit_page[submit_page.index("家庭医生签约服务覆盖率") :]
    item = item[: item.index("</li>")]
    assert "本期 61.3%" in item and "比上年高出很多，请核实。" in item and "已解决" in item
    assert button in item and 'name="back" value="submit"' in item
    response = client.post(url, {"comment": comment.pk, "resolved": "0", "back": "submit"})
    assert response["Location"] == reverse("report_submit", args=[world.report.pk]) + f"#c{comment.pk}"
    client.post(url, {"comment": comment.pk, "resolved": "1"})

    set_state(world.report, Report.State.SUBMITTED)
    client.force_login(world.reviewer)
    review_page = _html(client.get(reverse("report_review", args=[world.report.pk])))
    row = review_page[review_page.index('id="indicator-fds_coverage"') :]
    row = row[: row.index("</tr>")]
    assert "比上年高出很多，请核实。" in row and "填报单位已标记解决" in row


def test_marking_an_unknown_comment_says_so_and_changes_nothing(world, client):
    client.force_login(world.clerk)
    response = client.post(
        reverse("comment_mark", args=[world.report.pk]), {"comment": "999", "resolved": "1"}, follow=True
    )
    assert "该报告没有这条待处理的审核意见。" in _messages(response)
