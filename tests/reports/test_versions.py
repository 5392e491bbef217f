"""What changed between two submissions: sections by id, values by slug, text diff escaped."""

import pytest

from reports.selectors.versions import text_diff_html, versions_compare


def _section(pk, heading, body, number="一、"):
    return {"id": pk, "number": number, "depth": 1, "heading": heading, "body": body, "kind": "other", "parent": None}


def _value(slug, value, note=""):
    return {"slug": slug, "value": value, "numerator": None, "denominator": None, "note": note}


def test_text_diff_marks_and_escapes():
    html = text_diff_html("全年签约<10>万人。", "全年签约<12>万人，覆盖率60%。")
    assert "&lt;" in html and "<10>" not in html
    assert "<del>0</del><ins>2</ins>" in html
    assert "<ins>，覆盖率60%</ins>" in html
    assert text_diff_html("一\n二", "一\n二") == "一<br>二"


@pytest.mark.django_db  # names of the indicators come from the catalogue
def test_sections_and_values_are_lined_up():
    old = {
        "sections": [_section(1, "工作", "甲"), _section(2, "问题", "乙"), _section(3, "删掉的", "丙")],
        "values": [_value("population", "500000"), _value("fines", "54"), _value("gone", "1")],
    }
    new = {
        "sections": [_section(1, "工作", "甲"), _section(2, "存在的问题", "乙丁"), _section(4, "新增的", "戊")],
        "values": [_value("population", "510000"), _value("fines", "54"), _value("added", "7")],
    }
    result = versions_compare(old=old, new=new)
    assert [(s.section_id, s.status) for s in result.sections] == [
        (1, "same"),
        (2, "changed"),
        (4, "added"),
        (3, "removed"),
    ]
    changed = result.sections[1]
    assert changed.old_heading == "问题" and "<ins>存在的</ins>" in changed.heading_html
    assert changed.body_html == "乙<ins>丁</ins>"
    assert [(v.slug, v.status) for v in result.values] == [
        ("population", "changed"),
        ("fines", "same"),
        ("added", "added"),
        ("gone", "removed"),
    ]
    assert [v.slug for v in result.changed_values] == ["population", "added", "gone"]
    assert result.has_changes
    assert not versions_compare(old=new, new=new).has_changes
