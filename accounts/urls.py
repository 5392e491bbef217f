"""Account routes. `auth_urlpatterns` keep Django's own names (password_change, password_reset,
password_reset_confirm, ...), which its views and mail templates reverse; the rest are `accounts:`."""

from django.urls import path

from . import views

auth_urlpatterns = [
    path("password/change/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/reset/", views.password_reset, name="password_reset"),
    path("password/reset/done/", views.password_reset_done, name="password_reset_done"),
    path("reset/<uidb64>/<token>/", views.password_reset_confirm, name="password_reset_confirm"),
    path("reset/done/", views.password_reset_complete, name="password_reset_complete"),
]

app_name = "accounts"
urlpatterns = [
    path("", views.profile, name="profile"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path("keepalive/", views.keepalive, name="keepalive"),
    path("users/", views.users, name="users"),
    path("users/<int:pk>/password/", views.user_password, name="user_password"),
    path("users/<int:pk>/unlock/", views.user_unlock, name="user_unlock"),
]
