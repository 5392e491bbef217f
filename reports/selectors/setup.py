"""Reads for setting up a year and managing users: the periods of a year, bureaus without a clerk or
reviewer, the users of a subtree."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import BooleanField, ExpressionWrapper, Prefetch

from .. import periods, policy
from ..models import Bureau, Membership, ReportingPeriod


def next_year_to_set_up() -> int:
    latest = ReportingPeriod.objects.order_by("-year").values_list("year", flat=True).first()
    if latest is None:
        return datetime.date.today().year
    return latest + 1


def open_periods() -> list[ReportingPeriod]:
    return list(ReportingPeriod.objects.filter(is_open=True).order_by(*periods.period_ordering(newest_first=False)))


@dataclass(frozen=True)
class Gap:
    bureau: Bureau
    no_clerk: bool
    no_reviewer: bool


def staffing_gaps(*, user) -> list[Gap]:
    """Bureaus the user manages that have no active clerk, or (below the top) no active reviewer in
    the bureau above them, who would review their reports."""
    active = Membership.objects.filter(user__is_active=True)
    clerks = set(active.filter(role=Membership.Role.STAFF).values_list("bureau_id", flat=True))
    reviewers = set(active.filter(role=Membership.Role.REVIEWER).values_list("bureau_id", flat=True))
    gaps = []
    for bureau in Bureau.objects.filter(policy.managed_bureaus_q(user)).select_related("parent"):
        no_clerk = bureau.pk not in clerks
        no_reviewer = bureau.parent_id is not None and bureau.parent_id not in reviewers
        if no_clerk or no_reviewer:
            gaps.append(Gap(bureau, no_clerk, no_reviewer))
    return gaps


def managed_bureaus(*, user):
    return Bureau.objects.filter(policy.managed_bureaus_q(user)).order_by("path")


def managed_users(*, user) -> list:
    """The users holding a role in a bureau this user manages, with all their roles, by name;
    `manageable`: whether this user may change their account (some also hold a role elsewhere)."""
    bureau_ids = managed_bureaus(user=user).values("pk")
    memberships = Membership.objects.select_related("bureau").order_by("bureau__path", "role")
    manageable = ExpressionWrapper(policy.managed_accounts_q(user), output_field=BooleanField())
    return list(
        get_user_model()
        .objects.filter(memberships__bureau__in=bureau_ids)
        .distinct()
        .annotate(manageable=manageable)
        .prefetch_related(Prefetch("memberships", queryset=memberships))
        .order_by("username")
    )
