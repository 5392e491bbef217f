"""Settings for the test suite: the project settings in development mode (no HTTPS redirect),
with fast password hashing. DATABASE_URL still chooses PostgreSQL or SQLite."""

import os

os.environ.setdefault("DEBUG", "1")

from .settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# django-axes needs the request in authenticate(), which Client.login() does not pass; the lockout
# itself is tested with axes switched back on (tests/security/test_accounts.py).
AXES_ENABLED = False
