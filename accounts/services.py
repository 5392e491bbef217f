"""Account changes: each one atomic, checked against the policy, and on the audit trail."""

from __future__ import annotations

from axes.utils import reset as axes_reset
from django.contrib.auth import update_session_auth_hash
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from reports import policy
from reports.services.audit import audit_record

from .models import PasswordState


@transaction.atomic
def password_change(*, request, user, new_password: str) -> None:
    """The user sets their own password (already validated); they stay logged in."""
    user.set_password(new_password)
    user.save()  # the validators record the time (accounts.validators.ComplexityValidator)
    update_session_auth_hash(request, user)
    request.session["password_expired"] = False
    audit_record(actor=user, action="password_change", result="ok")


@transaction.atomic
def password_reset_by_admin(*, acting_user, user, new_password: str) -> None:
    """A bureau administrator (or the security administrator) sets the password of an account they
    look after (policy.managed_accounts_q); its owner must choose their own at the next log-in."""
    if not policy.can_manage_account(acting_user, user):
        raise PermissionDenied("not your account to manage")
    user.set_password(new_password)
    user.save()
    PasswordState.objects.update_or_create(user=user, defaults={"changed_at": timezone.now(), "must_change": True})
    axes_reset(username=user.get_username())
    audit_record(actor=acting_user, action="password_reset", username=user.get_username(), result="ok")


@transaction.atomic
def account_unlock(*, acting_user, user) -> int:
    """Lift the log-in lockout of `user` (every address); returns the number of records removed."""
    if not policy.can_manage_account(acting_user, user):
        raise PermissionDenied("not your account to manage")
    removed = axes_reset(username=user.get_username())
    audit_record(actor=acting_user, action="unlock", username=user.get_username(), removed=removed, result="ok")
    return removed


def two_factor_device(*, user) -> TOTPDevice:
    """The user's confirmed TOTP device, or a new unconfirmed one to enrol (one at a time)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="TOTP", confirmed=False)


@transaction.atomic
def two_factor_verify(*, request, device: TOTPDevice, token: str) -> bool:
    """Check a code from the authenticator; on success confirm the device (enrolment) and mark the
    session as verified. Every attempt is audited; django-otp throttles repeated failures."""
    ok = device.verify_token((token or "").strip())
    if ok:
        enrolled = not device.confirmed
        if enrolled:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
        otp_login(request, device)
    audit_record(
        actor=request.user,
        action="two_factor_enrol" if ok and enrolled else "two_factor",
        result="ok" if ok else "failed",
    )
    return ok
