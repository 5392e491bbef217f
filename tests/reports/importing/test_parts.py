"""Reports divided into parts (第一部分 …, 第二部分 …) with 一、（一）1. inside each part: the parts are
the top sections, nothing of the text is lost, and the tree stays within the editor's depth."""

import pytest

from reports.importing.outline import kind_of, parse_text

from .test_outline import heads

PARTS = """柳岸县卫生健康局2023年工作总结和2024年工作计划
第一部分 2023年工作总结
今年，我局坚持以人民健康为中心，各项工作取得新进展。
一、医疗服务能力持续增强
（一）县域医共体建设
1.完善管理体制。成立医共体管理委员会，统一调配人员。
2.推进信息互通。建成县域影像中心。
（二）基层服务提质
新建村卫生室8所。
二、公共卫生服务扎实开展
全年接种疫苗3.1万剂次。
第二部分：2024年工作计划
一、抓好重点项目建设
推进县医院新院区建设。
二、深化医改
第一，巩固医共体成效；第二，完善分级诊疗。
"""


def test_parts_are_the_top_sections_with_their_numbering_inside():
    doc = parse_text(PARTS).documents[0]
    assert doc.title == "柳岸县卫生健康局2023年工作总结和2024年工作计划"
    assert heads(doc.sections) == [
        "第一部分2023年工作总结 [work_done]",
        "  一、医疗服务能力持续增强 [work_done]",
        "    （一）县域医共体建设 [work_done]",
        "      1.完善管理体制 [work_done]",
        "      2.推进信息互通 [work_done]",
        "    （二）基层服务提质 [work_done]",
        "  二、公共卫生服务扎实开展 [work_done]",
        "第二部分2024年工作计划 [plan]",
        "  一、抓好重点项目建设 [plan]",
        "  二、深化医改 [plan]",
    ]
    # a part's own opening words are its paragraphs; 第一，第二， is an enumeration in a sentence
    assert doc.sections[0].paragraphs == ["今年，我局坚持以人民健康为中心，各项工作取得新进展。"]
    assert doc.sections[1].children[1].paragraphs == ["第一，巩固医共体成效；第二，完善分级诊疗。"]
    assert doc.lead == [] and doc.removed == []


def test_a_part_number_alone_on_its_line_takes_the_next_line_as_heading():
    doc = parse_text(
        "第一部分\n上半年工作开展情况\n一、疫情防控\n内容。\n第二部分\n下半年工作打算\n一、人才建设\n内容。"
    ).documents[0]
    assert heads(doc.sections) == [
        "第一部分上半年工作开展情况 [work_done]",
        "  一、疫情防控 [work_done]",
        "第二部分下半年工作打算 [plan]",
        "  一、人才建设 [plan]",
    ]


@pytest.mark.parametrize(
    "line",
    [
        "第一部分资金已于5月拨付到位，用于村卫生室改造。",
        "第一，加强组织领导，压实各方责任。",
        "第一次全县卫生健康工作会议于3月召开。",
    ],
)
def test_sentences_starting_like_a_part_stay_text(line):
    doc = parse_text(f"一、工作情况\n{line}").documents[0]
    assert heads(doc.sections) == ["一、工作情况 [work_done]"]
    assert doc.sections[0].paragraphs == [line]


DEEP = """第一部分 工作总结
一、医疗服务
（一）医共体建设
1.管理体制
（1）成立管委会。统一调配人员。
（2）统一财务管理。
2.信息互通
建成影像中心。
"""


def test_levels_below_the_depth_limit_stay_text_in_their_section():
    doc = parse_text(DEEP, max_depth=4).documents[0]
    assert heads(doc.sections) == [
        "第一部分工作总结 [work_done]",
        "  一、医疗服务 [work_done]",
        "    （一）医共体建设 [work_done]",
        "      1.管理体制 [work_done]",
        "      2.信息互通 [work_done]",
    ]
    # the fifth level is kept as written, numbers and all
    assert doc.sections[0].children[0].children[0].children[0].paragraphs == [
        "（1）成立管委会。统一调配人员。",
        "（2）统一财务管理。",
    ]
    assert len(list(parse_text(DEEP).documents[0].walk())) == 7  # without a limit: all five levels


def test_a_part_child_that_names_its_own_kind_takes_it():
    text = "第一部分 2023年工作总结\n一、主要工作\n内容。\n二、存在的问题\n人才不足。\n第二部分 2024年工作打算\n一、推进计划免疫\n内容。"
    doc = parse_text(text).documents[0]
    assert heads(doc.sections) == [
        "第一部分2023年工作总结 [work_done]",
        "  一、主要工作 [work_done]",
        "  二、存在的问题 [problems]",
        "第二部分2024年工作打算 [plan]",
        "  一、推进计划免疫 [plan]",
    ]
    assert kind_of("一、加强计划免疫管理") is None  # 计划免疫 is immunisation, not a plan
