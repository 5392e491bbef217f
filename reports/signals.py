"""The app's signal receivers: the model-layer lock of approved reports, and log-ins in the audit trail.

The model-layer lock: content of an approved report refuses every change, whoever makes it.

Views and services already refuse through the policy and the admin through LockedWhenApprovedMixin;
these receivers make the shell and any other ORM path refuse as well (Model.save / delete, and the
cascade when an approved report itself is deleted). Reopening the report (workflow.report_reopen)
is the one way back to an editable state.

Log-in, log-out and failed log-ins go to the audit trail (who, from where, when).
"""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.db.models.signals import pre_delete, pre_save
from django.dispatch import receiver
from django.utils.translation import gettext as _

from healthreports.http import client_ip
from indicators.models import IndicatorValue

from .models import Report, Section
from .services.audit import audit_record


class ReportLockedError(ValidationError):
    """Raised by the model layer when something tries to change an approved report."""


def _locked_message() -> str:
    return _("This report is approved and locked; reopen it before changing anything.")


_RELATED = {Section: "sections", IndicatorValue: "values"}


def refuse_content_change(sender, instance, **kwargs) -> None:
    """pre_save / pre_delete of a Section or IndicatorValue: refuse when its report is approved."""
    if kwargs.get("raw"):  # loaddata of a fixture
        return
    where = Q(pk=instance.report_id)
    if instance.pk is not None:
        # Moving content away from an approved report counts as changing the approved one.
        where |= Q(**{_RELATED[sender]: instance.pk})
    if Report.objects.filter(where, state=Report.State.APPROVED).exists():
        raise ReportLockedError(_locked_message())


def refuse_report_change(sender, instance: Report, **kwargs) -> None:
    """pre_save of a Report: an approved report keeps its title, bureau and period. Changing its state
    (reopen) is allowed; that is how the workflow unlocks it."""
    if kwargs.get("raw") or instance.pk is None or instance.state != Report.State.APPROVED:
        return
    stored = Report.objects.filter(pk=instance.pk).values("state", "title", "bureau_id", "period_id").first()
    if stored is None or stored["state"] != Report.State.APPROVED:
        return
    if (stored["title"], stored["bureau_id"], stored["period_id"]) != (
        instance.title,
        instance.bureau_id,
        instance.period_id,
    ):
        raise ReportLockedError(_locked_message())


def refuse_report_delete(sender, instance: Report, **kwargs) -> None:
    if instance.state == Report.State.APPROVED or Report.objects.filter(pk=instance.pk, state="approved").exists():
        raise ReportLockedError(_locked_message())


def connect() -> None:
    for model in (Section, IndicatorValue):
        pre_save.connect(refuse_content_change, sender=model, dispatch_uid=f"lock-save-{model._meta.label}")
        pre_delete.connect(refuse_content_change, sender=model, dispatch_uid=f"lock-delete-{model._meta.label}")
    pre_save.connect(refuse_report_change, sender=Report, dispatch_uid="lock-save-report")
    pre_delete.connect(refuse_report_delete, sender=Report, dispatch_uid="lock-delete-report")


# ----- log-ins in the audit trail ---------------------------------------------------------------


def _client(request) -> dict:
    if request is None:
        return {}
    return {"ip": client_ip(request), "user_agent": request.META.get("HTTP_USER_AGENT", "")[:200]}


@receiver(user_logged_in, dispatch_uid="audit_login")
def audit_login(sender, request, user, **kwargs) -> None:
    audit_record(actor=user, action="login", result="ok", **_client(request))


@receiver(user_logged_out, dispatch_uid="audit_logout")
def audit_logout(sender, request, user, **kwargs) -> None:
    if user is not None:
        audit_record(actor=user, action="logout", **_client(request))


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def audit_login_failed(sender, credentials, request=None, **kwargs) -> None:
    # `credentials` has the password already masked by Django; keep only the username tried.
    audit_record(
        actor=None,
        action="login_failed",
        username=str(credentials.get("username", ""))[:150],
        result="failed",
        **_client(request),
    )
