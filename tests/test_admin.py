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


def _visible_words(html: str) -> set[str]:
    import re

    html = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
    text = re.sub(r"<[^>]+>|&\w+;", " ", html)
    return set(re.findall(r"[A-Za-z][A-Za-z]+", text))


@pytest.mark.django_db
def test_admin_speaks_chinese_throughout(admin_client):
    """ "Django 管理", "AXES / Access attempts", "TASKS DATABASE BACKEND", "Path/Depth" were left in English."""
    from reports.models import Bureau

    bureau = Bureau.objects.create(name="宣城市卫生健康委员会", level="city", code="341800")
    pages = [
        reverse("admin:index"),
        reverse("admin:reports_bureau_change", args=[bureau.pk]),
        reverse("admin:auth_user_add"),
        reverse("admin:reports_membership_add"),
        reverse("admin:axes_accessattempt_changelist"),
        reverse("admin:django_tasks_database_dbtaskresult_changelist"),
    ]
    allowed = {"admin", "LDAP"}  # the logged-in username; a name
    for url in pages:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        english = _visible_words(response.content.decode()) - allowed
        assert " ".join(sorted(english)) == "", url
