"""The bell and the list of one's own notices (issue 16)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_POST

from ..models import Notification
from ..selectors import notifications as selectors
from ..services.notifications import notification_open, notifications_read_all


def bell(request) -> dict:
    """Context processor: the unread count for the navigation bar (one query, logged-in users only)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": selectors.unread_count(user=user)}


@login_required
@require_GET
def notification_list(request):
    return render(request, "notifications/list.html", {"notifications": selectors.notifications_for(user=request.user)})


# Where a notice about a report leads: the review page for the reviewers, the editor (comments beside
# their places) for a reviewer's comments, the report's trail otherwise.
FOLLOW = {Notification.Kind.SUBMITTED: "report_review", Notification.Kind.COMMENTED: "report_edit"}


@login_required
@require_GET
def notification_follow(request, pk: int):
    """Mark the notice read and go to its report (or back to the list)."""
    notice = get_object_or_404(selectors.own_notifications(user=request.user), pk=pk)
    notification_open(notification=notice, acting_user=request.user)
    if notice.report_id:
        return redirect(FOLLOW.get(notice.kind, "report_history"), pk=notice.report_id)
    return redirect(reverse("home"))  # a reminder or chaser before the report exists: start it there


@login_required
@require_POST
def notification_read_all(request):
    notifications_read_all(acting_user=request.user)
    return redirect("notification_list")


urlpatterns = [
    path("notifications/", notification_list, name="notification_list"),
    path("notifications/<int:pk>/", notification_follow, name="notification_follow"),
    path("notifications/read/", notification_read_all, name="notification_read_all"),
]
