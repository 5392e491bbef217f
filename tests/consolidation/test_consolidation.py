"""Issue 17: a city writes its own report from its counties' reports — the workspace, taking passages
over (with their source kept, the official document clean), search, the stale-source marker."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from pypdf import PdfReader

from reports.models import AuditEvent, Bureau, Membership, PassageSource, Report, ReportingPeriod, Section, Topic
from reports.rendering.formats import report_docx, report_pdf
from reports.selectors.consolidation import source_notes, topic_of
from reports.services import ConflictError, ServiceError
from reports.services.consolidation import PassageRef, passages_take
from reports.services.reports import report_create
from reports.services.workflow import report_reopen

pytestmark = pytest.mark.django_db

WORK = "做实基本公共卫生服务"  # a work-done section every demo county has


@pytest.fixture
def city(demo):
    """宣城市's own report for last year (its counties: 宣州区 and 广德市 approved, 郎溪县 submitted)."""
    period = ReportingPeriod.objects.order_by("year").first()
    bureau = Bureau.objects.get(code="341800")
    clerk = Membership.objects.get(bureau=bureau, role="staff").user
    report = report_create(bureau=bureau, period=period, acting_user=clerk, carry_over_plan=False)
    return report


def users(name):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=name)


def child_section(code: str, city: Report, heading: str = WORK) -> Section:
    return Section.objects.get(report__bureau__code=code, report__period=city.period, heading=heading)


def target(city: Report) -> Section:
    return Section.objects.get(report=city, parent=None, kind=Section.Kind.WORK_DONE)


def take(city, refs, *, user="xuancheng_staff", as_list=False, section=None):
    section = section or target(city)
    return passages_take(
        report=city, acting_user=users(user), target=section, version=section.version, refs=refs, as_list=as_list
    )


# ----- access --------------------------------------------------------------------------------------


def test_clerks_act_reviewers_read_others_are_kept_out(city, login):
    url = reverse("report_consolidate", args=[city.pk])
    page = login("xuancheng_staff").get(url)
    assert page.status_code == 200
    assert 'name="p"' in page.content.decode() and "宣州区卫生健康委员会" in page.content.decode()
    page = login("xuancheng_reviewer").get(url)  # the city's reviewer reads, without the take-over form
    assert page.status_code == 200 and 'name="p"' not in page.content.decode()
    assert login("xuanzhou_staff").get(url).status_code == 404  # a county does not see the city's report
    assert login("wuhu_staff").get(url).status_code == 404
    assert login("anhui_reviewer").get(url).status_code == 404  # the city's draft is its own


def test_a_reviewer_cannot_take_over(city, login):
    source = child_section("341802", city)
    section = target(city)
    response = login("xuancheng_reviewer").post(
        reverse("consolidate_take", args=[city.pk]),
        {"target": section.pk, f"v-{section.pk}": section.version, "p": f"{source.pk}:0"},
    )
    assert response.status_code == 403
    assert not PassageSource.objects.exists()


# ----- taking a passage over -----------------------------------------------------------------------


def test_take_a_paragraph_keeps_its_source_and_the_document_stays_clean(city, login):
    source = child_section("341802", city)
    section = target(city)
    before = section.version
    client = login("xuancheng_staff")
    response = client.post(
        reverse("consolidate_take", args=[city.pk]),
        {"target": section.pk, f"v-{section.pk}": section.version, "p": f"{source.pk}:0", "mode": "each"},
    )
    assert response.status_code == 302
    section.refresh_from_db()
    assert section.paragraphs[-1] == source.paragraphs[0]
    assert section.version == before + 1
    link = PassageSource.objects.get(section=section)
    assert (link.source_bureau.code, link.source_report_id, link.source_section_id) == (
        "341802",
        source.report_id,
        source.pk,
    )
    assert link.source_version == source.version and link.paragraph == 0
    event = AuditEvent.objects.get(action="passage_take", report=city)
    assert event.detail["sources"][0]["section"] == source.pk
    # the history records where it came from
    assert "宣州区" in section.history.first().history_change_reason
    assert "宣州区" in client.get(reverse("report_history", args=[city.pk])).content.decode()
    # the editor shows the margin note
    editor = client.get(reverse("report_edit", args=[city.pk])).content.decode()
    assert "hr-source-note" in editor and source.report.title in editor
    # the official document does not
    source_title = source.report.title
    html = client.get(reverse("report_detail", args=[city.pk])).content.decode()
    assert source.paragraphs[0] in html and source_title not in html and "hr-source-note" not in html
    pdf_text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(report_pdf(report=city))).pages)
    assert "签约服务延伸到村卫生室" in pdf_text.replace("\n", "")
    assert source_title not in pdf_text.replace("\n", "") and "版本" not in pdf_text
    assert source_title.encode() not in report_docx(report=city)  # (docx is zipped; the text check is below)
    from docx import Document

    docx_text = "\n".join(p.text for p in Document(io.BytesIO(report_docx(report=city))).paragraphs)
    assert source.paragraphs[0] in docx_text and source_title not in docx_text


def test_several_counties_taken_together_as_a_list(city):
    xuanzhou, guangde = child_section("341802", city), child_section("341882", city)
    saved = take(city, [PassageRef(xuanzhou.pk, 0), PassageRef(guangde.pk, 0)], as_list=True)
    last = saved.paragraphs[-1]
    assert last.startswith("宣州区以家庭医生团队为抓手") and "；广德市以家庭医生团队为抓手" in last
    assert last.endswith("；") and last.count("；") == 2
    assert PassageSource.objects.filter(section=saved).count() == 2


def test_a_whole_section_with_its_subsections(city):
    source = child_section("341802", city)
    saved = take(city, [PassageRef(source.pk, None)])
    assert "签约服务提质扩面。组建家庭医生团队" in saved.body  # a subsection's heading and text
    assert PassageSource.objects.get(section=saved).paragraph is None


def test_a_submitted_childs_text_may_be_taken(city):
    langxi = child_section("341821", city)
    assert langxi.report.state == Report.State.SUBMITTED
    assert take(city, [PassageRef(langxi.pk, 1)]).paragraphs[-1] == langxi.paragraphs[1]


@pytest.mark.parametrize(
    "where",
    [
        "draft child",  # this year's 宣州区 report is a draft
        "other city",  # 芜湖's county
        "own report",
    ],
)
def test_refused_sources_change_nothing(city, where):
    if where == "draft child":
        source = Section.objects.get(report__bureau__code="341802", report__state="draft", heading=WORK)
    elif where == "other city":
        source = child_section("340202", city)
    else:
        source = Section.objects.filter(report=city).exclude(pk=target(city).pk).first()
    section = target(city)
    with pytest.raises(ServiceError, match="未采用任何文字|Nothing was taken over"):
        take(city, [PassageRef(source.pk, 0)], section=section)
    assert Section.objects.get(pk=section.pk).version == section.version
    assert not PassageSource.objects.exists()


def test_a_stale_version_is_refused(city):
    section = target(city)
    stale = section.version
    take(city, [PassageRef(child_section("341802", city).pk, 0)])
    with pytest.raises(ConflictError):
        passages_take(
            report=city,
            acting_user=users("xuancheng_staff"),
            target=section,
            version=stale,
            refs=[PassageRef(child_section("341882", city).pk, 0)],
        )
    assert PassageSource.objects.count() == 1


def test_bad_input_gets_a_chinese_message(city, login):
    section = target(city)
    client = login("xuancheng_staff")
    response = client.post(
        reverse("consolidate_take", args=[city.pk]),
        {"target": section.pk, f"v-{section.pk}": section.version, "p": "x:y"},
        follow=True,
    )
    assert response.status_code == 200 and "重新" in response.content.decode()
    response = client.post(reverse("consolidate_take", args=[city.pk]), {"target": section.pk}, follow=True)
    assert "勾选" in response.content.decode()
    assert Section.objects.get(pk=section.pk).version == section.version


def test_approved_parent_report_cannot_take(city):
    Report.objects.filter(pk=city.pk).update(state=Report.State.APPROVED)
    city.refresh_from_db()
    with pytest.raises(PermissionDenied):  # approved is locked
        take(city, [PassageRef(child_section("341802", city).pk, 0)])


# ----- grouping, figures ---------------------------------------------------------------------------


def test_passages_grouped_by_kind_and_topic_and_topics_are_data(city):
    from reports.selectors.consolidation import passages_by_kind, source_reports

    reports = source_reports(user=users("xuancheng_staff"), report=city, include_submitted=True)
    kinds = {k.kind: k for k in passages_by_kind(reports=reports)}
    assert list(kinds) == ["work_done", "problems", "plan"]
    topics = {t.name: t for t in kinds["work_done"].topics}
    assert topics["妇幼"].bureau_count == 3  # 守牢妇幼健康底线 of each county, side by side
    assert {p.section.heading for p in topics["妇幼"].passages} == {"守牢妇幼健康底线"}
    assert {t.name for t in kinds["plan"].topics} >= {"医改", "人才"}
    all_topics = list(Topic.objects.all())
    assert topic_of("深化县域医共体建设", all_topics) == "医改"
    Topic.objects.create(name="爱卫", words="爱国卫生、病媒", position=0)  # topics are data
    assert topic_of("开展爱国卫生运动，清除病媒孳生地", list(Topic.objects.all())) == "爱卫"


def test_not_reported_and_submitted_marked(city, login):
    Report.objects.filter(bureau__code="341882", period=city.period).update(state="draft")
    client = login("xuancheng_staff")
    html = client.get(reverse("report_consolidate", args=[city.pk])).content.decode()
    who = html.split("hr-who")[1].split('role="search"')[0]
    assert "尚未报送：</strong> 广德市卫生健康委员会" in who
    assert "郎溪县卫生健康委员会" in who  # offered: also show the submitted one
    assert 'data-bureau="341821"' not in html  # submitted: not shown by default
    html = client.get(reverse("report_consolidate", args=[city.pk]) + "?submitted=1").content.decode()
    assert 'hr-passage hr-passage-submitted" data-bureau="341821"' in html
    assert "已报送，待审核" in html


def test_a_taken_over_figure_is_checked_against_the_rollup(city, login):
    take(city, [PassageRef(child_section("341802", city).pk, 0)])  # 宣州区's coverage rate
    html = login("xuancheng_staff").get(reverse("report_consolidate", args=[city.pk])).content.decode()
    figures = html.split('id="figures"')[1]
    assert "家庭医生签约服务覆盖率" in figures.split("alert-warning")[1]
    assert "indicators/rollup/pull" in figures  # the roll-up offered, with what would change
    assert "家庭医生签约服务覆盖率" in figures.split("<table")[1]
    client = login("xuancheng_staff")
    response = client.post(reverse("indicators:rollup_pull", args=[city.pk]), {"back": "consolidate"})
    assert response["Location"] == reverse("report_consolidate", args=[city.pk])
    assert city.values.filter(definition__slug="fds_coverage").exists()
    html = client.get(reverse("report_consolidate", args=[city.pk])).content.decode()
    assert "本单位指标表已与汇总数一致" in html


# ----- search ---------------------------------------------------------------------------------------


def test_search_only_in_readable_reports_highlighted_by_bureau(city, login):
    url = reverse("report_consolidate", args=[city.pk])
    html = login("xuancheng_staff").get(url, {"q": "医共体"}).content.decode()
    hits = html.split('id="hits-h"')[1].split("</section>")[0]
    assert "<mark>医共体</mark>" in hits
    assert "宣州区卫生健康委员会" in hits and "郎溪县卫生健康委员会" in hits
    assert "镜湖区" not in hits and "南陵县" not in hits  # another city's counties wrote the same
    current_draft = Report.objects.get(bureau__code="341802", state="draft")
    assert current_draft.title not in hits  # a county's draft is its own
    from reports.selectors.consolidation import search_texts

    own = search_texts(user=users("xuanzhou_staff"), query="医共体")
    assert {g.bureau.code for g in own} == {"341802"}
    assert search_texts(user=users("xuanzhou_staff"), query="   ") == []
    assert search_texts(user=users("xuancheng_staff"), query="100%_") == []  # LIKE wildcards are literal


# ----- staying current -------------------------------------------------------------------------------


def test_stale_source_when_the_child_changes_or_is_reopened(city, login):
    xuanzhou, guangde = child_section("341802", city), child_section("341882", city)
    take(city, [PassageRef(xuanzhou.pk, 0)])
    take(city, [PassageRef(guangde.pk, 0)])
    notes = [n for ns in source_notes(report=city).values() for n in ns]
    assert [n.stale for n in notes] == [False, False]
    report_reopen(report=guangde.report, acting_user=users("xuancheng_reviewer"), reason="数据需核实")
    Section.objects.filter(pk=xuanzhou.pk).update(version=xuanzhou.version + 1)  # e.g. the admin corrected it
    by_code = {n.link.source_bureau.code: n for ns in source_notes(report=city).values() for n in ns}
    assert by_code["341882"].stale and by_code["341882"].reopened
    assert by_code["341802"].stale and not by_code["341802"].reopened
    client = login("xuancheng_staff")
    html = client.get(reverse("report_consolidate", args=[city.pk])).content.decode()
    assert "hr-source-stale" in html
    assert "hr-source-stale" in client.get(reverse("report_edit", args=[city.pk])).content.decode()


# ----- query counts -----------------------------------------------------------------------------------


def _city_with_children(n: int, period: ReportingPeriod) -> Report:
    city = Bureau.objects.create(code=f"5{n:02d}100", name=f"测试{n}市卫生健康委员会", level="city")
    clerk = users("xuancheng_staff")
    Membership.objects.create(user=clerk, bureau=city, role="staff")
    for i in range(n):
        county = Bureau.objects.create(
            code=f"5{n:02d}2{i:02d}", name=f"测试{n}-{i}县卫生健康局", level="county", parent=city
        )
        report = Report.objects.create(bureau=county, period=period, title=f"{county.name}总结")
        top = Section.objects.create(
            report=report, kind="work_done", heading="工作开展情况", position=1, body="总体良好。"
        )
        Section.objects.create(
            report=report,
            parent=top,
            kind="work_done",
            heading="医共体",
            position=1,
            body="推进医共体建设。\n家庭医生签约。",
        )
    Report.objects.filter(bureau__parent=city).update(state="approved")
    own = Report.objects.create(bureau=city, period=period, title=f"{city.name}总结")
    Section.objects.create(report=own, kind="work_done", heading="工作开展情况", position=1)
    return own


def test_workspace_queries_do_not_grow_with_the_children(demo, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    period = ReportingPeriod.objects.order_by("year").first()
    client.force_login(users("xuancheng_staff"))
    counts = []
    for n in (3, 30):
        own = _city_with_children(n, period)
        url = reverse("report_consolidate", args=[own.pk])
        client.get(url)  # warm the session and caches
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, {"q": "医共体", "submitted": "1"})
        assert response.status_code == 200
        assert response.content.decode().count("hr-passage-head") == 2 * n
        counts.append(len(ctx))
    assert counts[0] == counts[1], counts
