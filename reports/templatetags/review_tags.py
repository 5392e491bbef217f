"""Template helpers of the review workflow: the reviewer's open comments and the navigation link."""

from __future__ import annotations

from django import template

from .. import policy
from ..models import Report
from ..selectors import review

register = template.Library()


@register.simple_tag(takes_context=True)
def review_feedback(context, report: Report) -> dict:
    """What the reviewer asked the bureau to fix: the return (who, when, why) and the open comments,
    plus whether the current user may follow the links into the editor."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "transition": review.latest_return(report=report),
        "comments": review.open_review_comments(report=report),
        "can_edit": user is not None and policy.can(user, "edit", report),
    }


@register.simple_tag
def is_reviewer(user) -> bool:
    return user is not None and user.is_authenticated and policy.is_reviewer(user)


@register.simple_tag
def manages_users(user) -> bool:
    return user is not None and user.is_authenticated and policy.can_manage_users(user)


@register.filter
def person(user) -> str:
    """A user's full name, else the username; "—" for a deleted user."""
    if user is None:
        return "—"
    return user.get_full_name() or user.get_username()
