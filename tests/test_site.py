import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_login_page_is_served_in_chinese(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert 'lang="zh-hans"' in response.content.decode()


@pytest.mark.django_db
def test_home_requires_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_deploy_settings_are_safe(monkeypatch):
    """With DEBUG off, the security settings are on (check --deploy runs in .ci/run)."""
    import importlib

    import healthreports.settings as s

    monkeypatch.setenv("DEBUG", "0")
    monkeypatch.setenv("SECRET_KEY", "x" * 60)
    reloaded = importlib.reload(s)
    try:
        assert reloaded.SESSION_COOKIE_SECURE and reloaded.CSRF_COOKIE_SECURE and reloaded.SECURE_HSTS_SECONDS > 0
    finally:
        monkeypatch.setenv("DEBUG", "1")
        importlib.reload(s)


@pytest.mark.django_db
def test_chinese_by_default_even_for_an_english_browser(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "登录" in response.content.decode()


@pytest.mark.django_db
def test_english_when_chosen(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert response.status_code == 302
    response = client.get(reverse("login"))
    assert "Log in" in response.content.decode() and 'lang="en"' in response.content.decode()


@pytest.mark.django_db
def test_language_switch_names_each_language_in_itself(client):
    page = client.get(reverse("login")).content.decode()
    assert ">English</button>" in page
