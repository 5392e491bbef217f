from django.conf import settings


def idle_timeout(request) -> dict:
    """The idle session timeout and its warning, for the page-level notice (static/js/idle.js); whether
    the log-in page offers the reset by mail."""
    return {
        "idle_timeout_seconds": int(settings.SESSION_IDLE_TIMEOUT.total_seconds()),
        "idle_warning_seconds": int(settings.SESSION_IDLE_WARNING.total_seconds()),
        "idle_warning_minutes": int(settings.SESSION_IDLE_WARNING.total_seconds() // 60),
        "password_reset_by_mail": settings.PASSWORD_RESET_BY_MAIL,
    }
