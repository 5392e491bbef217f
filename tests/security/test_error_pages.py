"""The friendly error pages: Chinese by default, no technical detail, the CSP header on each."""

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.test import Client
from django.urls import path


def _raise(exc):
    def view(request):
        raise exc

    return view


urlpatterns = [
    path("boom/", _raise(RuntimeError("secret detail 4711"))),
    path("denied/", _raise(PermissionDenied("secret detail 4712"))),
    path("suspicious/", _raise(SuspiciousOperation("secret detail 4713"))),
]
handler400 = "healthreports.http.bad_request"


@pytest.mark.urls(__name__)
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "status", "heading"),
    [
        ("/boom/", 500, "系统出错了"),
        ("/denied/", 403, "无权访问"),
        ("/suspicious/", 400, "请求有误"),
        ("/nope/", 404, "页面不存在"),
    ],
)
def test_error_pages(url, status, heading):
    client = Client(raise_request_exception=False)
    response = client.get(url)
    assert response.status_code == status
    page = response.content.decode()
    assert heading in page and 'lang="zh-hans"' in page
    assert "secret detail" not in page and "Traceback" not in page
    assert "script-src 'self'" in response["Content-Security-Policy"]
