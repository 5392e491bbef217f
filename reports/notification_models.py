"""Notifications, reminders and chasers (issue 16): the in-app side of the workflow's mail and of
chasing late reports. Kept apart from models.py by subject; models.py imports them."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """An in-app notice for one user, made by the same event as its mail (services/notify.py)."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted for review")
        RETURNED = "returned", _("Returned")
        APPROVED = "approved", _("Approved")
        REOPENED = "reopened", _("Reopened")
        COMMENTED = "commented", _("Commented")
        REMINDER = "reminder", _("Reminder")
        CHASER = "chaser", _("Chaser")
        DIGEST = "digest", _("Waiting for review")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    report = models.ForeignKey("reports.Report", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    bureau = models.ForeignKey("reports.Bureau", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(
        "reports.ReportingPeriod", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    text = models.TextField(_("text"))
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_unread")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_kind_display()}"


class Reminder(models.Model):
    """One reminder or digest that went out; `key` names it (kind, stage, bureau or user, period or
    week), unique, so running send_reminders again never sends it twice."""

    key = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=20)
    bureau = models.ForeignKey("reports.Bureau", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(
        "reports.ReportingPeriod", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    sent_on = models.DateField()
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-sent_on", "-pk"]

    def __str__(self) -> str:
        return self.key


class Chaser(models.Model):
    """A reviewer's 催报 to a late bureau: at most one per bureau and period per day."""

    bureau = models.ForeignKey("reports.Bureau", verbose_name=_("bureau"), on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(
        "reports.ReportingPeriod", verbose_name=_("period"), on_delete=models.CASCADE, related_name="+"
    )
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    message = models.TextField(_("message"), blank=True)
    sent_on = models.DateField(_("sent on"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("chaser")
        verbose_name_plural = _("chasers")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["bureau", "period", "sent_on"], name="chaser_one_per_bureau_period_day")
        ]

    def __str__(self) -> str:
        return f"{self.bureau} {self.period} {self.sent_on}"
