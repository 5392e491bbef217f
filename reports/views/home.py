"""The home page: each of the user's bureaus with its reports for the open periods."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .. import selectors


@login_required
def home(request):
    return render(request, "reports/home.html", {"cards": selectors.home_cards(user=request.user)})
