"""Each view module owns its routes; this file only joins them."""

from django.urls import path

from .views import chasers, documents, editor, home, importing, notifications, periods, rates, review

urlpatterns = [
    path("", home.home, name="home"),
    *editor.urlpatterns,
    *review.urlpatterns,
    *documents.urlpatterns,
    *importing.urlpatterns,
    *notifications.urlpatterns,
    *chasers.urlpatterns,
    *periods.urlpatterns,
    *rates.urlpatterns,
]
