import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied
from pypdf import PdfReader

from reports.models import ExportJob, Membership, Report
from reports.services.exports import export_job_create
from tests.factories import BureauFactory, MembershipFactory, ReportFactory, UserFactory
from tests.reports.documents import make_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def setup(media):
    report = make_report()  # approved, 341802 under 341800
    city = report.bureau.parent
    sibling = BureauFactory(code="341821", name="郎溪县卫生健康委员会", parent=city)
    ReportFactory(
        bureau=sibling, period=report.period, state=Report.State.APPROVED, title="郎溪县卫生健康委员会工作总结"
    )
    other = BureauFactory(code="341882", name="广德市卫生健康委员会", parent=city)
    ReportFactory(bureau=other, period=report.period, state=Report.State.SUBMITTED)  # not approved: left out
    reviewer = Membership.objects.get(bureau=city, role=Membership.Role.REVIEWER).user
    return report, city, reviewer


def test_reviewer_gets_a_zip_of_the_approved_pdfs(setup, client, django_capture_on_commit_callbacks):
    report, city, reviewer = setup
    client.force_login(reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/exports/", {"bureau": city.pk, "period": report.period.pk})
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/exports/{job.pk}/"
    assert (job.status, job.done, job.total) == (ExportJob.Status.DONE, 2, 2)

    page = client.get(f"/exports/{job.pk}/").content.decode()
    assert f"/exports/{job.pk}/download/" in page and 'http-equiv="refresh"' not in page

    download = client.get(f"/exports/{job.pk}/download/")
    assert download.status_code == 200
    assert "filename*=utf-8''" in download["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    names = sorted(archive.namelist())
    assert names == ["宣州区卫生健康委员会2022年上半年工作总结.pdf", "郎溪县卫生健康委员会工作总结.pdf"]
    text = PdfReader(io.BytesIO(archive.read(names[0]))).pages[0].extract_text()
    assert "一、工作开展情况" in text


def test_progress_page_refreshes_while_running(setup, client):
    report, city, reviewer = setup
    job = ExportJob.objects.create(requested_by=reviewer, bureau=city, period=report.period, total=2, done=1)
    client.force_login(reviewer)
    page = client.get(f"/exports/{job.pk}/").content.decode()
    assert '<meta http-equiv="refresh" content="3">' in page
    assert 'value="50"' in page
    assert client.get(f"/exports/{job.pk}/download/").status_code == 404


def test_only_the_requester_downloads(setup, client, django_capture_on_commit_callbacks):
    report, city, reviewer = setup
    with django_capture_on_commit_callbacks(execute=True):
        job = export_job_create(acting_user=reviewer, bureau=city, period=report.period)
    other = UserFactory(username="other_reviewer")
    MembershipFactory(user=other, bureau=city, role=Membership.Role.REVIEWER)
    client.force_login(other)
    assert client.get(f"/exports/{job.pk}/").status_code == 404
    assert client.get(f"/exports/{job.pk}/download/").status_code == 404


def test_staff_cannot_request_a_batch_export(setup, client):
    report, city, _reviewer = setup
    clerk = Membership.objects.get(bureau=report.bureau, role=Membership.Role.STAFF).user
    with pytest.raises(PermissionDenied):
        export_job_create(acting_user=clerk, bureau=city, period=report.period)
    client.force_login(clerk)
    response = client.post("/exports/", {"bureau": city.pk, "period": report.period.pk})
    assert response.status_code == 200  # the form refuses the bureau
    assert not ExportJob.objects.exists()
