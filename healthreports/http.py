"""HTTP plumbing shared by every app: the over-size body guard, the query-string guard, no caching
of what a logged-in user sees, error pages, the client's address, the health probe."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import BadRequest, RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token

# Multipart overhead (boundaries, other fields) allowed on top of the largest accepted upload.
BODY_SLACK = 1024 * 1024


def body_limit() -> int:
    """The largest request body we read at all: the bigger of the form and the upload limits."""
    return max(settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0, settings.MAX_UPLOAD_BYTES) + BODY_SLACK


def too_large(request: HttpRequest) -> HttpResponse:
    """The translated 413 page (rendered without reading the body)."""
    with translation.override(translation.get_language_from_request(request)):
        context = {"limit_mb": settings.MAX_UPLOAD_BYTES // (1024 * 1024)}
        return render(request, "413.html", context, status=413)


class RequestTooLargeMiddleware:
    """Refuse a body larger than `body_limit()` from its Content-Length, before anything reads it
    (Django's own DATA_UPLOAD_MAX_MEMORY_SIZE does not count file parts of a multipart upload).
    The worker is freed at once; nginx's client_max_body_size is the first line (docs/deploy.md)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > body_limit():
            # No "Connection: close" here: WSGI forbids hop-by-hop headers; the server (gunicorn,
            # runserver) drops the connection itself when the body was not read.
            return too_large(request)
        return self.get_response(request)


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception, template_name: str = "400.html") -> HttpResponse:
    """handler400: a form body over DATA_UPLOAD_MAX_MEMORY_SIZE (or too many fields) is a 413."""
    if isinstance(exception, RequestDataTooBig):
        return too_large(request)
    return defaults.bad_request(request, exception, template_name=template_name)


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception, template_name: str = "403.html") -> HttpResponse:
    """handler403: every refusal goes to the audit trail (who, what, from where); a refusal meant for
    the user (reports.policy.Refusal) says why on the page."""
    from reports.services.audit import audit_record

    user = getattr(request, "user", None)
    audit_record(
        actor=user,
        action="permission_denied",
        path=request.path[:300],
        method=request.method,
        ip=client_ip(request),
        result="refused",
    )
    reason = str(exception) if getattr(exception, "for_user", False) else ""
    return render(request, template_name, {"reason": reason}, status=403)


def client_ip(request: HttpRequest) -> str:
    """The client's address: the one function for the audit trail and django-axes alike. Behind our
    nginx (BEHIND_PROXY on; nginx overwrites X-Real-IP) the header, else the socket's address."""
    if getattr(settings, "BEHIND_PROXY", False):
        forwarded = request.META.get("HTTP_X_REAL_IP", "").strip()
        if forwarded:
            return forwarded[:45]
    return request.META.get("REMOTE_ADDR", "")


# C0 control characters except TAB, LF, CR, and DEL: never part of a bureau code, a period, a flag
# or a search. A NUL reached PostgreSQL ("A string literal cannot contain NUL") and answered 500.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class QueryStringGuardMiddleware:
    """Every query parameter, names and values, of every page (the admin's filters too) is checked
    before any view reads it: control characters are a 400 page, not a database error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        for key, values in request.GET.lists():
            if _CONTROL.search(key) or any(_CONTROL.search(v) for v in values):
                raise BadRequest("control character in the query string")
        return self.get_response(request)


class PrivateNoStoreMiddleware:
    """What a logged-in user sees (pages and downloads: PDF, Word, Excel, CSV, ZIP) is nobody
    else's: `Cache-Control: private, no-store` keeps it out of shared proxies and the browser's
    disk cache on a shared office computer. Goes after AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness probe and the load test's ceiling: no database, no session, no template."""
    return HttpResponse("ok", content_type="text/plain")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: most often a form left open past the session, or cookies blocked."""
    return render(request, "403_csrf.html", status=403)
