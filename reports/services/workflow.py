"""The review workflow: submit, return, approve, reopen.

draft → submitted → approved; submitted → returned → (edited) → submitted; approved → returned (reopen,
by a reviewer of the parent bureau, with a reason). Each step is one atomic function: it locks the report
row, checks policy and state, records the Transition and an audit event, and sends its mail only once
the transaction has committed.

Refusals: PermissionDenied when the user may not see the report or may not take this step (wrong role);
ServiceError (translated) when the step does not fit the report's state or the input is incomplete.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators.models import IndicatorDefinition

from .. import policy
from ..models import Report, ReviewComment, Section, Transition
from ..versions import version_write
from ..workflow_checks import Problem, submission_problems
from . import ServiceError
from .audit import audit_record
from .frozen import frozen_documents_discard, frozen_documents_schedule
from .notify import notify_transition


class SubmissionRefused(ServiceError):
    """The report is not ready: `problems` lists what to fix, each with a link."""

    def __init__(self, message: str, *, problems: list[Problem]):
        super().__init__(message)
        self.problems = problems


def _lock_and_check(
    *, report: Report, acting_user, action: str, from_states: tuple[str, ...], wrong_state: str
) -> Report:
    """Lock the report row, then check: visibility first (no hints about reports the user cannot see),
    then state, then role. Returns the locked, fresh report."""
    report = Report.objects.select_for_update().select_related("bureau", "period").get(pk=report.pk)
    if not policy.can_view(acting_user, report):
        raise PermissionDenied(f"report {report.pk} is not visible to this user")
    if report.state not in from_states:
        raise ServiceError(wrong_state)
    policy.require(acting_user, action, report)
    return report


def _required_text(value: str | None, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ServiceError(message)
    return value


def _record(*, report: Report, acting_user, action: str, to_state: str, comment: str = "", **detail) -> Transition:
    """The Transition and the audit event of one step; the mail goes out after commit."""
    transition = Transition.objects.create(
        report=report, actor=acting_user, from_state=report.state, to_state=to_state, comment=comment
    )
    report.state = to_state
    audit_record(
        actor=acting_user,
        action=action,
        report=report,
        from_state=transition.from_state,
        to_state=to_state,
        transition=transition.pk,
        **detail,
    )
    # robust: a mail server that is down is logged, it does not undo or fail the committed step.
    transaction.on_commit(lambda: notify_transition(transition_id=transition.pk), robust=True)
    return transition


@transaction.atomic
def report_submit(*, report: Report, acting_user) -> Report:
    """Send the report to the reviewers of the parent bureau, after the submission checks pass.
    Freezes the content as a new ReportVersion and marks earlier review comments as dealt with."""
    report = _lock_and_check(
        acting_user=acting_user,
        action="submit",
        report=report,
        from_states=Report.EDITABLE_STATES,
        wrong_state=_("Only a draft or a returned report can be submitted."),
    )
    problems = [p for p in submission_problems(report=report) if p.blocking]
    if problems:
        raise SubmissionRefused(
            _("The report cannot be submitted yet: %(count)s thing(s) to fix.") % {"count": len(problems)},
            problems=problems,
        )
    now = timezone.now()
    version = version_write(report=report, acting_user=acting_user)
    _record(
        report=report, acting_user=acting_user, action="submit", to_state=Report.State.SUBMITTED, version=version.number
    )
    ReviewComment.objects.filter(report=report, resolved=False).update(resolved=True)
    report.submitted_at = now
    report.approved_at = None
    report.signed_on = None
    report.save(update_fields=["state", "submitted_at", "approved_at", "signed_on", "updated_at"])
    return report


@transaction.atomic
def report_return(
    *,
    report: Report,
    acting_user,
    comment: str,
    section_comments: Mapping[int, str] | None = None,
    indicator_comments: Mapping[str, str] | None = None,
) -> Report:
    """Send a submitted report back to its bureau. `comment` (required) says why; `section_comments`
    (section id → text) and `indicator_comments` (indicator slug → text) flag particular places."""
    report = _lock_and_check(
        acting_user=acting_user,
        action="review",
        report=report,
        from_states=(Report.State.SUBMITTED,),
        wrong_state=_("Only a submitted report can be returned."),
    )
    comment = _required_text(comment, _("Say why the report is returned: a comment is required."))
    section_comments = {k: v.strip() for k, v in (section_comments or {}).items() if v and v.strip()}
    indicator_comments = {k: v.strip() for k, v in (indicator_comments or {}).items() if v and v.strip()}
    sections = Section.objects.in_bulk([int(k) for k in section_comments]) if section_comments else {}
    if any(s.report_id != report.pk for s in sections.values()) or len(sections) != len(section_comments):
        raise ServiceError(_("A comment refers to a section that is not part of this report."))
    definitions = IndicatorDefinition.objects.in_bulk(list(indicator_comments), field_name="slug")
    if len(definitions) != len(indicator_comments):
        raise ServiceError(_("A comment refers to an unknown indicator."))

    transition = _record(
        report=report,
        acting_user=acting_user,
        action="return",
        to_state=Report.State.RETURNED,
        comment=comment,
        flagged_sections=len(section_comments),
        flagged_indicators=len(indicator_comments),
    )
    ReviewComment.objects.bulk_create(
        [
            ReviewComment(report=report, transition=transition, section=sections[int(k)], author=acting_user, text=t)
            for k, t in section_comments.items()
        ]
        + [
            ReviewComment(report=report, transition=transition, indicator=definitions[k], author=acting_user, text=t)
            for k, t in indicator_comments.items()
        ]
    )
    report.save(update_fields=["state", "updated_at"])
    return report


@transaction.atomic
def report_approve(*, report: Report, acting_user, comment: str = "") -> Report:
    """Approve a submitted report: it is signed today and locked from then on."""
    report = _lock_and_check(
        acting_user=acting_user,
        action="review",
        report=report,
        from_states=(Report.State.SUBMITTED,),
        wrong_state=_("Only a submitted report can be approved."),
    )
    _record(
        report=report,
        acting_user=acting_user,
        action="approve",
        to_state=Report.State.APPROVED,
        comment=(comment or "").strip(),
    )
    report.approved_at = timezone.now()
    report.signed_on = timezone.localdate(report.approved_at)
    report.save(update_fields=["state", "approved_at", "signed_on", "updated_at"])
    frozen_documents_schedule(report=report)
    return report


@transaction.atomic
def report_reopen(*, report: Report, acting_user, reason: str) -> Report:
    """Unlock an approved report for correction: it goes back to its bureau as returned. Only a
    reviewer of the parent bureau may do this, and must say why."""
    report = _lock_and_check(
        acting_user=acting_user,
        action="reopen",
        report=report,
        from_states=(Report.State.APPROVED,),
        wrong_state=_("Only an approved report can be reopened."),
    )
    reason = _required_text(reason, _("Say why the report is reopened: a reason is required."))
    _record(report=report, acting_user=acting_user, action="reopen", to_state=Report.State.RETURNED, comment=reason)
    frozen_documents_discard(report=report, acting_user=acting_user)
    report.approved_at = None
    report.signed_on = None
    report.save(update_fields=["state", "approved_at", "signed_on", "updated_at"])
    return report
