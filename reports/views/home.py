"""The home page: each of the user's bureaus with its reports for the open periods."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from ..selectors.reports import home_cards


@login_required
def home(request):
    return render(request, "reports/home.html", {"cards": home_cards(user=request.user)})
