"""The user's in-app notices (issue 16): only ever one's own."""

from __future__ import annotations

from django.db.models import QuerySet

from ..models import Notification

LIST_LIMIT = 200


def unread_count(*, user) -> int:
    """For the bell: one query."""
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notifications_for(*, user, limit: int = LIST_LIMIT) -> list[Notification]:
    """The user's notices, newest first."""
    return list(Notification.objects.filter(user=user).select_related("report", "period")[:limit])


def own_notifications(*, user) -> QuerySet:
    """The queryset a user's notice ids are looked up in (another user's id is not found)."""
    return Notification.objects.filter(user=user)
