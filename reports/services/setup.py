"""Setting up a year (its periods, closing the old ones) and managing the users of a subtree.
Each function is one atomic, audited change; bad input raises ValidationError with a Chinese message
and changes nothing."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .. import periods, policy
from ..models import Bureau, Membership, ReportingPeriod
from .audit import audit_record
from .periods import period_close  # the one home of closing (issue 16)


@transaction.atomic
def year_set_up(
    *, year: int, deadlines: dict[str, datetime.date], close_older: bool, acting_user
) -> list[ReportingPeriod]:
    """Create the periods of `year`, one per kind in `deadlines` (kind code -> submission deadline),
    with the calendar's dates; close every open period of earlier years when `close_older`."""
    if not policy.can_set_up_years(acting_user):
        raise PermissionDenied("year set-up")
    existing = [p.label for p in ReportingPeriod.objects.filter(year=year, kind__in=list(deadlines))]
    if existing:
        raise ValidationError(_("These periods exist already: %(periods)s.") % {"periods": "、".join(existing)})
    created = []
    for kind, deadline in deadlines.items():
        start, end, _default = periods.default_dates(year, kind)
        if deadline <= end:
            raise ValidationError(
                _("The deadline of %(period)s must come after the period ends (%(end)s).")
                % {"period": periods.period_label(year, kind), "end": end.isoformat()}
            )
        created.append(
            ReportingPeriod.objects.create(year=year, kind=kind, start=start, end=end, deadline=deadline, is_open=True)
        )
    if close_older:
        for period in ReportingPeriod.objects.filter(year__lt=year, is_open=True):
            period_close(period=period, acting_user=acting_user)
    audit_record(actor=acting_user, action="year_set_up", year=year, periods=[p.code for p in created])
    return created


def _require_bureau(acting_user, bureau: Bureau) -> None:
    if not policy.can_manage_bureau(acting_user, bureau):
        raise PermissionDenied(f"manage users of bureau {bureau.pk}")


@transaction.atomic
def user_add(*, acting_user, bureau: Bureau, role: str, username: str, full_name: str, password: str):
    """Create an active user holding `role` in `bureau`."""
    _require_bureau(acting_user, bureau)
    User = get_user_model()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(_("The user name %(name)s is taken.") % {"name": username})
    user = User(username=username, first_name=full_name)
    validate_password(password, user)
    user.set_password(password)
    user.save()
    Membership.objects.create(user=user, bureau=bureau, role=role)
    audit_record(actor=acting_user, action="user_add", bureau=bureau, user=username, role=role)
    return user


@transaction.atomic
def user_set_active(*, acting_user, user, active: bool) -> None:
    """Deactivate a user (they can no longer log in; their work stays) or activate them again."""
    if not policy.can_manage_account(acting_user, user):
        raise PermissionDenied(f"manage user {user.pk}")
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit_record(actor=acting_user, action="user_activate" if active else "user_deactivate", user=user.username)


@transaction.atomic
def role_assign(*, acting_user, user, bureau: Bureau, role: str) -> None:
    """Give `user` `role` in `bureau` (a bureau the acting user manages)."""
    _require_bureau(acting_user, bureau)
    if not policy.can_manage_account(acting_user, user):
        raise PermissionDenied(f"manage user {user.pk}")
    _membership, created = Membership.objects.get_or_create(user=user, bureau=bureau, role=role)
    if created:
        audit_record(actor=acting_user, action="role_assign", bureau=bureau, user=user.username, role=role)


@transaction.atomic
def role_remove(*, acting_user, membership: Membership) -> None:
    """Take one role away. The user's last role stays: deactivate the user instead."""
    _require_bureau(acting_user, membership.bureau)
    if not policy.can_manage_account(acting_user, membership.user):
        raise PermissionDenied(f"manage user {membership.user_id}")
    if Membership.objects.filter(user=membership.user_id).count() == 1:
        raise ValidationError(_("This is the user's only role: deactivate the user instead."))
    audit_record(
        actor=acting_user,
        action="role_remove",
        bureau=membership.bureau,
        user=membership.user.username,
        role=membership.role,
    )
    membership.delete()
