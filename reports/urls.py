"""Each view module owns its routes; this file only joins them."""

from django.urls import path

from .views import consolidate, documents, editor, home, importing, review, setup

urlpatterns = [
    path("", home.home, name="home"),
    *editor.urlpatterns,
    *review.urlpatterns,
    *documents.urlpatterns,
    *importing.urlpatterns,
    *consolidate.urlpatterns,
    *setup.urlpatterns,
]
