"""The workflow table: every step of the review workflow, in one place.

draft → submitted → approved; submitted → returned → (edited) → submitted; approved → returned (reopen).
Each step says from which states it may be taken, the state it leads to, the policy action that
allows it, the event its mail announces and what a user is told when the report is not in a source
state, and who hears of it. The services (services/workflow.py), the policy, the mail (services/notify.py) and the review
page read this table; `step()` raises on an unknown name, so nothing falls through silently.

A leaf module: it imports only the models.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import Report

State = Report.State
REVIEWERS, STAFF = "reviewers", "staff"


@dataclass(frozen=True)
class Step:
    name: str  # the service's verb, also the audit action: "submit", "return", ...
    sources: tuple[str, ...]  # states the step may be taken from
    target: str  # the state it leads to
    action: str  # the policy action that allows it (reports/policy.py ACTIONS)
    event: str  # the mail it sends: templates/mail/report_<event>.txt
    audience: str  # who gets that mail: REVIEWERS of the parent bureau or the bureau's STAFF
    refusal: Promise  # said when the report is in none of `sources`


STEPS: dict[str, Step] = {
    s.name: s
    for s in (
        Step(
            "submit",
            (State.DRAFT, State.RETURNED),
            State.SUBMITTED,
            "submit",
            "submitted",
            REVIEWERS,
            _("Only a draft or a returned report can be submitted."),
        ),
        Step(
            "return",
            (State.SUBMITTED,),
            State.RETURNED,
            "review",
            "returned",
            STAFF,
            _("Only a submitted report can be returned."),
        ),
        Step(
            "approve",
            (State.SUBMITTED,),
            State.APPROVED,
            "review",
            "approved",
            STAFF,
            _("Only a submitted report can be approved."),
        ),
        Step(
            "reopen",
            (State.APPROVED,),
            State.RETURNED,
            "reopen",
            "reopened",
            STAFF,
            _("Only an approved report can be reopened."),
        ),
    )
}

# The decisions a reviewer takes on the review page, in the order the page offers them.
REVIEW_DECISIONS = ("return", "approve", "reopen")


def step(name: str) -> Step:
    """The step called `name`; an unknown name raises KeyError."""
    try:
        return STEPS[name]
    except KeyError:
        raise KeyError(f"unknown workflow step {name!r}") from None


def action_states(action: str) -> frozenset[str]:
    """The states in which some step allowed by policy action `action` may be taken. An action
    that no step uses raises KeyError."""
    states = frozenset(s for st in STEPS.values() if st.action == action for s in st.sources)
    if not states:
        raise KeyError(f"no workflow step for policy action {action!r}")
    return states
