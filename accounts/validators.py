"""Password rules for 等保 level 3: length and character classes (configurable), and the record of
when the password was set, for the expiry rule."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

CLASSES = [re.compile(r"[a-z]"), re.compile(r"[A-Z]"), re.compile(r"[0-9]"), re.compile(r"[^a-zA-Z0-9]")]


class ComplexityValidator:
    """At least PASSWORD_MIN_CLASSES of: lower-case letters, capitals, digits, other characters."""

    def __init__(self, min_classes: int | None = None):
        self.min_classes = min_classes

    def _needed(self) -> int:
        return self.min_classes or int(getattr(settings, "PASSWORD_MIN_CLASSES", 3))

    def validate(self, password, user=None):
        if sum(1 for c in CLASSES if c.search(password)) < self._needed():
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self):
        return _(
            "Your password must mix at least %(n)s of: lower-case letters, capitals, digits and other characters."
        ) % {"n": self._needed()}

    def password_changed(self, password, user=None):
        """Every set_password() + save() lands here (Django calls each validator): note the time."""
        from .models import PasswordState

        if user is not None and user.pk:
            PasswordState.objects.update_or_create(
                user=user, defaults={"changed_at": timezone.now(), "must_change": False}
            )
