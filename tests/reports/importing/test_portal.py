"""The portal defects of issue 14: the title is offered, not imposed; the opening paragraphs are
the report's lead, not a numbered chapter; required parts stay and the submit checks ask for
them by kind; encodings are told apart or refused; limits are stated."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reports.importing.service import report_import, text_parse
from reports.models import AuditEvent, Report, Section
from reports.rendering.document import build_document
from reports.selectors.checks import submission_problems
from reports.services.editing import head_fingerprint
from tests.factories import ReportFactory, SectionFactory

from . import copies, texts

# A report with work done only: no problems part, no plan part.
WORK_ONLY = """青山县卫生健康局2020年工作总结
2020年，我局全力做好疫情防控和卫生健康各项工作。
一、全力抓好疫情防控
全年开展核酸检测12万人次。
二、持续推进医改
县域医共体建设全面推开。
"""


def _report(bureau_clerk, title="青山县卫生健康局2024年工作总结（草稿）"):
    bureau, clerk, period = bureau_clerk
    report = ReportFactory(bureau=bureau, period=period, title=title)
    SectionFactory(report=report, heading="骨架部分")
    return report, clerk


# ----- 1. the title is offered, not imposed -------------------------------------------------------


def test_an_import_keeps_the_reports_title_unless_the_clerk_chooses_the_found_one(bureau_clerk):
    report, clerk = _report(bureau_clerk)
    doc = text_parse(text=texts.WEB).documents[0]
    report_import(bureau=report.bureau, period=report.period, outline_document=doc, acting_user=clerk)
    assert Report.objects.get(pk=report.pk).title == "青山县卫生健康局2024年工作总结（草稿）"
    report_import(
        bureau=report.bureau, period=report.period, outline_document=doc, acting_user=clerk, replace_title=True
    )
    assert Report.objects.get(pk=report.pk).title == "绿水区卫健委2023年上半年工作总结"


def test_a_new_report_from_an_import_gets_the_standard_title(bureau_clerk):
    bureau, clerk, period = bureau_clerk
    doc = text_parse(text=texts.WEB).documents[0]
    saved = report_import(bureau=bureau, period=period, outline_document=doc, acting_user=clerk)
    assert saved.report.title == "青山县卫生健康局2024年工作总结"


def test_the_preview_offers_the_title_and_the_confirm_applies_the_choice(bureau_clerk, login):
    report, clerk = _report(bureau_clerk)
    client = login(clerk)
    url = reverse("report_import", args=[report.pk])
    client.post(url, {"action": "preview", "text": copies.ARTICLE})
    page = client.get(url + "?step=preview")
    html = page.content.decode()
    assert 'name="title" value="keep"' in html and 'name="title" value="found"' in html
    assert "杏花区卫健局2022年工作总结" in html
    # the lead, and the furniture left out (collapsed) for the clerk to check
    assert 'value="p"' in html and "扎实推进各项工作" in html
    assert "<details" in html and "加入收藏" in html.split("<details", 1)[1]
    form = {"action": "confirm", "digest": page.context["digest"], "document": "1", "section": ["p", "0", "0.0", "1"]}
    client.post(url, {**form, "title": "keep"})
    assert Report.objects.get(pk=report.pk).title == "青山县卫生健康局2024年工作总结（草稿）"
    client.post(url, {"action": "preview", "text": copies.ARTICLE})
    client.post(url, {**form, "title": "found"})
    assert Report.objects.get(pk=report.pk).title == "杏花区卫健局2022年工作总结"


def test_the_editor_edits_the_title_and_the_lead(bureau_clerk, login):
    report, clerk = _report(bureau_clerk)
    client = login(clerk)
    page = client.get(reverse("report_edit", args=[report.pk]))
    assert 'name="head-title"' in page.content.decode() and 'name="head-lead"' in page.content.decode()
    seen = head_fingerprint(report=report)
    url = reverse("report_head_save", args=[report.pk])
    response = client.post(
        url, {"head-title": " 新的 标题 ", "head-lead": "第一段导语。\r\n第二段导语。", "head-seen": seen}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.title, report.lead) == ("新的 标题", "第一段导语。\n第二段导语。")
    assert AuditEvent.objects.filter(report=report, action="report_head_save").exists()
    # someone else's save in between: refused, and the clerk's typing stays on the page
    response = client.post(url, {"head-title": "我的标题", "head-lead": "我写的导语。", "head-seen": seen})
    assert response.status_code == 409 and "我写的导语。" in response.content.decode()
    # an empty title is refused and changes nothing
    seen = head_fingerprint(report=report)
    response = client.post(url, {"head-title": "  ", "head-lead": "x", "head-seen": seen})
    assert response.status_code == 400
    report.refresh_from_db()
    assert report.title == "新的 标题"


# ----- 2. the opening paragraphs are the lead -----------------------------------------------------


def test_the_opening_paragraphs_become_the_lead_and_chapters_keep_their_numbers(bureau_clerk, login):
    report, clerk = _report(bureau_clerk)
    doc = text_parse(text=texts.SIMPLE).documents[0]
    report_import(bureau=report.bureau, period=report.period, outline_document=doc, acting_user=clerk)
    report.refresh_from_db()
    assert report.lead == "今年以来，我局围绕年度目标，扎实推进各项工作，现总结如下。"
    assert not Section.objects.filter(report=report, heading="前言").exists()
    document = build_document(report=report)
    assert document.lead == ("今年以来，我局围绕年度目标，扎实推进各项工作，现总结如下。",)
    assert [(s.number, s.heading) for s in document.sections][0] == ("一、", "2024年工作开展情况")
    html = login(clerk).get(reverse("report_detail", args=[report.pk])).content.decode()
    assert html.index("现总结如下") < html.index("2024年工作开展情况")


def test_unticking_the_lead_leaves_it_empty(bureau_clerk):
    from reports.importing.service import ImportSelection

    report, clerk = _report(bureau_clerk)
    Report.objects.filter(pk=report.pk).update(lead="旧导语。")
    doc = text_parse(text=texts.SIMPLE).documents[0]
    report_import(
        bureau=report.bureau,
        period=report.period,
        outline_document=doc,
        acting_user=clerk,
        selected=ImportSelection(sections={"0", "1", "2"}),
    )
    assert Report.objects.get(pk=report.pk).lead == ""


# ----- 3. required parts stay, and the checks ask for them by kind --------------------------------


def test_required_parts_the_text_lacks_stay_in_the_report_and_block_the_submit(bureau_clerk):
    report, clerk = _report(bureau_clerk)
    doc = text_parse(text=WORK_ONLY).documents[0]
    report_import(bureau=report.bureau, period=report.period, outline_document=doc, acting_user=clerk)
    tops = list(Section.objects.filter(report=report, parent=None).order_by("position"))
    assert [(s.kind, s.required, bool(s.body)) for s in tops] == [
        ("work_done", True, True),
        ("work_done", True, True),
        ("problems", True, False),
        ("plan", True, False),
    ]
    found = [p.code for p in submission_problems(report=report) if p.blocking]
    assert found.count("section_empty") == 2


def test_a_required_kind_is_satisfied_by_any_section_of_that_kind(bureau_clerk):
    report, clerk = _report(bureau_clerk)
    Section.objects.filter(report=report).delete()
    SectionFactory(report=report, position=1, kind="work_done", heading="工作情况", body="做了工作。")
    SectionFactory(report=report, position=2, kind="problems", heading="存在的问题", body="", required=True)
    SectionFactory(report=report, position=3, kind="problems", heading="问题与不足", body="人手不足。")
    SectionFactory(report=report, position=4, kind="plan", heading="下一步计划", body="继续努力。")
    assert [p.code for p in submission_problems(report=report) if p.code.startswith(("section", "part"))] == []


def test_a_required_kind_with_no_section_at_all_is_a_problem(bureau_clerk):
    report, clerk = _report(bureau_clerk)
    Section.objects.filter(report=report).delete()
    SectionFactory(report=report, position=1, kind="work_done", heading="工作情况", body="做了工作。")
    codes = [p.code for p in submission_problems(report=report)]
    assert codes.count("part_missing") == 2  # problems and plan, asked for by the skeleton


# ----- 4. encodings and limits ---------------------------------------------------------------------


def _preview(client, report, **data):
    return client.post(reverse("report_import", args=[report.pk]), {"action": "preview", **data})


def test_big5_and_gb18030_files_are_told_apart(bureau_clerk, login):
    report, clerk = _report(bureau_clerk)
    client = login(clerk)
    text = "玉泉區衛生健康局2023年度工作總結\n一、工作開展情況\n全區孕產婦系統管理率達到92.5%。\n"
    for encoding in ("big5", "gb18030", "utf-16"):
        response = _preview(client, report, file=SimpleUploadedFile("old.txt", text.encode(encoding)))
        assert response.status_code == 302, encoding
        assert client.session[f"report_import:{report.pk}"]["text"] == text, encoding


def test_a_shift_jis_file_is_refused_with_a_clear_message(bureau_clerk, login):
    report, clerk = _report(bureau_clerk)
    text = "令和4年度の事業報告書です。健康福祉部の取り組みについてご説明いたします。ありがとうございました。"
    response = _preview(login(clerk), report, file=SimpleUploadedFile("jp.txt", text.encode("shift_jis")))
    assert response.status_code == 200
    [error] = response.context["form"].non_field_errors()
    assert "SHIFT-JIS" in error and "UTF-8" in error
    assert f"report_import:{report.pk}" not in login(clerk).session


def test_traditional_is_converted_only_when_the_clerk_asks(bureau_clerk, login):
    report, clerk = _report(bureau_clerk)
    client = login(clerk)
    url = reverse("report_import", args=[report.pk])
    _preview(client, report, text=copies.TRADITIONAL)
    page = client.get(url + "?step=preview")
    assert page.context["doc"].traditional and "工作開展情況" in page.content.decode()
    assert 'value="simplify"' in page.content.decode()
    client.post(url, {"action": "simplify"})
    page = client.get(url + "?step=preview")
    assert not page.context["doc"].traditional and "工作开展情况" in page.content.decode()
    _preview(client, report, text=copies.TRADITIONAL, simplify="on")
    assert client.get(url + "?step=preview").context["doc"].title == "2023年度工作总结"


def test_an_import_is_capped_with_a_clear_message(bureau_clerk, login, settings):
    report, clerk = _report(bureau_clerk)
    settings.IMPORT_MAX_CHARS = 100
    response = _preview(login(clerk), report, text="一、工作情况\n" + "全年完成各项工作。" * 20)
    [error] = response.context["form"].non_field_errors()
    assert "100" in error and "187" in error


def test_a_part_longer_than_a_section_may_be_is_refused_and_nothing_changes(bureau_clerk, settings):
    report, clerk = _report(bureau_clerk)
    settings.REPORT_SECTION_MAX_CHARS = 20
    doc = text_parse(text="一、工作情况\n" + "全年完成各项工作。" * 5).documents[0]
    try:
        report_import(bureau=report.bureau, period=report.period, outline_document=doc, acting_user=clerk)
    except Exception as exc:
        assert "20" in str(exc) and "45" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("not refused")
    assert list(Section.objects.filter(report=report).values_list("heading", flat=True)) == ["骨架部分"]


def test_the_preview_of_the_largest_text_stays_small(bureau_clerk, login, settings):
    settings.REPORT_MAX_SECTIONS = 2000  # the per-report cap (300 by default) is tested on its own
    report, clerk = _report(bureau_clerk)
    client = login(clerk)
    paragraph = (
        "（一）基层服务。全县开展家庭医生签约服务，签约服务覆盖率达到70%，群众满意度不断提高，各项工作稳步推进。\n"
    )
    text = "一、工作情况\n" + paragraph * 1500  # 1,500 sections (bench/import_text.py: the largest text)
    _preview(client, report, text=text)
    page = client.get(reverse("report_import", args=[report.pk]) + "?step=preview")
    assert page.status_code == 200
    assert len(page.content) < 800_000  # bounded whatever the text: a 3.7 MB text once made 42 MB of HTML
    assert page.context["outline"].children[0].more > 1000  # shown up to a budget, the rest kept whole
    assert len(page.context["figures"]) == 300
    form = {"action": "confirm", "digest": page.context["digest"], "document": "1", "title": "keep"}
    shown = [c.key for c in page.context["outline"].children[0].children]
    rest = {"rest": [f"0:{len(shown)}"], "figures_from": page.context["figures_from"]}
    client.post(reverse("report_import", args=[report.pk]), {**form, "section": ["0", *shown], **rest})
    assert Section.objects.filter(report=report, parent__isnull=False).count() == 1500
    assert report.values.get().definition.slug == "fds_coverage"


def test_an_import_past_the_report_limits_is_refused_whole(bureau_clerk, login, settings):
    settings.REPORT_MAX_SECTIONS = 20
    report, clerk = _report(bureau_clerk)
    client = login(clerk)
    text = "一、工作情况\n" + "".join(f"（{i}）第{i}项工作。本项工作按计划推进。\n" for i in range(1, 40))
    _preview(client, report, text=text)
    page = client.get(reverse("report_import", args=[report.pk]) + "?step=preview")
    shown = [c.key for c in page.context["outline"].children[0].children]
    form = {"action": "confirm", "digest": page.context["digest"], "document": "1", "title": "keep"}
    answer = client.post(reverse("report_import", args=[report.pk]), {**form, "section": ["0", *shown]}, follow=True)
    assert "20" in answer.content.decode()  # the limit is named in the message
    assert list(Section.objects.filter(report=report).values_list("heading", flat=True)) == ["骨架部分"]
