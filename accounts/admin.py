from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext as _

from .models import PasswordState
from .roles import THREE_ROLES

User = get_user_model()


class SeparatedRolesForm(UserAdmin.form):
    """三员分立: one user holds at most one of the three administrator roles."""

    def clean_groups(self):
        groups = self.cleaned_data.get("groups")
        held = [g.name for g in groups or [] if g.name in THREE_ROLES]
        if len(held) > 1:
            raise forms.ValidationError(
                _("The security, system and audit administrators must be different people: choose one of %(roles)s.")
                % {"roles": "、".join(str(THREE_ROLES[n]) for n in held)}
            )
        return groups


admin.site.unregister(User)


@admin.register(User)
class SeparatedUserAdmin(UserAdmin):
    form = SeparatedRolesForm


@admin.register(PasswordState)
class PasswordStateAdmin(admin.ModelAdmin):
    list_display = ["user", "changed_at", "must_change"]
    readonly_fields = ["user", "changed_at"]
    search_fields = ["user__username"]

    def has_add_permission(self, request):
        return False
