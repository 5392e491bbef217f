"""The workflow table, fetching a report for a user, the approve-with-comments rule and four eyes.

The expectations are written from the rules (issue 4, 11, 12), not read from reports/workflow.py."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from reports import policy, workflow
from reports.models import Membership, Report, ReviewComment, Transition
from reports.services import ServiceError
from reports.services.editing import section_save
from reports.services.workflow import report_approve, report_reopen, report_return, report_submit
from tests.factories import MembershipFactory, UserFactory
from tests.reports.workflow_world import set_state

D, S, R, A = Report.State.DRAFT, Report.State.SUBMITTED, Report.State.RETURNED, Report.State.APPROVED


# ----- the table -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "sources", "target", "action", "event"),
    [
        ("submit", {D, R}, S, "submit", "submitted"),
        ("return", {S}, R, "review", "returned"),
        ("approve", {S}, A, "review", "approved"),
        ("reopen", {A}, R, "reopen", "reopened"),
    ],
)
def test_each_step_goes_from_its_sources_to_its_target(name, sources, target, action, event):
    step = workflow.step(name)
    assert (set(step.sources), step.target, step.action, step.event) == (sources, target, action, event)
    assert str(step.refusal)  # a message for the user when the state does not fit


def test_the_table_holds_exactly_the_four_steps():
    assert set(workflow.STEPS) == {"submit", "return", "approve", "reopen"}
    assert set(workflow.REVIEW_DECISIONS) == {"return", "approve", "reopen"}


def test_an_unknown_step_or_action_raises():
    with pytest.raises(KeyError):
        workflow.step("publish")
    with pytest.raises(KeyError):
        workflow.action_states("publish")
    with pytest.raises(ValueError):
        policy.can(None, "publish", Report())


def test_states_of_a_policy_action():
    assert workflow.action_states("submit") == {D, R}
    assert workflow.action_states("review") == {S}
    assert workflow.action_states("reopen") == {A}


def test_the_reopen_mail_comes_from_the_step_not_from_the_state_pair(world, django_capture_on_commit_callbacks):
    """approved → returned is a reopen; the mail says so (its own template, the reason in it)."""
    set_state(world.report, A)
    with django_capture_on_commit_callbacks(execute=True):
        report_reopen(report=world.report, acting_user=world.reviewer, reason="数据口径需要更正。")
    assert len(mail.outbox) == 1 and "数据口径需要更正。" in mail.outbox[0].body
    reopened = mail.outbox[0].subject
    mail.outbox.clear()
    set_state(world.report, S)
    with django_capture_on_commit_callbacks(execute=True):
        report_return(report=world.report, acting_user=world.reviewer, comment="请补充。")
    assert mail.outbox[0].subject != reopened


# ----- fetching a report for a user ---------------------------------------------------------------


def test_access_report_hides_what_one_may_not_see_and_refuses_what_one_may_not_do(world):
    report = world.report  # a draft of the county
    assert policy.access_report(world.clerk, report.pk, "edit") == report
    with pytest.raises(Http404):  # another county's clerk: does not even learn it exists
        policy.access_report(world.other_clerk, report.pk, "view")
    with pytest.raises(Http404):  # the city reviewer does not see a draft
        policy.access_report(world.reviewer, report.pk, "view")
    with pytest.raises(Http404):  # no such report
        policy.access_report(world.clerk, report.pk + 1000, "view")
    set_state(report, S)
    assert policy.access_report(world.reviewer, report.pk, "view") == report
    with pytest.raises(PermissionDenied):  # seen, but a reviewer does not edit
        policy.access_report(world.reviewer, report.pk, "edit")
    with pytest.raises(PermissionDenied):  # seen, but submitted is locked for the clerk too
        policy.access_report(world.clerk, report.pk, "edit")


# ----- approving with comments --------------------------------------------------------------------


def test_approve_with_comments_on_sections_or_values_is_refused_by_the_service(world):
    set_state(world.report, S)
    for flags in ({"section_comments": {world.sections[2].pk: "再具体些。"}}, {"indicator_comments": {"x": "核实"}}):
        with pytest.raises(ServiceError, match="go back with a return|随退回一并发送"):
            report_approve(report=world.report, acting_user=world.reviewer, **flags)
        world.report.refresh_from_db()
        assert world.report.state == S
    assert not Transition.objects.filter(report=world.report).exists()
    assert not ReviewComment.objects.exists()
    # blank comment boxes are no comments
    done = report_approve(report=world.report, acting_user=world.reviewer, section_comments={world.sections[2].pk: " "})
    assert done.state == A


# ----- four eyes ----------------------------------------------------------------------------------


@pytest.fixture
def dual(world):
    """Clerk of the county AND reviewer of its city."""
    user = UserFactory(username="dual_role")
    MembershipFactory(user=user, bureau=world.county, role=Membership.Role.STAFF)
    MembershipFactory(user=user, bureau=world.city, role=Membership.Role.REVIEWER)
    return user


@pytest.mark.parametrize("step", ["approve", "return"])
def test_who_submitted_a_version_cannot_approve_or_return_it(world, dual, step):
    world.report = report_submit(report=world.report, acting_user=dual)
    assert not policy.can(dual, "review", world.report)
    with pytest.raises(ServiceError, match="another reviewer|另一位审核员"):
        if step == "approve":
            report_approve(report=world.report, acting_user=dual)
        else:
            report_return(report=world.report, acting_user=dual, comment="自己退回自己")
    world.report.refresh_from_db()
    assert world.report.state == S and Transition.objects.filter(report=world.report).count() == 1
    # another reviewer of the city may
    assert policy.can(world.reviewer, "review", world.report)
    assert report_approve(report=world.report, acting_user=world.reviewer).state == A


def test_who_edited_after_the_last_return_cannot_approve(world, dual):
    world.report = report_submit(report=world.report, acting_user=world.clerk)
    assert policy.can(dual, "review", world.report)  # someone else's version
    report_return(report=world.report, acting_user=world.reviewer, comment="请补充。")
    section = world.sections[2]
    section.refresh_from_db()
    section_save(
        section=section, acting_user=dual, heading=section.heading, body="补充了内容。", version=section.version
    )
    world.report = report_submit(report=world.report, acting_user=world.clerk)
    assert not policy.can(dual, "review", world.report)
    with pytest.raises(ServiceError):
        report_approve(report=world.report, acting_user=dual)


def test_edits_before_the_last_return_do_not_count(world, dual):
    report_submit(report=world.report, acting_user=dual)
    report_return(report=world.report, acting_user=world.reviewer, comment="请补充。")
    world.report = report_submit(report=world.report, acting_user=world.clerk)
    assert policy.can(dual, "review", world.report)
    assert report_approve(report=world.report, acting_user=dual).state == A


def test_the_review_page_says_why_and_changes_nothing(world, dual, client):
    report_submit(report=world.report, acting_user=dual)
    client.force_login(dual)
    url = reverse("report_review", args=[world.report.pk])
    page = client.get(url)
    assert page.status_code == 200 and "另一位审核员" in page.content.decode()
    response = client.post(url, {"decision": "approve", "comment": ""})
    assert response.status_code == 200 and "另一位审核员" in response.content.decode()
    world.report.refresh_from_db()
    assert world.report.state == S


def test_views_fetch_reports_only_through_access_report():
    """No view module looks a report up or checks visibility by itself (issue 11: six helpers had drifted)."""
    from pathlib import Path

    from django.conf import settings

    root = Path(settings.BASE_DIR)
    offenders = [
        str(path.relative_to(root))
        for folder in ("reports/views", "indicators/views")
        for path in (root / folder).glob("*.py")
        if any(
            needle in path.read_text(encoding="utf-8")
            for needle in (
                "get_object_or_404(Report",
                "Report.objects.select_related",
                "can_view(",
                "reports_visible_to",
            )
        )
    ]
    assert offenders == []
