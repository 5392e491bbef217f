"""Lockouts (django-axes) go to the audit trail."""

from __future__ import annotations

from axes.signals import user_locked_out
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
