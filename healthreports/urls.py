from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from .http import healthz

handler400 = "healthreports.http.bad_request"
handler403 = "healthreports.http.permission_denied"

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("indicators/", include("indicators.urls")),
    path("", include("reports.urls")),
]
