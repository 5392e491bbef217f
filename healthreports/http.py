"""HTTP plumbing shared by every app: the over-size body guard, error pages, the health probe."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
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


def permission_denied(request: HttpRequest, exception: Exception, template_name: str = "403.html") -> HttpResponse:
    """handler403: a refusal meant for the user (reports.policy.Refusal) says why on the page."""
    reason = str(exception) if getattr(exception, "for_user", False) else ""
    return render(request, template_name, {"reason": reason}, status=403)


def client_ip(request: HttpRequest) -> str:
    """The client's address behind our nginx (which overwrites X-Real-IP); used by django-axes."""
    return request.META.get("HTTP_X_REAL_IP") or request.META.get("REMOTE_ADDR", "")


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness probe and the load test's ceiling: no database, no session, no template."""
    return HttpResponse("ok", content_type="text/plain")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: most often a form left open past the session, or cookies blocked."""
    return render(request, "403_csrf.html", status=403)
