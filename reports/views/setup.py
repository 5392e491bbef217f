"""Setting up a year (administrators) and the users of a subtree (bureau administrators).
Thin views: the policy decides who may, the services change and record."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from .. import policy
from ..forms import RoleAssignForm, UserAddForm, YearSetupForm
from ..models import Membership
from ..selectors import setup as setup_selectors
from ..services import setup as setup_services


class LoginView(auth_views.LoginView):
    """Log-in that lands each role on the page it uses (unless `next` says otherwise)."""

    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        return reverse(policy.landing_url_name(self.request.user))


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


@login_required
@require_http_methods(["GET", "POST"])
def year_setup(request):
    if not policy.can_set_up_years(request.user):
        raise PermissionDenied("year set-up")
    year = setup_selectors.next_year_to_set_up()
    if request.method == "POST":
        try:
            year = int(request.POST.get("year", year))
        except ValueError:
            pass
    form = YearSetupForm(request.POST or None, year=year)
    if request.method == "POST" and form.is_valid():
        try:
            created = setup_services.year_set_up(
                year=form.cleaned_data["year"],
                deadlines=form.deadlines(),
                close_older=form.cleaned_data["close_older"],
                acting_user=request.user,
            )
        except ValidationError as e:
            messages.error(request, _error_text(e))
        else:
            labels = "、".join(p.label for p in created)
            messages.success(request, _("Set up: %(periods)s.") % {"periods": labels})
            return redirect("year_setup")
    context = {
        "form": form,
        "open_periods": setup_selectors.open_periods(),
        "gaps": setup_selectors.staffing_gaps(user=request.user),
    }
    return render(request, "reports/year_setup.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def bureau_users(request):
    if not policy.can_manage_users(request.user):
        raise PermissionDenied("manage users")
    bureaus = setup_selectors.managed_bureaus(user=request.user)
    form = UserAddForm(request.POST or None, bureaus=bureaus)
    if request.method == "POST" and form.is_valid():
        try:
            user = setup_services.user_add(acting_user=request.user, **form.cleaned_data)
        except ValidationError as e:
            form.add_error(None, _error_text(e))
        else:
            messages.success(request, _("User %(name)s added.") % {"name": user.username})
            return redirect("bureau_users")
    context = {
        "form": form,
        "role_form": RoleAssignForm(bureaus=bureaus),
        "users": setup_selectors.managed_users(user=request.user),
        "gaps": setup_selectors.staffing_gaps(user=request.user),
        "can_set_up_years": policy.can_set_up_years(request.user),
    }
    return render(request, "reports/bureau_users.html", context)


@login_required
@require_POST
def user_active(request, pk: int):
    target = get_object_or_404(get_user_model(), pk=pk)  # the service asks the policy
    active = request.POST.get("active") == "1"
    setup_services.user_set_active(acting_user=request.user, user=target, active=active)
    done = _("%(name)s can log in again.") if active else _("%(name)s is deactivated.")
    messages.success(request, done % {"name": target.username})
    return redirect("bureau_users")


@login_required
@require_POST
def user_role(request, pk: int):
    target = get_object_or_404(get_user_model(), pk=pk)  # the service asks the policy
    form = RoleAssignForm(request.POST, bureaus=setup_selectors.managed_bureaus(user=request.user))
    if form.is_valid():
        setup_services.role_assign(acting_user=request.user, user=target, **form.cleaned_data)
        messages.success(request, _("Role given to %(name)s.") % {"name": target.username})
    else:
        messages.error(request, _("Choose a bureau you manage and a role."))
    return redirect("bureau_users")


@login_required
@require_POST
def role_remove(request, pk: int):
    membership = get_object_or_404(Membership.objects.select_related("bureau", "user"), pk=pk)
    try:
        setup_services.role_remove(acting_user=request.user, membership=membership)
    except ValidationError as e:
        messages.error(request, _error_text(e))
    return redirect("bureau_users")


urlpatterns = [
    path("setup/year/", year_setup, name="year_setup"),
    path("setup/users/", bureau_users, name="bureau_users"),
    path("setup/users/<int:pk>/active/", user_active, name="user_active"),
    path("setup/users/<int:pk>/role/", user_role, name="user_role"),
    path("setup/roles/<int:pk>/remove/", role_remove, name="role_remove"),
]
