"""The finished document: read view, PDF, Word, batch export (issue 5)."""

from django.urls import path

from ._stub import not_built

urlpatterns = [
    path("reports/<int:pk>/", not_built, name="report_detail"),
    path("reports/<int:pk>/pdf/", not_built, name="report_pdf"),
    path("reports/<int:pk>/docx/", not_built, name="report_docx"),
]
