"""Lockouts (django-axes) go to the audit trail; a log-in starts the idle clock and notes whether
the password must be changed (so later requests read the session only, no query)."""

from __future__ import annotations

import time

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from healthreports.http import client_ip
from reports.services.audit import audit_record


@receiver(user_locked_out, dispatch_uid="audit_lockout")
def audit_lockout(sender, request, username=None, ip_address=None, **kwargs) -> None:
    audit_record(
        actor=None,
        action="lockout",
        username=str(username or "")[:150],
        ip=ip_address or (client_ip(request) if request is not None else ""),
        result="locked",
    )


@receiver(user_logged_in, dispatch_uid="accounts_session_start")
def session_start(sender, request, user, **kwargs) -> None:
    from .middleware import password_expired

    if request is not None and hasattr(request, "session"):
        request.session["last_seen"] = time.time()
        request.session["password_expired"] = password_expired(user)
