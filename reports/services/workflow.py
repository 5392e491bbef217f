"""The review workflow: submit, return, approve, reopen.

The steps (sources → target, policy action, mail event, refusal) are the table in reports/workflow.py.
Each step is one atomic function: it locks the report row, checks policy and state, records the
Transition and an audit event, and sends its mail only once the transaction has committed.

Refusals: PermissionDenied when the user may not see the report or may not take this step (wrong role);
ServiceError (translated) when the step does not fit the report's state, the input is incomplete, or
the reviewer submitted or edited this version themselves (four eyes, policy.four_eyes_refusal).
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
from ..selectors.checks import Problem, submission_problems
from ..selectors.timeliness import days_late
from ..workflow import Step, step
from . import ServiceError
from .audit import audit_record
from .frozen import frozen_documents_discard, frozen_documents_queue
from .notify import notice_comments, notice_transition, notify_transition
from .versions import version_write


class SubmissionRefused(ServiceError):
    """The report is not ready: `problems` lists what to fix, each with a link."""

    def __init__(self, message: str, *, problems: list[Problem]):
        super().__init__(message)
        self.problems = problems


def _lock_and_check(*, report: Report, acting_user, step: Step) -> Report:
    """Lock the report row, then check: visibility first (no hints about reports the user cannot see),
    then state, then four eyes, then role. Returns the locked, fresh report."""
    report = Report.objects.select_for_update().select_related("bureau", "period").get(pk=report.pk)
    if not policy.can_view(acting_user, report):
        raise PermissionDenied(f"report {report.pk} is not visible to this user")
    if report.state not in step.sources:
        raise ServiceError(str(step.refusal))
    refusal = policy.four_eyes_refusal(acting_user, step.action, report)
    if refusal:
        raise ServiceError(refusal)
    policy.require(acting_user, step.action, report)
    return report


def _required_text(value: str | None, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ServiceError(message)
    return value


def _flags(comments: Mapping | None) -> dict:
    """The comments that say something, stripped."""
    return {k: v.strip() for k, v in (comments or {}).items() if v and v.strip()}


def _record(*, report: Report, acting_user, step: Step, comment: str = "", **detail) -> Transition:
    """The Transition and the audit event of one step; the mail goes out after commit."""
    transition = Transition.objects.create(
        report=report, actor=acting_user, from_state=report.state, to_state=step.target, comment=comment
    )
    report.state = step.target
    audit_record(
        actor=acting_user,
        action=step.name,
        report=report,
        from_state=transition.from_state,
        to_state=step.target,
        transition=transition.pk,
        **detail,
    )
    notice_transition(transition=transition, step=step)
    # robust: a mail server that is down is logged, it does not undo or fail the committed step.
    transaction.on_commit(lambda: notify_transition(transition_id=transition.pk, step_name=step.name), robust=True)
    return transition


@transaction.atomic
def report_submit(*, report: Report, acting_user) -> Report:
    """Send the report to the reviewers of the parent bureau, after the submission checks pass.
    Freezes the content as a new ReportVersion and marks earlier review comments as dealt with."""
    report = _lock_and_check(report=report, acting_user=acting_user, step=step("submit"))
    policy.require_open(report.period)
    problems = [p for p in submission_problems(report=report) if p.blocking]
    if problems:
        raise SubmissionRefused(
            _("The report cannot be submitted yet: %(count)s thing(s) to fix.") % {"count": len(problems)},
            problems=problems,
        )
    now = timezone.now()
    version = version_write(report=report, acting_user=acting_user)
    _record(report=report, acting_user=acting_user, step=step("submit"), version=version.number)
    ReviewComment.objects.filter(report=report, resolved=False).update(resolved=True)
    report.submitted_at = now
    if report.first_submitted_at is None:  # timeliness is fixed at the first submission
        report.first_submitted_at = now
        report.days_late = days_late(period=report.period, bureau=report.bureau, submitted=now)
    report.approved_at = None
    report.save(update_fields=["state", "submitted_at", "first_submitted_at", "days_late", "approved_at", "updated_at"])
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
    report = _lock_and_check(report=report, acting_user=acting_user, step=step("return"))
    comment = _required_text(comment, _("Say why the report is returned: a comment is required."))
    section_comments = _flags(section_comments)
    indicator_comments = _flags(indicator_comments)
    sections = Section.objects.in_bulk([int(k) for k in section_comments]) if section_comments else {}
    if any(s.report_id != report.pk for s in sections.values()) or len(sections) != len(section_comments):
        raise ServiceError(_("A comment refers to a section that is not part of this report."))
    definitions = IndicatorDefinition.objects.in_bulk(list(indicator_comments), field_name="slug")
    if len(definitions) != len(indicator_comments):
        raise ServiceError(_("A comment refers to an unknown indicator."))

    transition = _record(
        report=report,
        acting_user=acting_user,
        step=step("return"),
        comment=comment,
        flagged_sections=len(section_comments),
        flagged_indicators=len(indicator_comments),
    )
    flagged = ReviewComment.objects.bulk_create(
        [
            ReviewComment(report=report, transition=transition, section=sections[int(k)], author=acting_user, text=t)
            for k, t in section_comments.items()
        ]
        + [
            ReviewComment(report=report, transition=transition, indicator=definitions[k], author=acting_user, text=t)
            for k, t in indicator_comments.items()
        ]
    )
    notice_comments(report=report, count=len(flagged))
    report.save(update_fields=["state", "updated_at"])
    return report


@transaction.atomic
def report_approve(
    *,
    report: Report,
    acting_user,
    comment: str = "",
    section_comments: Mapping[int, str] | None = None,
    indicator_comments: Mapping[str, str] | None = None,
) -> Report:
    """Approve a submitted report: it is locked from then on, and signed on the date the clerk set or
    else on the approval date (the document reads `approved_at`; `signed_on` stays the clerk's). Comments on sections
    or values go back with a return, so an approval carrying any is refused."""
    report = _lock_and_check(report=report, acting_user=acting_user, step=step("approve"))
    if _flags(section_comments) or _flags(indicator_comments):
        raise ServiceError(
            _("Comments on sections and values go back with a return. Return the report, or clear them to approve.")
        )
    _record(
        report=report,
        acting_user=acting_user,
        step=step("approve"),
        comment=(comment or "").strip(),
    )
    report.approved_at = timezone.now()
    report.save(update_fields=["state", "approved_at", "updated_at"])
    frozen_documents_queue(report_id=report.pk)  # rendered and stored once this approval commits (issue 15)
    return report


@transaction.atomic
def report_reopen(*, report: Report, acting_user, reason: str) -> Report:
    """Unlock an approved report for correction: it goes back to its bureau as returned. Only a
    reviewer of the parent bureau may do this, and must say why."""
    report = _lock_and_check(report=report, acting_user=acting_user, step=step("reopen"))
    reason = _required_text(reason, _("Say why the report is reopened: a reason is required."))
    _record(report=report, acting_user=acting_user, step=step("reopen"), comment=reason)
    frozen_documents_discard(report=report, acting_user=acting_user)
    report.approved_at = None  # the approval date goes; a signing date the clerk set stays
    report.save(update_fields=["state", "approved_at", "updated_at"])
    return report
