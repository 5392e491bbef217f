from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts.urls import auth_urlpatterns
from reports.views.setup import LoginView

from .http import healthz

handler400 = "healthreports.http.bad_request"
handler403 = "healthreports.http.permission_denied"

urlpatterns = [
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include(auth_urlpatterns)),
    path("accounts/", include("accounts.urls")),
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("indicators/", include("indicators.urls")),
    path("", include("reports.urls")),
]
