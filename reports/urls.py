"""Each view module owns its routes; this file only joins them."""

from django.urls import path

from .views import (
    chasers,
    consolidate,
    documents,
    editor,
    home,
    importing,
    notifications,
    periods,
    rates,
    review,
    setup,
)

urlpatterns = [
    path("", home.home, name="home"),
    *editor.urlpatterns,
    *review.urlpatterns,
    *documents.urlpatterns,
    *importing.urlpatterns,
    *consolidate.urlpatterns,
    *setup.urlpatterns,
    *notifications.urlpatterns,
    *chasers.urlpatterns,
    *periods.urlpatterns,
    *rates.urlpatterns,
]
