"""Property-based tests: the parser never raises, and rendering an outline then parsing it back
gives the same outline."""

from hypothesis import given, settings
from hypothesis import strategies as st

from reports.importing.outline import OutlineDocument, OutlineSection, assign_kinds, label, parse_text
from reports.importing.render import render_document, render_documents

from . import texts

# Pieces of real-looking report text, with the characters that make structure.
_PIECES = st.sampled_from(
    [
        "一、",
        "二、",
        "十一、",
        "（一）",
        "(二)",
        "（三）",
        "1.",
        "2、",
        "3．",
        "（1）",
        "(2)",
        "①",
        "②",
        "一是",
        "二是",
        "第一篇：",
        "第二篇",
        "第一部分",
        "第二部分 ",
        "附件：",
        "2024年1月5日",
        "X、",
        "xx%",
        "73%",
        "1.2万人",
        "个百分点",
        "家庭医生签约服务覆盖率",
        "工作总结",
        "存在问题",
        "下半年工作安排",
        "。",
        "，",
        "；",
        "\n",
        "\r\n",
        " ",
        "　",
        "发布时间：",
        "关闭",
        "首页 > ",
        "區(qū)",
        "總結(jié)",
        "（",
        "）",
        "(",
        ")",
    ]
)
CATALOGUE = texts.catalogue()
_NOISY_TEXT = st.one_of(st.text(), st.lists(st.one_of(_PIECES, st.text(max_size=5)), max_size=60).map("".join))


@settings(max_examples=400, deadline=None)
@given(_NOISY_TEXT)
def test_the_parser_never_raises(text):
    result = parse_text(text, CATALOGUE)
    assert result.documents
    # the parser's own code handled it: its last-resort guard (which turns a crash into a notice) was not needed
    assert not any("could not be read" in str(n) for d in result.documents for n in d.notices)
    result.as_dict()


# Outlines in the standard numbering, from words that carry no structure of their own.
_WORD = st.text(alphabet="卫生健康医疗服务管理推进建设基层能力提升工作项目保障", min_size=2, max_size=12)
_PARAGRAPH = st.lists(_WORD, min_size=1, max_size=3).map(lambda ws: "，".join(ws) + "。")
_TOP_HEADINGS = st.sampled_from(["上半年工作开展情况", "主要做法", "存在的问题", "下半年工作安排", "荣誉奖励"])


def _sections(depth: int):
    children = _sections(depth + 1) if depth < 5 else st.just([])
    heading = _TOP_HEADINGS if depth == 1 else _WORD
    return st.lists(
        st.builds(
            lambda h, ps, cs: OutlineSection(number="", heading=h, paragraphs=ps, children=cs),
            heading,
            st.lists(_PARAGRAPH, max_size=2),
            children,
        ),
        min_size=1 if depth == 1 else 0,
        max_size=3 if depth < 3 else 2,
    )


def _numbered(sections, depth=1):
    styles = ("cn", "cn_paren", "ar", "ar_paren", "circled")
    for index, section in enumerate(sections, start=1):
        section.number = label(styles[depth - 1], index)
        _numbered(section.children, depth + 1)
    return sections


@st.composite
def documents(draw):
    title = draw(st.one_of(st.none(), _WORD.map(lambda w: w + "年度工作总结")))
    doc = OutlineDocument(
        title=title, lead=draw(st.lists(_PARAGRAPH, max_size=2)), sections=_numbered(draw(_sections(1)))
    )
    assign_kinds(doc.sections, title)
    return doc


def _shape(doc: OutlineDocument) -> dict:
    data = doc.as_dict()
    del data["figures"], data["warnings"], data["removed"], data["signature"]
    return data


@settings(max_examples=200, deadline=None)
@given(documents())
def test_render_then_parse_gives_the_same_outline(doc):
    parsed = parse_text(render_document(doc)).documents
    assert len(parsed) == 1
    assert _shape(parsed[0]) == _shape(doc)


@settings(max_examples=50, deadline=None)
@given(st.lists(documents(), min_size=2, max_size=3))
def test_several_documents_round_trip(docs):
    for doc in docs:
        doc.title = doc.title or "年度工作总结"
    parsed = parse_text(render_documents(docs)).documents
    assert [_shape(d) for d in parsed] == [_shape(d) for d in docs]
