"""Submit, review, return, approve, reopen; the supervisor's overview; history (issue 4)."""

from django.urls import path

from ._stub import not_built

urlpatterns = [
    path("reports/<int:pk>/submit/", not_built, name="report_submit"),
    path("reports/<int:pk>/review/", not_built, name="report_review"),
    path("reports/<int:pk>/history/", not_built, name="report_history"),
    path("review/", not_built, name="review_overview"),
]
