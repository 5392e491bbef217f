"""Routes of the indicator pages; each view module owns its URLs, joined here."""

from .views import catalogue, excel, export, rollup

app_name = "indicators"

urlpatterns = [
    *rollup.urlpatterns,
    *excel.urlpatterns,
    *export.urlpatterns,
    *catalogue.urlpatterns,  # last: its trend route takes any slug
]
