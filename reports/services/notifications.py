"""Marking in-app notices read (issue 16)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from ..models import Notification


@transaction.atomic
def notification_open(*, notification: Notification, acting_user) -> Notification:
    """Mark the user's own notice read (once; reading again keeps the first time). Another user's
    notice is refused with PermissionError: the view looks ids up among the user's own."""
    if notification.user_id != acting_user.pk:
        raise PermissionError("not this user's notice")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notifications_read_all(*, acting_user) -> int:
    """Mark all the user's unread notices read. Returns how many."""
    return Notification.objects.filter(user=acting_user, read_at__isnull=True).update(read_at=timezone.now())
