"""Mail about workflow steps, sent after the step has committed (never for a rolled-back step).

Each step's event and audience come from the workflow table (reports/workflow.py): submit → the
reviewers of the parent bureau; return, approve, reopen → the bureau's staff. Subject and
body come from templates/mail/, rendered in the site language (Simplified Chinese by default).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from ..models import Membership, Report, Transition
from ..workflow import REVIEWERS, Step, step


def recipients_for(*, report: Report, step: Step) -> list[str]:
    """E-mail addresses of the people a step concerns, its audience (active users with an address only)."""
    if step.audience == REVIEWERS:
        if report.bureau.parent_id is None:
            return []
        where = {"bureau_id": report.bureau.parent_id, "role": Membership.Role.REVIEWER}
    else:
        where = {"bureau_id": report.bureau_id, "role": Membership.Role.STAFF}
    users = (
        get_user_model()
        .objects.filter(is_active=True, pk__in=Membership.objects.filter(**where).values("user_id"))
        .exclude(email="")
    )
    return sorted(set(users.values_list("email", flat=True)))


def notify_transition(*, transition_id: int, step_name: str) -> int:
    """Send the mail for one recorded transition of workflow step `step_name` (reports/workflow.py;
    an unknown name raises KeyError). Returns the number of messages sent."""
    done = step(step_name)
    transition = Transition.objects.select_related("report__bureau", "report__period", "actor").get(pk=transition_id)
    report = transition.report
    to = recipients_for(report=report, step=done)
    if not to:
        return 0
    path = reverse("report_review" if done.audience == REVIEWERS else "report_history", args=[report.pk])
    context = {
        "report": report,
        "transition": transition,
        "actor": transition.actor,
        "event": done.event,
        "url": settings.SITE_URL.rstrip("/") + path,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"mail/report_{done.event}_subject.txt", context).split())
        body = render_to_string(f"mail/report_{done.event}.txt", context)
    return send_mass_mail([(subject, body, settings.DEFAULT_FROM_EMAIL, [address]) for address in to])
