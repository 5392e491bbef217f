"""The admin in Chinese: the site's titles, the names of third-party apps, and the English strings of
third-party apps (and of Django 5.2's admin) that ship no Simplified Chinese.

The strings below are only marked (gettext_noop) so `make messages` collects them into our catalogue;
Django looks a message up in our catalogue first, so axes', django_tasks_db's and the admin's own
labels come out in Chinese without touching their code.
"""

from django.apps import apps
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, pgettext_lazy

THIRD_PARTY_STRINGS = (
    # Django 5.2 admin index, not yet in Django's zh_Hans
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    gettext_noop("After you’ve created a user, you’ll be able to edit more user options."),
    gettext_noop(
        "Whether the user will be able to authenticate using a password or not. "
        "If disabled, they may still be able to authenticate using other backends, "
        "such as Single Sign-On or LDAP."
    ),
    # axes (log-in throttling)
    gettext_noop("Locked Out"),
    gettext_noop("Form Data"),
    gettext_noop("Meta Data"),
    gettext_noop("Clean up expired attempts"),
    gettext_noop("Not set"),
    gettext_noop("Attempt Remaining"),
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
    gettext_noop("User Agent"),
    gettext_noop("IP Address"),
    gettext_noop("Username"),
    gettext_noop("HTTP Accept"),
    gettext_noop("Path"),
    gettext_noop("Attempt Time"),
    gettext_noop("Access lock out"),
    gettext_noop("GET Data"),
    gettext_noop("POST Data"),
    gettext_noop("Failed Logins"),
    gettext_noop("Access Attempt"),
    gettext_noop("Expires At"),
    gettext_noop("Logout Time"),
    gettext_noop("Session key hash (sha256)"),
    # django_tasks_db (the background worker's queue)
    pgettext_lazy("Task", "Ready"),
    pgettext_lazy("Task", "Running"),
    pgettext_lazy("Task", "Failed"),
    pgettext_lazy("Task", "Successful"),
    gettext_noop("Task Result"),
    gettext_noop("Task Results"),
    gettext_noop("status"),
    gettext_noop("enqueued at"),
    gettext_noop("started at"),
    gettext_noop("finished at"),
    gettext_noop("args kwargs"),
    gettext_noop("priority"),
    gettext_noop("task path"),
    gettext_noop("worker id"),
    gettext_noop("queue name"),
    gettext_noop("backend name"),
    gettext_noop("run after"),
    gettext_noop("return value"),
    gettext_noop("exception class path"),
    gettext_noop("traceback"),
)

APP_NAMES = {
    "axes": _("Log-in throttling"),
    "django_tasks_database": _("Background tasks"),
    "otp_totp": _("Two-factor log-in"),
}
MODEL_NAMES = {  # third-party models whose names ship no Simplified Chinese
    ("otp_totp", "totpdevice"): (_("authenticator app"), _("authenticator apps")),
}


def apply() -> None:
    admin.site.site_header = _("Health work reports administration")
    admin.site.site_title = _("Health work reports administration")
    admin.site.index_title = _("Site administration")
    for label, name in APP_NAMES.items():
        if label in apps.app_configs:
            apps.get_app_config(label).verbose_name = name
    for (label, model_name), (singular, plural) in MODEL_NAMES.items():
        if label in apps.app_configs:
            meta = apps.get_model(label, model_name)._meta
            meta.verbose_name, meta.verbose_name_plural = singular, plural
