"""Finding the report in real-looking copies: one class of furniture or damage per test (the
texts are in copies.py, written for the tests). Pure parser tests: no database."""

import pytest

from reports.importing.body import find_body, is_date, is_org, is_prose
from reports.importing.outline import parse_text

from . import copies, texts

CATALOGUE = texts.catalogue()


def parse(text: str, **kwargs):
    return parse_text(text, CATALOGUE, **kwargs).documents[0]


def tops(doc) -> list[tuple[str, str, str]]:
    return [(s.number, s.heading, s.kind) for s in doc.sections]


def body_text(doc) -> str:
    out = [doc.title or "", *doc.lead]
    for _path, s in doc.walk():
        out += [s.heading, *s.paragraphs]
    return "\n".join(out)


@pytest.mark.parametrize("name", ["META_PER_LINE", "META_PAIRS", "META_TABLE"])
def test_a_metadata_block_in_any_of_its_forms_is_furniture(name):
    doc = parse(getattr(copies, name))
    assert doc.title and doc.title.endswith("总结") and "：" not in doc.title and "|" not in doc.title
    assert doc.sections[0].number == "一、"
    assert not any(word in body_text(doc) for word in ("索引号", "发布机构", "主题分类", "文号", "效力属性"))
    assert any("索引号" in line for line in doc.removed)


def test_per_line_metadata_with_lead_signature_and_date():
    doc = parse(copies.META_PER_LINE)
    assert doc.title == "松林县卫生健康委员会2023年工作总结"
    assert doc.lead == ["2023年，在县委、县政府的坚强领导下，我委统筹推进各项卫生健康工作，现将有关情况报告如下。"]
    assert [k for _n, _h, k in tops(doc)] == ["work_done", "problems", "plan"]
    assert doc.signature == ["松林县卫生健康委员会", "2024年1月15日"]
    assert doc.sections[-1].paragraphs == ["力争家庭医生签约服务覆盖率达到75%。"]  # the signature is not body text
    assert "政府信息公开" in doc.removed


def test_breadcrumbs_and_portal_buttons():
    doc = parse(copies.BREADCRUMBS)
    assert doc.title == "桃源县卫生健康局关于2023年度工作情况的报告"
    assert tops(doc) == [("一、", "工作开展情况", "work_done"), ("二、", "存在问题", "problems")]
    assert doc.sections[1].paragraphs == ["信息化建设相对滞后。"]
    assert len(doc.removed) == 5 and doc.removed[0].startswith("当前位置")


def test_article_site_furniture_all_around_the_report():
    doc = parse(copies.ARTICLE)
    assert doc.title == "杏花区卫健局2022年工作总结"
    assert doc.lead == ["2022年，杏花区卫健局坚持以人民健康为中心，扎实推进各项工作。"]  # tags and &nbsp; gone
    assert tops(doc) == [("一、", "重点工作推进情况", "work_done"), ("二、", "明年工作思路", "plan")]
    assert doc.sections[-1].paragraphs == ["推动优质医疗资源扩容下沉。"]
    text = body_text(doc)
    for furniture in ("小编", "VIP", "阅读时长", "温馨提示", "本站", "上一篇", "相关推荐", "扫码", "<p>", "&nbsp;"):
        assert furniture not in text
    assert {"加入收藏", "第1/3页", "温馨提示：", "工作总结", "下一篇：乡镇卫生院院长述职报告"} <= set(doc.removed)


def test_a_printed_outline_is_skipped():
    doc = parse(copies.OUTLINE_FIRST)
    assert [n for n, _h, _k in tops(doc)] == ["一、", "二、", "三、"]
    assert doc.sections[0].paragraphs[0].startswith("上半年全县完成两癌筛查5200人")
    assert doc.removed[0] == "目录" and len(doc.removed) == 4
    assert doc.lead == []


def test_hard_wrapped_pdf_text_is_rejoined_inside_the_body_only():
    doc = parse(copies.PDF)
    assert doc.title == "金川县卫生健康局2023年度工作总结"  # the bureau's line over the title belongs to it
    assert doc.lead == [
        "2023年，我局认真贯彻落实上级决策部署，坚持以人民健康为中心，全力推进健康金川建设，各项工作取得新成效。"
    ]
    first = doc.sections[0].children[0]
    assert first.paragraphs == ["县人民医院新增床位120张，开展新技术新项目15项，县域就诊率达到91.5%。"]
    assert doc.sections[0].children[1].paragraphs == ["全县高血压患者规范管理率为66.8%。"]
    assert doc.sections[1].paragraphs == ["专业技术人才总量不足，引不进、留不住问题仍然存在。"]
    assert sorted(doc.removed) == sorted(["-1-", "金川县卫生健康局", "2"])  # page numbers and the running header


def test_a_one_paragraph_report_with_inline_headings():
    doc = parse(copies.ONE_PARAGRAPH)
    assert doc.lead == ["今年以来，我局围绕全年目标任务，统筹推进各项工作，现将有关情况汇报如下："]
    assert tops(doc) == [
        ("一、", "工作完成情况", "work_done"),
        ("二、", "存在的问题", "problems"),
        ("三、", "下一步工作计划", "plan"),
    ]
    assert [c.heading for c in doc.sections[0].children] == ["健康扶贫", "医疗保障"]
    assert doc.sections[2].children[0].paragraphs == ["引进专业技术人才40名。"]


def test_a_list_after_a_colon_stays_in_its_sentence():
    doc = parse("一、主要做法\n主要做法有：1.加强宣传；2.强化督导。\n")
    assert doc.sections[0].children == [] and doc.sections[0].paragraphs == ["主要做法有：1.加强宣传；2.强化督导。"]


def test_traditional_script_is_kept_unless_the_clerk_asks_yet_read_alike():
    kept = parse(copies.TRADITIONAL, simplify=False)
    assert kept.traditional and kept.title == "2023年度工作總結"
    assert [k for _n, _h, k in tops(kept)] == ["work_done", "problems", "plan"]  # kinds from the words
    assert [f.indicator for f in kept.figures] == ["maternal_sys_mgmt"]
    assert any("traditional" in str(n) for n in kept.notices)
    assert "（玉泉區衛生健康局）" in kept.removed and "(xiàng)" not in body_text(kept)
    converted = parse(copies.TRADITIONAL, simplify=True)
    assert not converted.traditional and converted.title == "2023年度工作总结"
    assert converted.lead == ["一年来，我局扎实推进各项工作，现总结如下："]


def test_a_copy_without_a_title_has_none_not_a_page_title():
    doc = parse(copies.NO_TITLE)
    assert doc.title is None
    assert doc.lead == ["今年上半年，我局紧紧围绕年度目标任务，扎实推进各项工作。"]
    assert doc.removed == ["发布日期：2021-08-03"]


def test_a_site_name_or_template_tag_is_not_part_of_the_title():
    doc = parse("松山区卫健局2022年工作总结_松山区人民政府\n发布时间：2023-01-02\n一、工作情况\n做了工作。\n")
    assert doc.title == "松山区卫健局2022年工作总结"
    doc = parse("卫健局年度工作总结范文3篇\n一、工作情况\n做了工作。\n")
    assert doc.title == "卫健局年度工作总结"


def test_placeholders_for_year_and_place():
    doc = parse(copies.PLACEHOLDERS)
    assert doc.title == "xx县卫生健康局xxxx年工作总结"
    assert doc.lead[0].startswith("xxxx年，xx县卫生健康局")
    assert [k for _n, _h, k in tops(doc)] == ["work_done", "problems", "plan"]
    assert doc.signature == ["XX县卫生健康局", "XXXX年XX月XX日"]
    assert doc.figures == []  # xx次, xx万余人 are no figures


def test_a_chinese_date_and_a_signature_without_a_bureau():
    doc = parse("一、工作情况\n全年完成工作。\n二〇二三年十二月二十日\n")
    assert doc.signature == ["二〇二三年十二月二十日"]
    assert doc.sections[0].paragraphs == ["全年完成工作。"]


def test_the_lead_is_not_a_section_and_numbers_do_not_shift():
    doc = parse(texts.SIMPLE)
    assert doc.lead and doc.sections[0].number == "一、" and doc.sections[0].heading == "2024年工作开展情况"
    data = doc.as_dict()
    assert data["lead"] == doc.lead and data["sections"][0]["number"] == "一、"


def test_the_helpers_tell_prose_from_labels():
    assert is_prose("现将有关情况报告如下：") and is_prose("各项工作稳步推进。")
    assert not is_prose("（宣州区卫生健康委员会）") and not is_prose("一、工作情况") and not is_prose("卫生健康")
    assert is_date("2024年1月15日") and is_date("（2023年12月）") and not is_date("2023年工作总结")
    assert is_org("某某县卫生健康局") and not is_org("某某县卫生健康局2023年工作总结")


def test_find_body_keeps_every_line_somewhere():
    entries = [(line, False) for line in copies.META_PER_LINE.splitlines() if line]
    found = find_body(entries)
    placed = len(found.lead) + len(found.body) + len(found.signature) + len(found.removed) + 1  # +1: the title
    assert placed == len(entries)


def test_a_lead_that_mentions_a_website_stays_the_lead():
    doc = parse(
        "某县卫生健康局2023年工作总结\n我局通过政府网站公开各类信息，点击量明显增加，各项工作稳步推进。\n一、工作情况\n做了工作。\n"
    )
    assert doc.title == "某县卫生健康局2023年工作总结"
    assert doc.lead == ["我局通过政府网站公开各类信息，点击量明显增加，各项工作稳步推进。"]


def test_a_body_sentence_that_starts_like_a_related_list_does_not_end_the_report():
    doc = parse("一、工作情况\n更多群众享受到家门口的优质服务。\n二、存在问题\n人员不足。\n")
    assert [s.heading for s in doc.sections] == ["工作情况", "存在问题"]
    assert doc.sections[0].paragraphs == ["更多群众享受到家门口的优质服务。"]


def test_table_and_figure_leftovers_of_a_pdf_are_furniture():
    text = "一、工作情况\n全年新建村卫生室8所，\n表1 主要指标完成情况\n单位：%\n序号 指标 完成值\n1 95.2 96.1\n服务能力明显提升。\n图2\n二、存在问题\n人员不足。\n"
    doc = parse(text)
    assert doc.sections[0].paragraphs == ["全年新建村卫生室8所，服务能力明显提升。"]
    assert {"表1主要指标完成情况", "单位：%", "图2"} <= set(doc.removed)
