"""Account pages: own password, two-factor log-in, mail reset, and the bureau administrator's
accounts page (reset a clerk's password, lift a lockout). Thin: the rules are in reports.policy
and the changes in accounts.services."""

from __future__ import annotations

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from reports import policy

from . import services
from .forms import TokenForm
from .throttle import locked_usernames


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("home")


@login_required
def profile(request):
    context = {
        "two_factor": TOTPDevice.objects.filter(user=request.user, confirmed=True).exists(),
        "two_factor_required": policy.needs_two_factor(request.user),
        "manages_accounts": policy.can_manage_accounts(request.user),
    }
    return render(request, "accounts/profile.html", context)


@login_required
def two_factor(request):
    """Verify a TOTP code; the first time, enrol the authenticator app (QR code and key shown)."""
    device = services.two_factor_device(user=request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.two_factor_verify(request=request, device=device, token=form.cleaned_data["token"]):
            return redirect(_next(request))
        form.add_error("token", _("This code is not right (or has expired). Try the current one."))
    context = {"form": form, "enrolling": not device.confirmed, "next": _next(request)}
    if not device.confirmed:
        context["qr"] = mark_safe(segno.make(device.config_url).svg_inline(scale=4))
        context["secret"] = device.config_url.split("secret=")[1].split("&")[0]
    return render(request, "accounts/two_factor.html", context)


@login_required
def keepalive(request):
    """The idle notice's "continue" button: any request counts as activity."""
    return HttpResponse(status=204)


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/form.html"
    extra_context = {"title": _("Change password"), "button": _("Change password")}

    def form_valid(self, form):
        services.password_change(request=self.request, user=form.user, new_password=form.cleaned_data["new_password1"])
        messages.success(self.request, _("Your password has been changed."))
        return redirect("home")


def _mail_reset_only(view):
    """Mail-based reset exists only where mail is configured (PASSWORD_RESET_BY_MAIL)."""

    def wrapped(request, *args, **kwargs):
        if not settings.PASSWORD_RESET_BY_MAIL:
            raise Http404("password reset by mail is not configured")
        return view(request, *args, **kwargs)

    return wrapped


password_reset = _mail_reset_only(
    auth_views.PasswordResetView.as_view(
        template_name="accounts/form.html",
        extra_context={"title": _("Reset password by mail"), "button": _("Send the link")},
    )
)
password_reset_done = _mail_reset_only(
    auth_views.PasswordResetDoneView.as_view(
        template_name="accounts/message.html",
        extra_context={
            "title": _("Reset password by mail"),
            "text": _("If the address is known, a link is on its way."),
        },
    )
)
password_reset_confirm = _mail_reset_only(
    auth_views.PasswordResetConfirmView.as_view(
        template_name="accounts/form.html",
        extra_context={"title": _("Choose a new password"), "button": _("Change password")},
    )
)
password_reset_complete = _mail_reset_only(
    auth_views.PasswordResetCompleteView.as_view(
        template_name="accounts/message.html",
        extra_context={"title": _("Password changed"), "text": _("Your password has been set. You may log in now.")},
    )
)


# ----- the bureau administrator's accounts page --------------------------------------------------


def _managed(request, pk: int):
    if not policy.can_manage_accounts(request.user):
        raise PermissionDenied
    return get_object_or_404(get_user_model().objects.filter(policy.managed_accounts_q(request.user)), pk=pk)


@login_required
def users(request):
    if not policy.can_manage_accounts(request.user):
        raise PermissionDenied
    people = list(
        get_user_model()
        .objects.filter(policy.managed_accounts_q(request.user))
        .prefetch_related("memberships__bureau")
        .order_by("username")[:500]
    )
    locked = locked_usernames(request, [u.username for u in people])
    return render(request, "accounts/users.html", {"people": people, "locked": locked})


@login_required
def user_password(request, pk: int):
    person = _managed(request, pk)
    form = SetPasswordForm(person, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.password_reset_by_admin(
            acting_user=request.user, user=person, new_password=form.cleaned_data["new_password1"]
        )
        messages.success(
            request,
            _("The password of %(name)s has been reset; they must choose their own at the next log-in.")
            % {"name": person.get_full_name() or person.username},
        )
        return redirect("accounts:users")
    title = _("Reset the password of %(name)s") % {"name": person.get_full_name() or person.username}
    return render(request, "accounts/form.html", {"form": form, "title": title, "button": _("Reset password")})


@login_required
@require_POST
def user_unlock(request, pk: int):
    person = _managed(request, pk)
    services.account_unlock(acting_user=request.user, user=person)
    messages.success(request, _("%(name)s may log in again.") % {"name": person.get_full_name() or person.username})
    return redirect("accounts:users")
