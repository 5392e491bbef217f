"""The two real published reports in ../shared/samples (not copied into the project): both import
with every heading at its level and kind, no noise left, and the expected figures matched."""

import json
import re
from pathlib import Path

import pytest

from reports.importing.outline import parse_text

from . import texts

SAMPLES = Path(__file__).resolve().parents[4] / "shared" / "samples"
if not SAMPLES.is_dir():
    SAMPLES = Path("/work/shared/samples")
pytestmark = pytest.mark.skipif(not SAMPLES.is_dir(), reason="the shared samples are not here")

NOISE = re.compile(r"首页 >|发布时间|点击量|识别码|来源：网络|^TOP$|\(\w*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]\w*\)|範|區|總")


def outline(doc, depth=0):
    for s in doc:
        yield depth, s
        yield from outline(s.children, depth + 1)


def all_text(doc):
    return [doc.title or "", *doc.lead] + [t for _d, s in outline(doc.sections) for t in (s.heading, *s.paragraphs)]


def test_traditional_sample():
    doc = parse_text((SAMPLES / "xuanzhou-2022-h1-traditional.txt").read_text(), texts.catalogue()).documents[0]
    assert doc.title == "2022年上半年工作总结及下半年重点工作安排"
    tops = [(s.number, s.kind) for s in doc.sections]
    assert tops == [("一、", "work_done"), ("二、", "plan")]
    assert [s.number for s in doc.sections[0].children] == [f"（{n}）" for n in "一二三四五六"]
    assert [s.number for s in doc.sections[0].children[0].children] == ["1.", "2.", "3.", "4.", "5."]
    assert [s.number for s in doc.sections[1].children] == [f"（{n}）" for n in "一二三四"]
    assert not any(NOISE.search(t) for t in all_text(doc))
    matched = {f.indicator: str(f.value) for f in doc.figures if f.indicator}
    assert matched == {"elderly_mgmt": "39", "htn_std_mgmt": "39.4", "t2dm_std_mgmt": "43.7", "childcare_slots": "3000"}


def test_compilation_sample():
    result = parse_text((SAMPLES / "five-bureau-reports-2020-2021.txt").read_text(), texts.catalogue())
    docs = result.documents
    assert len(docs) == 5
    kinds = [[s.kind for s in d.sections] for d in docs]
    assert kinds[0] == ["work_done", "plan"]
    assert kinds[1] == ["work_done"] * 6  # (一)…(六) of a work summary
    assert kinds[2] == ["work_done", "problems", "plan"]
    assert kinds[3] == ["work_done"] * 10
    assert kinds[4] == ["work_done", "problems", "plan"]
    assert [len(d.sections[0].children) for d in (docs[0], docs[2], docs[4])] == [5, 5, 11]
    assert [c.number for c in docs[2].sections[0].children[1].children] == ["1.", "2.", "3."]  # X、 items
    assert [c.number for c in docs[2].sections[1].children] == [f"（{n}）" for n in "一二三四"]
    assert [c.number for c in docs[2].sections[2].children] == [f"（{n}）" for n in "一二三四五"]
    for doc in docs:
        assert not any(NOISE.search(t) for t in all_text(doc))
        assert doc.title and "范文" not in doc.title
        for depth, section in outline(doc.sections):
            assert depth < 3 and section.heading and not section.heading.startswith(("一是", "二是"))
    matched = {(f.indicator, str(f.value)) for f in docs[3].figures if f.indicator}
    assert ("elderly_care_beds", "520") in matched and ("project_investment", "197919") in matched
    # placeholders (xx%, X人) give no figures
    assert docs[1].figures == [] and docs[2].figures == []
    json.dumps(result.as_dict(), ensure_ascii=False)
