"""Log-in, log-out and failed log-ins go to the audit trail (who, from where, when)."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from healthreports.http import client_ip

from .services.audit import audit_record


def _client(request) -> dict:
    if request is None:
        return {}
    return {"ip": client_ip(request), "user_agent": request.META.get("HTTP_USER_AGENT", "")[:200]}


@receiver(user_logged_in, dispatch_uid="audit_login")
def audit_login(sender, request, user, **kwargs) -> None:
    audit_record(actor=user, action="login", result="ok", **_client(request))


@receiver(user_logged_out, dispatch_uid="audit_logout")
def audit_logout(sender, request, user, **kwargs) -> None:
    if user is not None:
        audit_record(actor=user, action="logout", **_client(request))


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def audit_login_failed(sender, credentials, request=None, **kwargs) -> None:
    # `credentials` has the password already masked by Django; keep only the username tried.
    audit_record(
        actor=None,
        action="login_failed",
        username=str(credentials.get("username", ""))[:150],
        result="failed",
        **_client(request),
    )
