"""Identity rules on every request of a logged-in user (等保 level 3):

1. idle timeout: SESSION_IDLE_TIMEOUT without a request ends the session (audited); the page warns
   SESSION_IDLE_WARNING before (static/js/idle.js);
2. two-factor: a user who needs it (policy.needs_two_factor) and has not passed it in this session
   goes to the two-factor page (enrolment the first time);
3. password age: a password older than PASSWORD_MAX_AGE_DAYS, or one set by an administrator,
   must be changed first.
Log-in, log-out, the two-factor page, the mail reset, static files and the language switch are
exempt from 2 and 3, the password change from 3 only (changing a password needs the second factor;
so does the bureau administrator's accounts page). Goes after django_otp's OTPMiddleware and MessageMiddleware.
"""

from __future__ import annotations

import datetime
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from healthreports.http import client_ip
from reports import policy
from reports.services.audit import audit_record

from .models import PasswordState

TWO_FACTOR_EXEMPT = (
    "/accounts/login/",
    "/accounts/logout/",
    "/accounts/two-factor/",
    "/accounts/keepalive/",
    "/accounts/password/reset/",
    "/accounts/reset/",
    "/static/",
    "/i18n/",
    "/healthz",
    "/favicon",
)
PASSWORD_EXEMPT = (*TWO_FACTOR_EXEMPT, "/accounts/password/change/")
TOUCH_EVERY = 30  # seconds: the session's last-seen time is written at most this often


def password_expired(user) -> bool:
    state = PasswordState.objects.filter(user=user).first()
    if state is not None and state.must_change:
        return True
    days = int(getattr(settings, "PASSWORD_MAX_AGE_DAYS", 0) or 0)
    if not days:
        return False
    changed = state.changed_at if state is not None else user.date_joined
    return changed < timezone.now() - datetime.timedelta(days=days)


class AccountPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        now = time.time()
        last = request.session.get("last_seen")
        timeout = settings.SESSION_IDLE_TIMEOUT.total_seconds()
        if timeout and last is not None and now - last > timeout:
            audit_record(actor=user, action="idle_logout", ip=client_ip(request), result="ok")
            logout(request)
            messages.info(
                request,
                _("You were logged out after %(minutes)s minutes without activity. Please log in again.")
                % {"minutes": int(timeout // 60)},
            )
            return redirect_to_login(request.get_full_path())
        if last is None or now - last > TOUCH_EVERY:
            request.session["last_seen"] = now
        path = request.path
        if not path.startswith(TWO_FACTOR_EXEMPT) and policy.needs_two_factor(user) and not user.is_verified():
            return redirect(f"{reverse('accounts:two_factor')}?{urlencode({'next': request.get_full_path()})}")
        if not path.startswith(PASSWORD_EXEMPT) and request.session.get("password_expired"):  # see accounts.signals
            messages.warning(request, _("Your password has expired. Please choose a new one."))
            return redirect("password_change")
        return self.get_response(request)
