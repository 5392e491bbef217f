"""Reports in shapes the samples do not show: an official letter with its addressee, full-width
digits, 1、 and 1． and （1） items, one-line headings followed by their text, and an attachment list
(附件) before the signature. Invented text."""

from reports.importing.outline import parse_text

from .test_outline import heads

LETTER = """白沙县卫生健康局
关于2024年上半年工作总结的报告
县政府：
今年上半年，我局扎实推进各项工作。现将有关情况报告如下。
一、上半年工作开展情况。
（一）医疗服务能力提升。一是完成胸痛中心建设；二是新增专科门诊３个。
（二）公共卫生。
1、慢病管理。高血压患者规范管理率为６８．２％。
2、妇幼保健。
二、存在的问题
基层人才短缺。
三、下半年工作打算
1．抓好项目建设。推进县医院二期工程。
2．深化医改。
特此报告。
附件：1.上半年主要指标完成情况表
2.重点项目进展表
白沙县卫生健康局
2024年7月5日
"""


def test_an_attachment_list_stays_text_at_the_end_of_the_body():
    doc = parse_text(LETTER).documents[0]
    assert doc.title == "白沙县卫生健康局关于2024年上半年工作总结的报告"
    assert heads(doc.sections) == [
        "一、上半年工作开展情况 [work_done]",
        "  （一）医疗服务能力提升 [work_done]",
        "  （二）公共卫生 [work_done]",
        "    1.慢病管理 [work_done]",
        "    2.妇幼保健 [work_done]",
        "二、存在的问题 [problems]",
        "三、下半年工作打算 [plan]",
        "  1.抓好项目建设 [plan]",
        "  2.深化医改 [plan]",
    ]
    assert doc.sections[2].children[1].paragraphs == [
        "特此报告。",
        "附件：1.上半年主要指标完成情况表",
        "2.重点项目进展表",
    ]
    assert doc.signature == ["白沙县卫生健康局", "2024年7月5日"]
    assert doc.lead == ["县政府：", "今年上半年，我局扎实推进各项工作。现将有关情况报告如下。"]
    assert not doc.notices and doc.removed == []


SHORT = """红枫区卫健委2023年工作总结
2023年，区卫健委认真落实上级部署，卫生健康事业取得新成效。
一、主要工作及成效
1.疫情防控转段平稳。按照要求调整防控措施。
2.医共体建设深入推进
组建紧密型医共体2个。
二、存在的不足
（1）基层人才总量不足。
（2）部分村卫生室设施老旧。
三、2024年工作思路
（1）持续深化医改
（2）加快信息化建设
附件：红枫区2023年卫生健康主要指标
"""


def test_a_closing_attachment_line_is_not_removed_as_furniture():
    doc = parse_text(SHORT).documents[0]
    assert heads(doc.sections) == [
        "一、主要工作及成效 [work_done]",
        "  1.疫情防控转段平稳 [work_done]",
        "  2.医共体建设深入推进 [work_done]",
        "二、存在的不足 [problems]",
        "  （1）基层人才总量不足 [problems]",
        "  （2）部分村卫生室设施老旧 [problems]",
        "三、2024年工作思路 [plan]",
        "  （1）持续深化医改 [plan]",
        "  （2）加快信息化建设 [plan]",
    ]
    assert doc.sections[2].children[1].paragraphs == ["附件：红枫区2023年卫生健康主要指标"]
    assert doc.removed == []


def test_a_heading_with_its_text_after_a_colon_on_the_same_line():
    text = (
        "二、存在问题和下一步打算\n（一）存在问题：实验室检测能力不足，专业人员缺乏。\n"
        "（二）下一步打算：一是加快实验室建设；二是引进专业人才。\n（三）坚持三个导向：推动高质量发展"
    )
    doc = parse_text(text).documents[0]
    assert heads(doc.sections[0].children) == [
        "（一）存在问题 [problems]",
        "（二）下一步打算 [problems]",
        "（三）坚持三个导向：推动高质量发展 [problems]",
    ]
    assert [c.paragraphs for c in doc.sections[0].children] == [
        ["实验室检测能力不足，专业人员缺乏。"],
        ["一是加快实验室建设；二是引进专业人才。"],
        [],
    ]


def test_an_arabic_number_with_a_pause_mark_before_a_year_is_a_heading():
    text = "1、主要工作\n内容。\n2、存在的问题\n人才不足。\n3、2024年工作计划\n（1）加快县医院迁建。\n1、2月份门诊量同比增长。"
    doc = parse_text(text).documents[0]
    assert heads(doc.sections) == [
        "1.主要工作 [work_done]",
        "2.存在的问题 [problems]",
        "3.2024年工作计划 [plan]",
        "  （1）加快县医院迁建 [plan]",
    ]
    # 1、2月份 (January and February) opens a sentence, not a heading
    assert doc.sections[2].children[0].paragraphs == ["1、2月份门诊量同比增长。"]


def test_a_numbered_list_within_one_line_stays_the_text_of_its_section():
    text = "一、工作总结\n（一）医疗服务提质\n①胸痛中心通过验收；②卒中中心挂牌运行。\n（二）健康促进\n1.控烟，2.限酒。\n1.开展讲座。讲座20场。"
    doc = parse_text(text).documents[0]
    assert heads(doc.sections) == [
        "一、工作总结 [work_done]",
        "  （一）医疗服务提质 [work_done]",
        "  （二）健康促进 [work_done]",
        "    1.开展讲座 [work_done]",
    ]
    assert doc.sections[0].children[0].paragraphs == ["①胸痛中心通过验收；②卒中中心挂牌运行。"]
    assert doc.sections[0].children[1].paragraphs == ["1.控烟，2.限酒。"]


def test_reports_one_after_another_without_headers_are_separate_documents():
    text = (
        "东坡乡卫生院2023年工作总结\n一年来，我院较好完成了各项任务。\n一、主要工作\n门诊服务1.2万人次。\n"
        "二、明年打算\n推进标准化建设。\n东坡乡卫生院\n2023年12月28日\n"
        "西坡乡卫生院2023年工作总结\n今年以来，我院各项工作有序开展。\n一、主要工作\n住院服务800人次。\n"
        "二、存在问题\n设备老化。\n西坡乡卫生院\n2023年12月29日\n"
    )
    first, second = parse_text(text).documents
    assert (first.title, second.title) == ("东坡乡卫生院2023年工作总结", "西坡乡卫生院2023年工作总结")
    assert heads(first.sections) == ["一、主要工作 [work_done]", "二、明年打算 [plan]"]
    assert heads(second.sections) == ["一、主要工作 [work_done]", "二、存在问题 [problems]"]
    assert first.sections[1].paragraphs == ["推进标准化建设。"]
    assert first.signature == ["东坡乡卫生院", "2023年12月28日"]
    assert second.signature == ["西坡乡卫生院", "2023年12月29日"]
    assert first.removed == second.removed == []


def test_a_space_between_a_heading_and_its_text_on_one_line_ends_the_heading():
    text = (
        "一、工作开展情况\n（一）加强组织领导　成立了以局长为组长的工作专班，统筹推进各项工作。\n"
        "（二）强化督导检查 全年开展督导12次，发现问题36个。\n1. 完善制度 制定考核办法3项。\n"
        "（三）推进 PCR 检测能力建设\n（四）加快 信息化建设，提高效率。"
    )
    doc = parse_text(text).documents[0]
    assert heads(doc.sections[0].children) == [
        "（一）加强组织领导 [work_done]",
        "（二）强化督导检查 [work_done]",
        "  1.完善制度 [work_done]",
        "（三）推进PCR检测能力建设 [work_done]",
        "（四）加快信息化建设，提高效率 [work_done]",  # two words of a heading, no sentence after
    ]
    first, second, _third, _fourth = doc.sections[0].children
    assert first.paragraphs == ["成立了以局长为组长的工作专班，统筹推进各项工作。"]
    assert second.paragraphs == ["全年开展督导12次，发现问题36个。"]
    assert second.children[0].paragraphs == ["制定考核办法3项。"]
