"""三员分立: the security administrator, the system administrator and the audit administrator are
separate roles (Django groups), each with only its own permissions, and no user holds two of them.

- security administrator (安全管理员): accounts, groups, bureau memberships, log-in lockouts and
  two-factor devices; resets passwords and unlocks accounts.
- system administrator (系统管理员): the portal's data and configuration (bureaus, periods,
  skeletons, the indicator catalogue, reports in the admin, batch exports, background tasks).
- audit administrator (审计管理员): reads (and exports) the audit trail and the log-in records;
  changes nothing. Nobody changes the audit trail (reports.models.AuditEvent).
The groups and their permissions are (re)made after every migrate; `is_staff` lets them into the
admin, where Django shows each only what its permissions allow.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

SECURITY_ADMIN = "security_admin"
SYSTEM_ADMIN = "system_admin"
AUDIT_ADMIN = "audit_admin"
THREE_ROLES = {
    SECURITY_ADMIN: _("Security administrator"),
    SYSTEM_ADMIN: _("System administrator"),
    AUDIT_ADMIN: _("Audit administrator"),
}

# (app label, model or None for every model of the app, actions)
_GRANTS = {
    SECURITY_ADMIN: [
        ("auth", "user", ("add", "change", "view")),
        ("auth", "group", ("view",)),
        ("reports", "membership", ("add", "change", "delete", "view")),
        ("reports", "bureau", ("view",)),
        ("axes", None, ("view", "delete")),
        ("otp_totp", None, ("add", "change", "delete", "view")),
        ("accounts", None, ("view", "change")),
    ],
    SYSTEM_ADMIN: [
        ("reports", None, ("add", "change", "delete", "view")),
        ("indicators", None, ("add", "change", "delete", "view")),
        ("django_tasks_database", None, ("view", "delete")),
    ],
    AUDIT_ADMIN: [
        ("reports", "auditevent", ("view",)),
        ("axes", None, ("view",)),
    ],
}
# Never granted to the system administrator: the accounts and the audit trail are the other two's.
_SYSTEM_EXCLUDED = {("reports", "auditevent"), ("reports", "membership")}


def _permissions(role: str):
    from django.contrib.auth.models import Permission

    q = Q(pk__in=[])
    for app, model, actions in _GRANTS[role]:
        part = Q(content_type__app_label=app) & Q(codename__regex=rf"^({'|'.join(actions)})_")
        if model:
            part &= Q(content_type__model=model)
        q |= part
    perms = Permission.objects.filter(q)
    if role == SYSTEM_ADMIN:
        for app, model in _SYSTEM_EXCLUDED:
            perms = perms.exclude(content_type__app_label=app, content_type__model=model)
    return perms


def ensure_role_groups(**kwargs) -> None:
    """post_migrate: make the three groups and give each exactly its permissions."""
    from django.contrib.auth.models import Group

    for role in THREE_ROLES:
        group, _created = Group.objects.get_or_create(name=role)
        group.permissions.set(_permissions(role))


def three_roles_of(user) -> set[str]:
    """Which of the three administrator roles the user holds."""
    if user is None or not user.is_authenticated:
        return set()
    return set(user.groups.filter(name__in=THREE_ROLES).values_list("name", flat=True))
