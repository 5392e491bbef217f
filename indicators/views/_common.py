"""Small helpers shared by the indicator views."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from reports.models import Bureau

from ..rollup import bureau_for_user


def bureau_or_403(*, user, code: str) -> Bureau:
    """The bureau named in the query string, if this user may look at its figures."""
    bureau = bureau_for_user(user=user, code=code)
    if bureau is None:
        raise PermissionDenied("bureau not visible")
    return bureau


def flag(value: str | None) -> bool:
    return (value or "").lower() in {"1", "on", "true", "yes"}
