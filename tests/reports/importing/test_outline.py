from reports.importing.outline import cn_value, kind_of, parse_text

from . import texts


def heads(sections, depth=0):
    out = []
    for s in sections:
        out.append(("  " * depth) + s.number + s.heading + f" [{s.kind}]")
        out += heads(s.children, depth + 1)
    return out


def test_headings_on_their_own_lines_at_every_level():
    doc = parse_text(texts.SIMPLE).documents[0]
    assert doc.title == "青山县卫生健康局2024年工作总结"
    assert doc.lead == ["今年以来，我局围绕年度目标，扎实推进各项工作，现总结如下。"]
    assert heads(doc.sections) == [
        "一、2024年工作开展情况 [work_done]",
        "  （一）基层服务能力稳步提升 [work_done]",
        "  （二）公共卫生服务扎实开展 [work_done]",
        "    1.慢病管理 [work_done]",
        "    2.妇幼健康 [work_done]",
        "二、存在的问题 [problems]",
        "三、2025年工作计划 [plan]",
        "  （一）继续推进紧密型医共体建设 [plan]",
    ]


def test_yishi_ershi_stays_text():
    doc = parse_text(texts.SIMPLE).documents[0]
    first = doc.sections[0].children[0]
    assert first.children == []
    assert first.paragraphs[0].startswith("一是完成乡镇卫生院改造3所。二是新增")


def test_inline_headings_inside_a_long_paragraph_and_noise():
    doc = parse_text(texts.WEB).documents[0]
    assert doc.title == "绿水区卫健委2023年上半年工作总结"
    assert heads(doc.sections) == [
        "一、上半年工作情况 [work_done]",
        "  （一）疫情防控平稳有序 [work_done]",
        "  （二）医疗服务持续改善 [work_done]",
        "二、存在问题 [problems]",
        "三、下半年工作安排 [plan]",
        "  （一）抓好基层能力建设 [plan]",
        "  （二）推进健康促进工作 [plan]",
    ]
    assert doc.sections[0].children[0].paragraphs == ["累计接种疫苗2.5万人次，未发生聚集性疫情。"]
    # ① after 其中， is a list inside the sentence, not headings
    assert doc.sections[2].children[1].paragraphs == ["其中，①开展健康讲座20次；②发放资料3000份。"]
    everything = " ".join(p for _path, s in doc.walk() for p in [s.heading, *s.paragraphs])
    for noise in ("首页", "发布时间", "点击量", "分享", "扫一扫", "关闭", "打印", "第 1 页", "字体"):
        assert noise not in everything


def test_traditional_with_glosses():
    doc = parse_text(texts.TRADITIONAL).documents[0]
    assert doc.title == "2023年上半年工作总结及下半年工作安排"
    assert heads(doc.sections) == [
        "一、上半年工作总结 [work_done]",
        "  （一）加强基层卫生建设 [work_done]",
        "    1.推进医共体建设 [work_done]",
        "    2.做好托育服务 [work_done]",
        "二、下半年工作安排 [plan]",
        "  （一）持续推进健康乡村建设 [plan]",
    ]
    assert "(" not in str(doc.as_dict()) and "jié" not in str(doc.as_dict())


def test_a_file_starting_midway():
    doc = parse_text(texts.MIDWAY).documents[0]
    assert doc.title is None
    assert heads(doc.sections) == [
        "（六）加强综合监督执法 [work_done]",
        "（七）做好卫生应急工作 [work_done]",
        "  1.完善应急预案 [work_done]",
        "  2.开展应急演练 [work_done]",
    ]
    assert any("starts at （六）" in str(n) for n in doc.notices)


def test_several_documents_in_one_file():
    result = parse_text(texts.COMPILATION)
    assert [d.title for d in result.documents] == [
        "东湖镇卫生院工作总结",
        "西山县卫健局工作总结",
        "南河区卫健局年度工作总结",
    ]
    first, second, third = result.documents
    assert heads(first.sections) == ["一、主要工作 [work_done]", "二、下一步打算 [plan]"]
    assert heads(second.sections) == ["（一）疫情防控有序推进 [work_done]", "（二）荣誉表彰 [honours]"]
    # the compilation's own title repeated at the end and the TOP button are gone
    assert third.sections[0].paragraphs == ["辖区常住人口52.3万人。"]
    assert first.lead == second.lead == []


def test_inline_top_level_heading_runs_into_its_first_subheading():
    doc = parse_text(
        "三、下一步工作规划（一）规范医疗服务能力。严格落实标准化建设。（二）强化履约。提高质量。"
    ).documents[0]
    assert heads(doc.sections) == [
        "三、下一步工作规划 [plan]",
        "  （一）规范医疗服务能力 [plan]",
        "  （二）强化履约 [plan]",
    ]
    assert doc.sections[0].children[0].paragraphs == ["严格落实标准化建设。"]


def test_placeholder_numbers_are_numbered_by_position():
    doc = parse_text("（二）提高服务能力。X、加强人才队伍建设。培训乡医。\nX、夯实基层网底。建设卫生室。").documents[0]
    assert heads(doc.sections) == [
        "（二）提高服务能力 [work_done]",
        "  1.加强人才队伍建设 [work_done]",
        "  2.夯实基层网底 [work_done]",
    ]


def test_a_sentence_broken_over_two_lines_is_joined():
    doc = parse_text("一、工作情况\n一是继续深化县级公立医院改革。按照\n“县要强、乡要活”思路推进。").documents[0]
    assert doc.sections[0].paragraphs == ["一是继续深化县级公立医院改革。按照“县要强、乡要活”思路推进。"]


def test_numbering_gap_is_a_warning():
    doc = parse_text("（一）甲项工作\n内容。\n（二）乙项工作\n内容。\n（四）丁项工作\n内容。").documents[0]
    assert [s.number for s in doc.sections] == ["（一）", "（二）", "（四）"]
    assert any("jumps" in str(n) for n in doc.notices)


def test_kinds_from_heading_words():
    assert kind_of("2022年上半年工作总结") == "work_done"
    assert kind_of("主要做法及取得成效") == "work_done"
    assert kind_of("存在的问题和不足") == "problems"
    assert kind_of("困难及解决思路") == "problems"
    assert kind_of("下半年主要工作安排") == "plan"
    assert kind_of("下一步工作打算") == "plan"
    assert kind_of("荣誉奖励") == "honours"
    assert kind_of("计划生育奖励扶助工作") is None
    assert kind_of("抓好疫情防控") is None


def test_parts_after_a_plan_are_other():
    doc = parse_text("一、工作情况\n甲。\n二、明年工作计划\n乙。\n三、附表说明\n丙。").documents[0]
    assert [s.kind for s in doc.sections] == ["work_done", "plan", "other"]


def test_chinese_numerals():
    assert [cn_value(t) for t in ("一", "十", "十一", "二十", "二十三", "一百零五", "甲")] == [
        1,
        10,
        11,
        20,
        23,
        105,
        0,
    ]


def test_no_headings_at_all_keeps_the_text():
    doc = parse_text("今年以来我局做了很多工作，取得了很好的成绩。").documents[0]
    assert doc.sections == [] and doc.lead
    assert any("No numbered headings" in str(n) for n in doc.notices)


def test_empty_and_odd_input():
    assert parse_text("").documents[0].sections == []
    assert parse_text(None).documents[0].sections == []  # type: ignore[arg-type]
    assert parse_text("一、\n工作情况\n内容。").documents[0].sections[0].heading == "工作情况"


def test_json_shape():
    data = parse_text(texts.SIMPLE, texts.catalogue()).as_dict()
    doc = data["documents"][0]
    assert set(doc) == {"title", "lead", "sections", "figures", "warnings", "removed", "signature"}
    assert doc["title"] == "青山县卫生健康局2024年工作总结"
    assert doc["lead"] == ["今年以来，我局围绕年度目标，扎实推进各项工作，现总结如下。"]
    assert doc["sections"][0]["number"] == "一、"
    assert set(doc["sections"][0]) == {"number", "heading", "kind", "paragraphs", "children"}
    assert set(doc["figures"][0]) == {"text", "value", "unit", "indicator", "approximate", "role"}
    assert doc["removed"] == [] and doc["signature"] == []
