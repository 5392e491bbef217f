"""Log-in throttling on top of django-axes: per username and address (AXES_FAILURE_LIMIT, 5) as
before, and per address across all usernames (AXES_ADDRESS_FAILURE_LIMIT, 20), so spraying
passwords over many usernames from one address is stopped too. The lockout page says when the
user may try again. A bureau administrator unlocks a clerk (accounts.services.account_unlock)."""

from __future__ import annotations

import datetime

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Sum
from django.shortcuts import render
from django.utils import timezone

from healthreports.http import client_ip


def _address(request) -> str:
    return getattr(request, "axes_ip_address", None) or client_ip(request)


def _recent(request):
    cool_off = get_cool_off(request) or datetime.timedelta(0)
    return AccessAttempt.objects.filter(ip_address=_address(request), attempt_time__gte=timezone.now() - cool_off)


class AddressThrottleHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        pair = super().get_failures(request, credentials)
        per_address = _recent(request).aggregate(n=Sum("failures_since_start"))["n"] or 0
        if per_address >= settings.AXES_ADDRESS_FAILURE_LIMIT:
            return max(pair, get_failure_limit(request, credentials))
        return pair


def locked_usernames(request, usernames: list[str]) -> set[str]:
    """Which of these usernames are locked now (AXES_FAILURE_LIMIT failures within the cool-off)."""
    cool_off = get_cool_off(request) or datetime.timedelta(0)
    return set(
        AccessAttempt.objects.filter(username__in=usernames, attempt_time__gte=timezone.now() - cool_off)
        .values("username")
        .annotate(n=Sum("failures_since_start"))
        .filter(n__gte=settings.AXES_FAILURE_LIMIT)
        .values_list("username", flat=True)
    )


def lockout(request, response=None, credentials=None, *args, **kwargs):
    """AXES_LOCKOUT_CALLABLE: the 429 page, with the time from which the user may try again."""
    cool_off = get_cool_off(request) or datetime.timedelta(0)
    last = _recent(request).aggregate(t=Max("attempt_time"))["t"] or timezone.now()
    until = timezone.localtime(max(last + cool_off, timezone.now()))
    context = {"until": until, "minutes": int(cool_off.total_seconds() // 60)}
    return render(request, "registration/lockout.html", context, status=429)
