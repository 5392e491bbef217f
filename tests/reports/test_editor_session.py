"""Issue 12: a save with an expired session, and saves from the editor's script (fetch)."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from reports.models import Membership, Section
from tests.factories import MembershipFactory, ReportFactory, SectionFactory

FETCH = {"HTTP_X_REQUESTED_WITH": "fetch"}


@pytest.fixture
def setup(catalogue):
    report = ReportFactory()
    clerk = MembershipFactory(bureau=report.bureau, role=Membership.Role.STAFF).user
    section = SectionFactory(report=report, heading="概况", body="旧文字")
    return report, clerk, section


def form(section, body, version=None):
    return {
        f"s{section.pk}-heading": section.heading,
        f"s{section.pk}-body": body,
        f"s{section.pk}-version": section.version if version is None else version,
    }


def test_a_post_without_session_logs_in_back_to_the_page_it_came_from(setup, client):
    """After log-in the browser GETs `next`: a POST-only URL there answered 405."""
    report, clerk, section = setup
    editor = reverse("report_edit", args=[report.pk])
    response = client.post(
        reverse("section_save", args=[report.pk, section.pk]),
        form(section, "新文字"),
        HTTP_REFERER=f"http://testserver{editor}",
    )
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == reverse("login") and parse_qs(location.query)["next"] == [editor]
    client.force_login(clerk)
    assert client.get(parse_qs(location.query)["next"][0]).status_code == 200


def test_a_post_from_elsewhere_without_session_logs_in_to_the_home_page(setup, client):
    report, clerk, section = setup
    url = reverse("section_save", args=[report.pk, section.pk])
    response = client.post(url, form(section, "新文字"), HTTP_REFERER="https://evil.example/x")
    assert parse_qs(urlsplit(response["Location"]).query)["next"] == [reverse("home")]


def test_a_script_save_without_session_is_told_so_in_chinese(setup, client):
    report, clerk, section = setup
    response = client.post(reverse("section_save", args=[report.pk, section.pk]), form(section, "新文字"), **FETCH)
    assert response.status_code == 401
    data = response.json()
    assert "登录" in data["error"] and data["login_url"].startswith(reverse("login"))
    assert Section.objects.get(pk=section.pk).body == "旧文字"


def test_a_script_save_that_conflicts_is_answered_and_not_overwritten(setup, login):
    report, clerk, section = setup
    client = login(clerk)
    url = reverse("section_save", args=[report.pk, section.pk])
    assert client.post(url, form(section, "第一次"), **FETCH).status_code == 200
    response = client.post(url, form(section, "第二次", version=section.version), **FETCH)
    assert response.status_code == 409 and response.json()["conflict"] is True
    assert "第二次" not in Section.objects.get(pk=section.pk).body


def test_a_script_save_tidies_pasted_word_text_and_says_how_long_it_is(setup, login):
    report, clerk, section = setup
    response = login(clerk).post(
        reverse("section_save", args=[report.pk, section.pk]),
        form(section, "\u3000\u3000第一段。\r\n\r\n\u3000\u3000第二段。"),
        **FETCH,
    )
    assert response.json()["body"] == "第一段。\n第二段。"
    assert Section.objects.get(pk=section.pk).body == "第一段。\n第二段。"
