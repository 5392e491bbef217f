"""The section-tree services: add, save (with optimistic versions), move, indent, outdent, delete."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction

from reports.models import AuditEvent, Membership, Report, Section
from reports.selectors.tree import flatten, section_tree
from reports.services import ConflictError, ServiceError, editing
from tests.factories import MembershipFactory, ReportFactory, SectionFactory, UserFactory


@pytest.fixture
def report(db):
    return ReportFactory()


@pytest.fixture
def clerk(report):
    return MembershipFactory(bureau=report.bureau, role=Membership.Role.STAFF).user


def outline(report):
    return [(n.number, n.section.heading) for n in flatten(section_tree(report=report))]


def add(report, clerk, heading, parent=None):
    return editing.section_add(report=report, acting_user=clerk, heading=heading, parent=parent)


def test_a_four_level_tree_is_numbered_from_position(report, clerk):
    a = add(report, clerk, "工作开展情况")
    a1 = add(report, clerk, "公共卫生", parent=a)
    a11 = add(report, clerk, "家庭医生", parent=a1)
    add(report, clerk, "签约扩面", parent=a11)
    add(report, clerk, "慢病管理", parent=a11)
    add(report, clerk, "存在的问题")
    assert outline(report) == [
        ("一、", "工作开展情况"),
        ("（一）", "公共卫生"),
        ("1.", "家庭医生"),
        ("（1）", "签约扩面"),
        ("（2）", "慢病管理"),
        ("二、", "存在的问题"),
    ]


def test_a_fifth_level_is_refused(report, clerk):
    parent = None
    for level in range(4):
        parent = add(report, clerk, f"第{level + 1}级", parent=parent)
    with pytest.raises(ServiceError):
        add(report, clerk, "第5级", parent=parent)


def test_move_up_and_down_renumbers(report, clerk):
    a, b, c = (add(report, clerk, h) for h in "甲乙丙")
    editing.section_move(section=c, acting_user=clerk, direction="up")
    assert [h for _, h in outline(report)] == ["甲", "丙", "乙"]
    editing.section_move(section=a, acting_user=clerk, direction="up")  # already first: nothing
    editing.section_move(section=a, acting_user=clerk, direction="down")
    assert outline(report) == [("一、", "丙"), ("二、", "甲"), ("三、", "乙")]
    assert sorted(Section.objects.filter(report=report).values_list("position", flat=True)) == [1, 2, 3]


def test_indent_and_outdent(report, clerk):
    a, b, c = (add(report, clerk, h) for h in "甲乙丙")
    child = add(report, clerk, "乙之一", parent=b)
    editing.section_indent(section=b, acting_user=clerk)
    assert outline(report) == [("一、", "甲"), ("（一）", "乙"), ("1.", "乙之一"), ("二、", "丙")]
    editing.section_outdent(section=b, acting_user=clerk)
    assert outline(report) == [("一、", "甲"), ("二、", "乙"), ("（一）", "乙之一"), ("三、", "丙")]
    editing.section_outdent(section=child, acting_user=clerk)  # lands right after its former parent
    assert outline(report) == [("一、", "甲"), ("二、", "乙"), ("三、", "乙之一"), ("四、", "丙")]
    with pytest.raises(ServiceError):
        editing.section_indent(section=a, acting_user=clerk)  # first at its level
    with pytest.raises(ServiceError):
        editing.section_outdent(section=a, acting_user=clerk)  # already top level


def test_indent_keeps_the_depth_limit_for_the_whole_subtree(report, clerk):
    first = add(report, clerk, "甲")
    parent = add(report, clerk, "乙")
    for level in range(2, 5):
        parent = add(report, clerk, f"乙{level}", parent=parent)
    second = Section.objects.get(report=report, heading="乙")
    with pytest.raises(ServiceError):
        editing.section_indent(section=second, acting_user=clerk)  # would put 乙4 on level 5
    assert Section.objects.get(pk=second.pk).parent_id is None
    assert first.pk


def test_delete_takes_the_children_and_renumbers(report, clerk):
    a, b, c = (add(report, clerk, h) for h in "甲乙丙")
    add(report, clerk, "乙之一", parent=b)
    assert editing.section_delete(section=b, acting_user=clerk) == 2
    assert outline(report) == [("一、", "甲"), ("二、", "丙")]
    assert AuditEvent.objects.filter(report=report, action="section_delete").exists()


def test_save_bumps_the_version_and_refuses_a_stale_one(report, clerk):
    section = add(report, clerk, "工作开展情况")
    colleague = MembershipFactory(bureau=report.bureau, role=Membership.Role.STAFF).user
    saved = editing.section_save(
        section=section, acting_user=colleague, heading="工作开展情况", body="同事的文字", version=section.version
    )
    assert saved.version == section.version + 1
    with pytest.raises(ConflictError) as caught:
        editing.section_save(section=section, acting_user=clerk, heading="工作开展情况", body="我的文字", version=1)
    assert caught.value.current.body == "同事的文字"
    assert Section.objects.get(pk=section.pk).body == "同事的文字"
    assert AuditEvent.objects.filter(report=report, action="section_save").count() == 1


def test_save_cleans_text_and_refuses_an_empty_heading(report, clerk):
    section = add(report, clerk, "  工作   开展 ")
    assert section.heading == "工作 开展"
    saved = editing.section_save(
        section=section, acting_user=clerk, heading="甲", body="第一段\r\n第二段  \r\n", version=section.version
    )
    assert saved.paragraphs == ["第一段", "第二段"]
    with pytest.raises(ServiceError):
        editing.section_save(section=section, acting_user=clerk, heading="   ", body="", version=saved.version)


def test_rename_keeps_the_text(report, clerk):
    section = SectionFactory(report=report, heading="旧标题", body="正文")
    renamed = editing.section_rename(section=section, acting_user=clerk, heading="新标题", version=section.version)
    assert (renamed.heading, renamed.body) == ("新标题", "正文")


@pytest.mark.parametrize("state", [Report.State.SUBMITTED, Report.State.APPROVED])
def test_nobody_edits_a_report_out_of_draft(report, clerk, state):
    section = SectionFactory(report=report)
    Report.objects.filter(pk=report.pk).update(state=state)
    with pytest.raises(PermissionDenied):
        editing.section_save(section=section, acting_user=clerk, heading="x", body="", version=section.version)
    with pytest.raises(PermissionDenied):
        editing.section_delete(section=section, acting_user=clerk)


def test_a_stranger_cannot_edit(report):
    section = SectionFactory(report=report)
    stranger = MembershipFactory(role=Membership.Role.STAFF).user
    for call in (
        lambda: editing.section_add(report=report, acting_user=stranger, heading="x"),
        lambda: editing.section_move(section=section, acting_user=stranger, direction="down"),
        lambda: editing.section_indent(section=section, acting_user=stranger),
        lambda: editing.section_delete(section=section, acting_user=UserFactory()),
    ):
        with pytest.raises(PermissionDenied):
            call()
    assert Section.objects.filter(pk=section.pk).exists()


@pytest.mark.parametrize("limit", [2, 3])
def test_the_editor_offers_exactly_the_moves_the_service_allows(report, clerk, settings, limit):
    """One depth rule (reports/selectors/tree.py): for every section, the editor's indent/outdent/add
    buttons match what the service then does, whatever the configured depth limit."""
    from reports.views.editor import outline_items

    settings.REPORT_SECTION_MAX_DEPTH = limit
    a = add(report, clerk, "甲")
    a1 = add(report, clerk, "甲一", parent=a)
    add(report, clerk, "甲二", parent=a)
    if limit > 2:
        add(report, clerk, "甲一子", parent=a1)
    add(report, clerk, "乙")
    moves = {
        "can_indent": editing.section_indent,
        "can_outdent": editing.section_outdent,
        "can_add_child": lambda section, acting_user: add(report, acting_user, "新", parent=section),
    }
    for item in outline_items(section_tree(report=report)):
        for offered, move in moves.items():
            try:
                with transaction.atomic():
                    move(section=item.section, acting_user=clerk)
                    transaction.set_rollback(True)
                allowed = True
            except ServiceError:
                allowed = False
            assert getattr(item, offered) == allowed, (item.section.heading, offered)
