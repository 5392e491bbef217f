"""Every model has an admin page an administrator can open."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

PROJECT_APPS = {"reports", "indicators"}


def test_every_project_model_is_in_the_admin():
    missing = [
        m._meta.label
        for m in apps.get_models()
        if m._meta.app_label in PROJECT_APPS
        and not m._meta.label.split(".")[1].startswith("Historical")
        and m not in admin.site._registry
    ]
    assert missing == []


@pytest.mark.django_db
def test_admin_changelists_open_for_the_administrator(demo, client):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="admin"))
    for model in admin.site._registry:
        if model._meta.app_label in PROJECT_APPS:
            url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
            assert client.get(url).status_code == 200, url
            assert client.get(url, {"q": "卫生"}).status_code == 200, url
