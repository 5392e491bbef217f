"""In-app notices (issue 16): each workflow step's event makes the notices for the same people as its
mail; the bell counts one's own unread notices; the list shows only one's own; opening one marks it
read and leads to its report."""

from __future__ import annotations

import pytest
from django.urls import reverse

from reports.models import Notification, Report
from reports.services import ServiceError
from reports.services.workflow import report_approve, report_return, report_submit
from tests.reports.workflow_world import set_state


def _notices(user) -> list[tuple[str, int | None]]:
    return list(Notification.objects.filter(user=user).values_list("kind", "report_id"))


@pytest.mark.django_db
def test_submit_tells_the_parent_reviewers_and_return_tells_the_clerks(
    world, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        report_submit(report=world.report, acting_user=world.clerk)
    assert _notices(world.reviewer) == [("submitted", world.report.pk)]
    assert _notices(world.clerk) == [] and _notices(world.province_reviewer) == []
    assert [m.to for m in mailoutbox] == [[world.reviewer.email]]
    notice = Notification.objects.get(user=world.reviewer)
    assert notice.text == mailoutbox[0].subject  # one event: the notice says what the mail's subject says

    with django_capture_on_commit_callbacks(execute=True):
        report_return(report=world.report, acting_user=world.reviewer, comment="请补充数据。")
    assert _notices(world.clerk) == [("returned", world.report.pk)]
    assert _notices(world.other_clerk) == []


@pytest.mark.django_db
def test_a_refused_step_leaves_no_notice(world):
    set_state(world.report, Report.State.SUBMITTED)
    with pytest.raises(ServiceError):
        report_return(report=world.report, acting_user=world.reviewer, comment="")  # refused: no comment
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_bell_list_and_follow(world, client):
    set_state(world.report, Report.State.SUBMITTED)
    report_approve(report=world.report, acting_user=world.reviewer)
    Notification.objects.create(user=world.other_clerk, kind="chaser", text="别人的催报")
    client.force_login(world.clerk)

    page = client.get(reverse("home"))
    assert 'data-unread="1"' in page.content.decode()
    listing = client.get(reverse("notification_list")).content.decode()
    assert "别人的催报" not in listing
    notice = Notification.objects.get(user=world.clerk)
    assert notice.kind == "approved" and reverse("notification_follow", args=[notice.pk]) in listing

    response = client.get(reverse("notification_follow", args=[notice.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("report_history", args=[world.report.pk])
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert "data-unread" not in client.get(reverse("home")).content.decode()

    other = Notification.objects.get(user=world.other_clerk)
    assert client.get(reverse("notification_follow", args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert other.read_at is None


@pytest.mark.django_db
def test_the_bell_costs_one_query(world, client, django_assert_num_queries):
    from reports.views.notifications import bell

    class Request:
        user = world.clerk

    with django_assert_num_queries(1):
        assert bell(Request()) == {"unread_notifications": 0}


@pytest.mark.django_db
def test_read_all(world, client):
    for _ in range(3):
        Notification.objects.create(user=world.clerk, kind="reminder", text="提醒")
    client.force_login(world.clerk)
    assert client.post(reverse("notification_read_all")).status_code == 302
    assert not Notification.objects.filter(user=world.clerk, read_at__isnull=True).exists()


@pytest.mark.django_db
def test_a_return_with_comments_on_places_tells_the_clerks_and_leads_to_the_editor(catalogue, world, client):
    """Issue 13: a reviewer's comments on sections and values leave the bureau's clerks a "commented"
    notice (besides "returned"), which opens the editor where the comments sit beside their places."""
    set_state(world.report, Report.State.SUBMITTED)
    report_return(
        report=world.report,
        acting_user=world.reviewer,
        comment="请修改。",
        section_comments={world.sections[0].pk: "这一节太短。"},
        indicator_comments={"fds_coverage": "与上年差距大，请核实。"},
    )
    assert sorted(_notices(world.clerk)) == [("commented", world.report.pk), ("returned", world.report.pk)]
    assert _notices(world.other_clerk) == [] and _notices(world.reviewer) == []
    notice = Notification.objects.get(user=world.clerk, kind="commented")
    assert "2" in notice.text and world.report.title in notice.text
    client.force_login(world.clerk)
    response = client.get(reverse("notification_follow", args=[notice.pk]))
    assert response["Location"] == reverse("report_edit", args=[world.report.pk])


@pytest.mark.django_db
def test_a_return_without_comments_on_places_makes_no_commented_notice(world):
    set_state(world.report, Report.State.SUBMITTED)
    report_return(report=world.report, acting_user=world.reviewer, comment="请修改。")
    assert _notices(world.clerk) == [("returned", world.report.pk)]
