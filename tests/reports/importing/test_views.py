from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from indicators.models import IndicatorValue
from reports.models import Membership, Report, Section
from tests.factories import MembershipFactory, ReportFactory, SectionFactory

from . import texts


def _setup(bureau_clerk, state=Report.State.DRAFT):
    bureau, clerk, period = bureau_clerk
    report = ReportFactory(bureau=bureau, period=period, state=state)
    SectionFactory(report=report, heading="骨架部分")
    return report, clerk, reverse("report_import", args=[report.pk])


def test_paste_check_untick_and_save(bureau_clerk, login):
    report, clerk, url = _setup(bureau_clerk)
    client = login(clerk)
    assert client.get(url).status_code == 200
    response = client.post(url, {"action": "preview", "text": texts.SIMPLE})
    assert response.status_code == 302 and response["Location"].endswith("?step=preview")
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert "基层服务能力稳步提升" in html and 'name="section" value="0.1.0"' in html
    assert "青山县卫生健康局2024年工作总结" in html  # the original text beside the outline
    figures = page.context["figures"]
    keep = [str(r["index"]) for r in figures if r["figure"].indicator != "htn_std_mgmt"]
    response = client.post(
        url,
        {
            "action": "confirm",
            "digest": page.context["digest"],
            "document": "1",
            "section": ["p", "0", "0.0", "0.1", "0.1.0", "0.1.1", "1", "2", "2.0"],
            "figure": keep,
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("report_edit", args=[report.pk])
    assert Section.objects.filter(report=report).count() == 8
    assert not Section.objects.filter(report=report, heading="骨架部分").exists()
    slugs = set(IndicatorValue.objects.filter(report=report).values_list("definition__slug", flat=True))
    assert "fds_coverage" in slugs and "htn_std_mgmt" not in slugs
    assert client.session.get(f"report_import:{report.pk}") is None


def test_confirm_parses_the_stored_text_not_what_the_browser_sends(bureau_clerk, login):
    report, clerk, url = _setup(bureau_clerk)
    client = login(clerk)
    client.post(url, {"action": "preview", "text": texts.SIMPLE})
    response = client.post(url, {"action": "confirm", "digest": "forged", "section": ["0"]}, follow=True)
    assert "changed or expired" in response.content.decode() or "已变更" in response.content.decode()
    assert list(Section.objects.filter(report=report).values_list("heading", flat=True)) == ["骨架部分"]


def test_upload_a_docx_and_choose_a_document(bureau_clerk, login, tmp_path):
    import docx

    report, clerk, url = _setup(bureau_clerk)
    client = login(clerk)
    document = docx.Document()
    for line in texts.COMPILATION.splitlines():
        document.add_paragraph(line)
    path = tmp_path / "c.docx"
    document.save(path)
    upload = SimpleUploadedFile("c.docx", path.read_bytes())
    client.post(url, {"action": "preview", "file": upload})
    page = client.get(url + "?step=preview&document=2")
    assert page.context["number"] == 2 and "疫情防控有序推进" in page.content.decode()
    client.post(
        url,
        {"action": "confirm", "digest": page.context["digest"], "document": "2", "section": ["0", "1"]},
    )
    # the bureau's sections, and the skeleton's required parts the text lacks, empty
    assert set(Section.objects.filter(report=report).values_list("heading", flat=True)) == {
        "疫情防控有序推进",
        "荣誉表彰",
        "存在的问题",
        "下一年度工作计划",
    }
    assert Section.objects.get(report=report, heading="荣誉表彰").kind == "honours"


def test_bad_uploads_are_refused_with_a_message(bureau_clerk, login, settings):
    report, clerk, url = _setup(bureau_clerk)
    client = login(clerk)
    page = client.post(url, {"action": "preview", "file": SimpleUploadedFile("x.pdf", b"%PDF-1.4")})
    assert page.status_code == 200 and page.context["form"].errors
    page = client.post(url, {"action": "preview", "file": SimpleUploadedFile("x.txt", b"\x81\x20\xff")})
    assert page.context["form"].errors
    settings.MAX_UPLOAD_BYTES = 10
    page = client.post(url, {"action": "preview", "file": SimpleUploadedFile("x.txt", "一、工作情况很好".encode())})
    assert page.context["form"].errors
    page = client.post(url, {"action": "preview", "text": "  "})
    assert page.context["form"].errors
    assert list(Section.objects.filter(report=report).values_list("heading", flat=True)) == ["骨架部分"]


def test_only_the_bureau_clerk_on_a_draft_or_returned_report(bureau_clerk, login):
    report, clerk, url = _setup(bureau_clerk, state=Report.State.SUBMITTED)
    assert login(clerk).get(url).status_code == 403
    Report.objects.filter(pk=report.pk).update(state=Report.State.RETURNED)
    assert login(clerk).get(url).status_code == 200
    stranger = MembershipFactory(role=Membership.Role.STAFF).user
    assert login(stranger).get(url).status_code == 404


def test_anonymous_is_sent_to_log_in(bureau_clerk, client):
    _report, _clerk, url = _setup(bureau_clerk)
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_preview_query_count_does_not_grow_with_the_text(bureau_clerk, login, django_assert_max_num_queries):
    _report, clerk, url = _setup(bureau_clerk)
    client = login(clerk)
    client.post(url, {"action": "preview", "text": texts.SIMPLE * 20})
    with django_assert_max_num_queries(12):
        assert client.get(url + "?step=preview").status_code == 200


def test_the_original_beside_a_compilation_is_the_chosen_document(bureau_clerk, login):
    _report, clerk, url = _setup(bureau_clerk)
    client = login(clerk)
    client.post(url, {"action": "preview", "text": texts.COMPILATION})
    original = client.get(url + "?step=preview&document=2").context["original"]
    assert original.startswith("第二篇") and "东湖镇" not in original and "南河区" not in original
