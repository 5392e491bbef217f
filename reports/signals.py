"""The model-layer lock: content of an approved report refuses every change, whoever makes it.

Views and services already refuse through the policy and the admin through LockedWhenApprovedMixin;
these receivers make the shell and any other ORM path refuse as well (Model.save / delete, and the
cascade when an approved report itself is deleted). Reopening the report (workflow.report_reopen)
is the one way back to an editable state.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.db.models.signals import pre_delete, pre_save
from django.utils.translation import gettext as _

from indicators.models import IndicatorValue

from .models import Report, Section


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
