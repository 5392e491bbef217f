"""Deploy check: production runs with two-factor log-in required (等保 level 3)."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def two_factor_required(app_configs, **kwargs):
    if settings.TWO_FACTOR_REQUIRED:
        return []
    return [
        checks.Warning(
            "TWO_FACTOR_REQUIRED is off: reviewers and administrators log in with a password alone.",
            hint="Unset TWO_FACTOR_REQUIRED (it is on by default when DEBUG is off).",
            id="accounts.W001",
        )
    ]
