from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from . import checks, roles, signals  # noqa: F401  (deploy check, lockout receiver)

        post_migrate.connect(roles.ensure_role_groups, sender=self, dispatch_uid="accounts-role-groups")
