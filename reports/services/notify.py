"""Mail and in-app notices. One event makes both, for the same people: the notice's text is the
mail's subject line, and the notice links to the report.

Workflow steps: each step's event and audience come from the workflow table (reports/workflow.py):
submit → the reviewers of the parent bureau; return, approve, reopen → the bureau's staff. The notices
are written inside the step's transaction (`notice_transition`); the mail goes out after commit
(`notify_transition`), never for a rolled-back step. Chasers and reminders (issue 16) go through
`notices_create` and `mail_send` the same way. A return that flags places (sections, values) also
leaves the clerks a "commented" notice that leads to the editor, where each comment sits beside its
place (`notice_comments`; the returned mail already lists them). Subject and body come from templates/mail/, rendered in
the site language (Simplified Chinese by default).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext

from ..models import Membership, Notification, Report, Transition
from ..workflow import REVIEWERS, Step, step


def members(*, bureau_id: int | None, role: str) -> QuerySet:
    """The active users with `role` at the bureau (none for no bureau)."""
    return get_user_model().objects.filter(
        is_active=True, pk__in=Membership.objects.filter(bureau_id=bureau_id, role=role).values("user_id")
    )


def audience(*, report: Report, step: Step) -> QuerySet:
    """The active users a step concerns: reviewers of the parent bureau, or the bureau's staff."""
    if step.audience == REVIEWERS:
        return members(bureau_id=report.bureau.parent_id, role=Membership.Role.REVIEWER)
    return members(bureau_id=report.bureau_id, role=Membership.Role.STAFF)


def recipients_for(*, report: Report, step: Step) -> list[str]:
    """E-mail addresses of the people a step concerns, its audience (active users with an address only)."""
    return addresses(audience(report=report, step=step))


def addresses(users) -> list[str]:
    return sorted({u.email for u in users if u.email})


def render_mail(template: str, context: dict) -> tuple[str, str]:
    """(subject, body) of templates/mail/<template>_subject.txt and <template>.txt in the site language."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"mail/{template}_subject.txt", context).split())
        body = render_to_string(f"mail/{template}.txt", context)
    return subject, body


def mail_send(*, to: list[str], subject: str, body: str) -> int:
    """One message per address. Returns the number sent."""
    return send_mass_mail([(subject, body, settings.DEFAULT_FROM_EMAIL, [a]) for a in to]) if to else 0


def notices_create(*, users, kind: str, text: str, report=None, bureau=None, period=None) -> int:
    """One unread notice per user. Returns how many."""
    made = Notification.objects.bulk_create(
        [
            Notification(user=u, kind=kind, text=text, report=report, bureau=bureau, period=period)
            for u in {u.pk: u for u in users}.values()
        ]
    )
    return len(made)


def site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _transition_mail(*, transition: Transition, done: Step) -> tuple[str, str]:
    report = transition.report
    path = reverse("report_review" if done.audience == REVIEWERS else "report_history", args=[report.pk])
    context = {
        "report": report,
        "transition": transition,
        "actor": transition.actor,
        "event": done.event,
        "url": site_url(path),
    }
    return render_mail(f"report_{done.event}", context)


def notice_transition(*, transition: Transition, step: Step) -> int:
    """The in-app notices of one workflow step, for the step's audience (inside the step's transaction)."""
    subject, _body = _transition_mail(transition=transition, done=step)
    report = transition.report
    return notices_create(
        users=audience(report=report, step=step),
        kind=step.event,
        text=subject,
        report=report,
        bureau=report.bureau,
        period=report.period,
    )


def notice_comments(*, report: Report, count: int) -> int:
    """The "commented" notices of a reviewer's `count` comments on places in the report, for the
    bureau's clerks (inside the step's transaction, like `notice_transition`). None for no comment."""
    if not count:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        text = ngettext(
            "The reviewer commented on %(count)s place in “%(title)s”.",
            "The reviewer commented on %(count)s places in “%(title)s”.",
            count,
        ) % {"count": count, "title": report.title}
    return notices_create(
        users=members(bureau_id=report.bureau_id, role=Membership.Role.STAFF),
        kind=Notification.Kind.COMMENTED,
        text=text,
        report=report,
        bureau=report.bureau,
        period=report.period,
    )


def notify_transition(*, transition_id: int, step_name: str) -> int:
    """Send the mail for one recorded transition of workflow step `step_name` (reports/workflow.py;
    an unknown name raises KeyError). Returns the number of messages sent."""
    done = step(step_name)
    transition = Transition.objects.select_related("report__bureau", "report__period", "actor").get(pk=transition_id)
    to = recipients_for(report=transition.report, step=done)
    if not to:
        return 0
    subject, body = _transition_mail(transition=transition, done=done)
    return mail_send(to=to, subject=subject, body=body)
