"""Placeholder for routes whose feature is not built yet: they answer 501 so links can be reversed."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def not_built(request, *args, **kwargs):
    return HttpResponse("Not built yet.", status=501, content_type="text/plain; charset=utf-8")
