"""Import an existing report's text into a draft (issue 7)."""

from django.urls import path

from ._stub import not_built

urlpatterns = [
    path("reports/<int:pk>/import/", not_built, name="report_import"),
]
