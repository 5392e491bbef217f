from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from . import signals
        from .rendering import checks  # noqa: F401  (registers the PDF toolchain checks)

        signals.connect()  # approved reports refuse changes at the model layer too
