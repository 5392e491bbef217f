"""The review workflow services: every step from every state by every persona, checks, snapshots,
locking, mail after commit, and two reviewers at once."""

from __future__ import annotations

from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from indicators.models import IndicatorValue
from indicators.services import ValueInput, values_save
from reports import policy
from reports.models import AuditEvent, Report, ReportVersion, ReviewComment, Section, Transition
from reports.selectors.checks import CHECKS, Problem, register_check, submission_problems
from reports.selectors.review import open_review_comments
from reports.services import ServiceError
from reports.services.workflow import (
    SubmissionRefused,
    report_approve,
    report_reopen,
    report_return,
    report_submit,
)
from reports.signals import ReportLockedError
from tests.factories import DefinitionFactory, SectionFactory, ValueFactory
from tests.reports.workflow_world import set_state

D, S, R, A = Report.State.DRAFT, Report.State.SUBMITTED, Report.State.RETURNED, Report.State.APPROVED
STATES = (D, S, R, A)


def _do(action: str, report: Report, user) -> Report:
    if action == "submit":
        return report_submit(report=report, acting_user=user)
    if action == "return":
        return report_return(report=report, acting_user=user, comment="请补充数据。")
    if action == "approve":
        return report_approve(report=report, acting_user=user)
    return report_reopen(report=report, acting_user=user, reason="数据有误，需更正。")


# Outcome per state, in the order draft, submitted, returned, approved:
#   ok      the step happens
#   denied  PermissionDenied (may not see the report, or the wrong role for this step)
#   state   ServiceError: the step does not fit the report's state (said in the user's language)
EXPECTED = {
    "submit": {
        "clerk": "ok state ok state",
        "reviewer": "denied state denied state",
        "province_reviewer": "denied denied denied state",
        "other_reviewer": "denied denied denied denied",
        "admin_member": "denied state denied state",
        "superuser": "denied state denied state",
        "other_clerk": "denied denied denied denied",
    },
    "return": {
        "clerk": "state denied state state",
        "reviewer": "denied ok state state",
        "province_reviewer": "denied denied denied state",
        "other_reviewer": "denied denied denied denied",
        "admin_member": "state denied state state",
        "superuser": "state denied state state",
        "other_clerk": "denied denied denied denied",
    },
    "reopen": {
        "clerk": "state state state denied",
        "reviewer": "denied state state ok",
        "province_reviewer": "denied denied denied denied",
        "other_reviewer": "denied denied denied denied",
        "admin_member": "state state state denied",
        "superuser": "state state state denied",
        "other_clerk": "denied denied denied denied",
    },
}
EXPECTED["approve"] = EXPECTED["return"]
TARGET = {"submit": S, "return": R, "approve": A, "reopen": R}

CASES = [
    (action, persona, state, outcome)
    for action, table in EXPECTED.items()
    for persona, outcomes in table.items()
    for state, outcome in zip(STATES, outcomes.split(), strict=True)
]


@pytest.mark.parametrize(("action", "persona", "state", "outcome"), CASES)
def test_every_step_from_every_state_by_every_persona(world, action, persona, state, outcome):
    report = set_state(world.report, state)
    user = world.people[persona]
    before = Transition.objects.count()
    if outcome == "ok":
        done = _do(action, report, user)
        assert done.state == TARGET[action]
        t = Transition.objects.get(report=report)
        assert (t.actor, t.from_state, t.to_state) == (user, state, TARGET[action])
        assert AuditEvent.objects.filter(report=report, action=action, actor=user).exists()
        return
    expected_error = PermissionDenied if outcome == "denied" else ServiceError
    with pytest.raises(expected_error) as excinfo:
        _do(action, report, user)
    if outcome == "state":
        assert str(excinfo.value)  # a message for the user
    report.refresh_from_db()
    assert report.state == state
    assert Transition.objects.count() == before


@pytest.mark.parametrize(("action", "persona", "state", "outcome"), CASES)
def test_policy_agrees_with_the_services(world, action, persona, state, outcome):
    """The buttons the templates show (policy.can) match what the services accept."""
    report = set_state(world.report, state)
    policy_action = {"submit": "submit", "return": "review", "approve": "review", "reopen": "reopen"}[action]
    assert policy.can(world.people[persona], policy_action, report) == (outcome == "ok")


def test_full_cycle_records_times_and_versions(world):
    report = report_submit(report=world.report, acting_user=world.clerk)
    assert report.submitted_at is not None and report.approved_at is None
    report = report_return(report=report, acting_user=world.reviewer, comment="请修改。")
    Section.objects.filter(pk=world.sections[2].pk).update(body="基层人才不足，全科医生缺口大。")
    report = report_submit(report=report, acting_user=world.clerk)
    report = report_approve(report=report, acting_user=world.reviewer, comment="同意。")
    assert report.approved_at is not None and report.signed_on is None  # signed_on is the clerk's only
    assert list(Transition.objects.filter(report=report).values_list("from_state", "to_state")) == [
        (D, S),
        (S, R),
        (R, S),
        (S, A),
    ]
    assert list(report.versions.values_list("number", flat=True)) == [1, 2]
    report = report_reopen(report=report, acting_user=world.reviewer, reason="数据需更正。")
    assert report.state == R and report.approved_at is None
    assert Transition.objects.filter(report=report).last().comment == "数据需更正。"


@pytest.mark.parametrize("blank", ["", "   "])
def test_return_needs_a_comment_and_reopen_a_reason(world, blank):
    set_state(world.report, S)
    with pytest.raises(ServiceError, match="必须填写意见"):
        report_return(report=world.report, acting_user=world.reviewer, comment=blank)
    set_state(world.report, A)
    with pytest.raises(ServiceError, match="必须填写理由"):
        report_reopen(report=world.report, acting_user=world.reviewer, reason=blank)
    assert not Transition.objects.exists()


def test_return_flags_sections_and_values_for_the_clerk(world):
    definition = DefinitionFactory(slug="fds_coverage")
    ValueFactory(report=world.report, definition=definition, value=Decimal("60"))
    set_state(world.report, S)
    root, child, problems = world.sections
    report_return(
        report=world.report,
        acting_user=world.reviewer,
        comment="两处需要修改。",
        section_comments={problems.pk: "问题写得太笼统。", child.pk: "请补充数据来源。", root.pk: "  "},
        indicator_comments={"fds_coverage": "与正文不一致。"},
    )
    comments = open_review_comments(report=world.report)
    # Reading order: sections by number (the child 一、（一） before 二、), then the indicator.
    assert [(c.section_id, c.indicator_id, c.text) for c in comments] == [
        (child.pk, None, "请补充数据来源。"),
        (problems.pk, None, "问题写得太笼统。"),
        (None, definition.pk, "与正文不一致。"),
    ]
    assert [c.number for c in comments[:2]] == ["（一）", "二、"]
    assert all(c.transition.comment == "两处需要修改。" for c in comments)
    # Resubmitting deals with them.
    report_submit(report=world.report, acting_user=world.clerk)
    assert open_review_comments(report=world.report) == []
    assert ReviewComment.objects.filter(report=world.report, resolved=True).count() == 3


def test_return_refuses_comments_on_foreign_sections_or_unknown_indicators(world):
    foreign = SectionFactory()
    set_state(world.report, S)
    with pytest.raises(ServiceError):
        report_return(report=world.report, acting_user=world.reviewer, comment="x", section_comments={foreign.pk: "x"})
    with pytest.raises(ServiceError):
        report_return(report=world.report, acting_user=world.reviewer, comment="x", indicator_comments={"nope": "x"})
    world.report.refresh_from_db()
    assert world.report.state == S and not ReviewComment.objects.exists()


# ----- checks before submit ------------------------------------------------------------------------


def test_a_ready_report_has_no_problems(world):
    assert submission_problems(report=world.report) == []


def test_empty_required_sections_are_listed_with_links(world):
    root, child, problems = world.sections
    Section.objects.filter(pk__in=[child.pk, problems.pk]).update(body="")
    found = submission_problems(report=world.report)
    assert [p.code for p in found if p.blocking] == ["section_empty", "section_empty"]
    assert found[0].url == f"/reports/{world.report.pk}/edit/#s{root.pk}"
    assert "一、" in found[0].message and "工作开展情况" in found[0].message
    assert found[1].url.endswith(f"#s{problems.pk}")
    with pytest.raises(SubmissionRefused) as excinfo:
        report_submit(report=world.report, acting_user=world.clerk)
    assert len(excinfo.value.problems) == 2
    world.report.refresh_from_db()
    assert world.report.state == D and not ReportVersion.objects.exists()


def test_a_required_subsection_needs_its_own_text(world):
    root, child, _ = world.sections
    Section.objects.filter(pk=child.pk).update(required=True, body="")
    Section.objects.filter(pk=root.pk).update(body="总述。")
    assert [p.url.split("#")[1] for p in submission_problems(report=world.report)] == [f"s{child.pk}"]


def test_required_indicators_need_a_value_or_a_note(world):
    needed = DefinitionFactory(slug="nip_vaccination", required=True)
    noted = DefinitionFactory(slug="maternal_mortality", required=True)
    DefinitionFactory(slug="optional_one", required=False)
    ValueFactory(report=world.report, definition=noted, value=None, note="本年度无活产数据。")
    found = submission_problems(report=world.report)
    assert [(p.code, p.url.split("#")[1]) for p in found] == [("indicator_missing", "i-nip_vaccination")]
    assert needed.name in found[0].message


def test_out_of_range_values_need_a_note(world):
    d = DefinitionFactory(slug="infant_mortality", kind="permille", range_min=Decimal("1"), range_max=Decimal("8"))
    value = ValueFactory(report=world.report, definition=d, value=Decimal("12.5000"))
    found = submission_problems(report=world.report)
    assert [p.code for p in found] == ["indicator_out_of_range"]
    assert "12.5" in found[0].message and "12.5000" not in found[0].message
    IndicatorValue.objects.filter(pk=value.pk).update(note="外地户籍婴儿死亡2例。")
    assert submission_problems(report=world.report) == []


def test_more_checks_can_be_appended(world, monkeypatch):
    monkeypatch.setattr("reports.selectors.checks.CHECKS", list(CHECKS))

    def figures_match(ctx):
        return [Problem(code="figures", message="图文不一致", url=ctx.edit_url)]

    assert register_check(figures_match) is figures_match
    register_check(figures_match)
    assert [p.code for p in submission_problems(report=world.report)] == ["figures"]


# ----- snapshots -----------------------------------------------------------------------------------


def test_each_submission_freezes_the_content(world):
    d = DefinitionFactory(slug="fds_coverage", kind="percent", multiplier=100, denominator_label="人口")
    ValueFactory(report=world.report, definition=d, value=Decimal("60.0000"), numerator=60, denominator=100)
    report_submit(report=world.report, acting_user=world.clerk)
    version = ReportVersion.objects.get(report=world.report)
    assert version.number == 1 and version.created_by == world.clerk
    sections = version.content["sections"]
    assert [(s["number"], s["heading"]) for s in sections] == [
        ("一、", "工作开展情况"),
        ("（一）", "做实基本公共卫生服务"),
        ("二、", "存在的问题"),
    ]
    assert sections[1]["parent"] == world.sections[0].pk and sections[1]["body"] == "签约服务覆盖率达60%。"
    assert set(sections[0]) >= {"number", "heading", "body", "kind", "parent"}
    assert version.content["values"] == [
        {"slug": "fds_coverage", "value": "60", "numerator": "60", "denominator": "100", "note": ""}
    ]
    # Later edits (after a return) do not touch the frozen version.
    report_return(report=world.report, acting_user=world.reviewer, comment="改。")
    Section.objects.filter(pk=world.sections[2].pk).update(body="改过了。")
    report_submit(report=world.report, acting_user=world.clerk)
    v1, v2 = ReportVersion.objects.filter(report=world.report).order_by("number")
    assert v1.content["sections"][2]["body"] == "基层人才不足。"
    assert v2.content["sections"][2]["body"] == "改过了。"


def test_snapshots_refuse_every_change(world):
    report_submit(report=world.report, acting_user=world.clerk)
    version = ReportVersion.objects.get()
    version.content = {"sections": []}
    with pytest.raises(ValidationError):
        version.save()
    with pytest.raises(ValidationError):
        version.delete()
    with pytest.raises(ValidationError):
        ReportVersion.objects.filter(pk=version.pk).update(content={})
    with pytest.raises(ValidationError):
        ReportVersion.objects.filter(pk=version.pk).delete()
    with pytest.raises(ValidationError), transaction.atomic():  # bulk_update joins the outer transaction
        ReportVersion.objects.bulk_update([version], ["content"])
    version.refresh_from_db()
    assert version.content["sections"]


# ----- locking -------------------------------------------------------------------------------------


@contextmanager
def refused():
    """The lock raises inside Model.save/delete, which marks the surrounding transaction for rollback:
    give each attempt its own savepoint, as a caller that wants to carry on would."""
    with pytest.raises(ReportLockedError), transaction.atomic():
        yield


@pytest.fixture
def approved(world):
    d = DefinitionFactory(slug="population")
    value = ValueFactory(report=world.report, definition=d, value=Decimal("500000"))
    report_submit(report=world.report, acting_user=world.clerk)
    report_approve(report=world.report, acting_user=world.reviewer)
    world.report.refresh_from_db()
    world.value = value
    return world


def test_an_approved_report_refuses_the_services(approved):
    report = approved.report
    for user in (approved.clerk, approved.reviewer, approved.superuser):
        assert not policy.can(user, "edit", report)
        with pytest.raises(PermissionDenied):
            values_save(report=report, acting_user=user, rows=[ValueInput(definition=approved.value.definition)])
    assert IndicatorValue.objects.filter(pk=approved.value.pk).exists()


def test_an_approved_report_refuses_the_orm(approved):
    """Even the shell: save, create, delete of sections and values, renaming or deleting the report."""
    section = Section.objects.get(pk=approved.sections[2].pk)
    section.body = "偷偷改。"
    with refused():
        section.save()
    with refused():
        Section.objects.create(report=approved.report, heading="新增")
    with refused():
        section.delete()
    value = IndicatorValue.objects.get(pk=approved.value.pk)
    value.value = Decimal("1")
    with refused():
        value.save()
    with refused():
        value.delete()
    report = Report.objects.get(pk=approved.report.pk)
    report.title = "改标题"
    with refused():
        report.save()
    with refused():
        Report.objects.get(pk=approved.report.pk).delete()
    # Moving a section out of the approved report into a draft is a change to the approved one too.
    other = SectionFactory()
    section = Section.objects.get(pk=approved.sections[2].pk)
    section.report = other.report
    with refused():
        section.save()
    assert Section.objects.get(pk=section.pk).body == "基层人才不足。"


def test_reopening_unlocks(approved):
    report_reopen(report=approved.report, acting_user=approved.reviewer, reason="更正。")
    section = Section.objects.get(pk=approved.sections[2].pk)
    section.body = "更正后的内容。"
    section.save()
    result = values_save(
        report=approved.report,
        acting_user=approved.clerk,
        rows=[ValueInput(definition=approved.value.definition, value=Decimal("510000"))],
    )
    assert result.saved[0].value == Decimal("510000")


def test_the_admin_refuses_an_approved_report(approved, client):
    client.force_login(approved.superuser)
    report, section = approved.report, approved.sections[2]
    assert client.get(f"/admin/reports/report/{report.pk}/change/").status_code == 200  # read-only view
    response = client.post(f"/admin/reports/report/{report.pk}/change/", {"title": "改标题"})
    assert response.status_code == 403
    response = client.post(f"/admin/reports/section/{section.pk}/change/", {"heading": "改", "body": "改"})
    assert response.status_code == 403
    assert client.post(f"/admin/reports/section/{section.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.post(f"/admin/reports/report/{report.pk}/delete/", {"post": "yes"}).status_code == 403
    report.refresh_from_db()
    assert report.title != "改标题" and Section.objects.get(pk=section.pk).body == "基层人才不足。"


# ----- mail ----------------------------------------------------------------------------------------


def test_mail_goes_out_only_after_commit(world, django_capture_on_commit_callbacks):
    world.reviewer.email = "reviewer@example.org"
    world.reviewer.save()
    world.province_reviewer.email = "province@example.org"  # not the parent: gets nothing
    world.province_reviewer.save()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report_submit(report=world.report, acting_user=world.clerk)
    assert mail.outbox == [] and len(callbacks) == 1
    callbacks[0]()
    assert [m.to for m in mail.outbox] == [["reviewer@example.org"]]
    assert world.report.title in mail.outbox[0].subject and "报送审核" in mail.outbox[0].subject
    assert f"/reports/{world.report.pk}/review/" in mail.outbox[0].body
    assert "查看链接：http" in mail.outbox[0].body  # a full-width colon takes no space after it

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        report_return(
            report=world.report,
            acting_user=world.reviewer,
            comment="请补充妇幼数据。",
            section_comments={world.sections[2].pk: "问题写得太笼统。"},
        )
    assert [m.to for m in mail.outbox] == [["clerk@example.org"]]
    assert "- 存在的问题：问题写得太笼统。" in mail.outbox[0].body
    assert "请补充妇幼数据。" in mail.outbox[0].body and "退回" in mail.outbox[0].subject

    for step in (
        lambda: report_submit(report=world.report, acting_user=world.clerk),
        lambda: report_approve(report=world.report, acting_user=world.reviewer),
        lambda: report_reopen(report=world.report, acting_user=world.reviewer, reason="更正数据。"),
    ):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            step()
        assert len(mail.outbox) == 1
    assert "更正数据。" in mail.outbox[0].body and mail.outbox[0].to == ["clerk@example.org"]


def test_no_mail_when_the_step_rolls_back(world, django_capture_on_commit_callbacks):
    class Boom(Exception):
        pass

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(Boom), transaction.atomic():
            report_submit(report=world.report, acting_user=world.clerk)
            raise Boom
    assert callbacks == [] and mail.outbox == []
    world.report.refresh_from_db()
    assert world.report.state == D


def test_a_failing_mail_server_does_not_fail_the_step(world, django_capture_on_commit_callbacks, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr("reports.services.notify.send_mass_mail", broken)
    world.reviewer.email = "reviewer@example.org"
    world.reviewer.save()
    with django_capture_on_commit_callbacks(execute=True):
        report_submit(report=world.report, acting_user=world.clerk)
    world.report.refresh_from_db()
    assert world.report.state == S


def test_policy_reviewed_bureaus_are_the_direct_children_only(world):
    from reports.models import Bureau

    direct = set(Bureau.objects.filter(policy.reviewed_bureaus_q(world.reviewer)).values_list("code", flat=True))
    assert direct == {"341802", "341821"}
    province_direct = Bureau.objects.filter(policy.reviewed_bureaus_q(world.province_reviewer))
    assert set(province_direct.values_list("code", flat=True)) == {"341800", "340200"}
    assert not Bureau.objects.filter(policy.reviewed_bureaus_q(world.clerk)).exists()
    assert policy.is_reviewer(world.reviewer) and not policy.is_reviewer(world.clerk)
    assert not policy.is_reviewer(world.superuser)


def test_demo_reports_carry_their_snapshots_and_flags(demo):
    for report in Report.objects.exclude(state=D):
        assert report.versions.count() == 1, report
        assert report.versions.get().content["sections"]
    returned = Report.objects.get(state=R)
    flagged = open_review_comments(report=returned)
    assert len(flagged) == 2 and all(c.section_id for c in flagged)
    assert not Report.objects.filter(state=D, versions__isnull=False).exists()
