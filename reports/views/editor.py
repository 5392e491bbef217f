"""The clerk's workspace: start a report, edit its sections and indicator grid (issue 3)."""

from django.urls import path

from ._stub import not_built

urlpatterns = [
    path("reports/start/", not_built, name="report_start"),
    path("reports/<int:pk>/edit/", not_built, name="report_edit"),
]
