"""The shared store of generated files (STORAGES["generated"]), on the local filesystem and on an
S3-compatible server (moto's, started here on 127.0.0.1). The S3 half is skipped, with the reason,
when moto[server] is missing, unless S3_REQUIRED=1 (CI) makes that a failure."""

from __future__ import annotations

import io
import os
import socket
import uuid
import zipfile

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, storages
from django.core.management import call_command
from django.core.management.base import CommandError

from healthreports.settings import generated_storage_config
from reports.models import ExportJob, FrozenDocument, Membership, Report
from tests.factories import BureauFactory, MembershipFactory, ReportFactory
from tests.reports.documents import make_report


def _port() -> int:
    """A free port on 127.0.0.1: in BENCH_PORT_RANGE (e.g. 8190-8199) on a shared machine, else any."""
    low, _, high = os.environ.get("BENCH_PORT_RANGE", "0-0").partition("-")
    for port in range(int(low), int(high or low) + 1):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return s.getsockname()[1]
    raise RuntimeError("no free port in BENCH_PORT_RANGE")


@pytest.fixture(scope="session")
def s3_server():
    """An S3-compatible server on 127.0.0.1 for this test session; yields its endpoint URL."""
    try:
        from moto.server import ThreadedMotoServer
    except ImportError as exc:
        if os.environ.get("S3_REQUIRED") == "1":
            raise
        pytest.skip(f"no S3-compatible server: moto[server] is not installed ({exc})")
    port = _port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture(params=["filesystem", "s3"])
def store(request, settings, tmp_path, monkeypatch):
    """The generated-files storage built from our settings function for each backend, put in place of
    the one ExportJob.file was given at start-up. Yields (storage, local MEDIA_ROOT)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    env = {"GENERATED_STORAGE": request.param}
    if request.param == "s3":
        env |= {
            "S3_BUCKET": f"hr-test-{uuid.uuid4().hex[:12]}",
            "S3_ENDPOINT_URL": request.getfixturevalue("s3_server"),
            "S3_REGION": "us-east-1",
            "S3_ACCESS_KEY_ID": "test",
            "S3_SECRET_ACCESS_KEY": "test",
            "S3_PREFIX": "generated",
        }
    storage = storages.create_storage(generated_storage_config(env))
    if request.param == "s3":
        storage.connection.meta.client.create_bucket(Bucket=env["S3_BUCKET"])
    for model in (ExportJob, FrozenDocument):  # every FileField kept in the generated store
        monkeypatch.setattr(model._meta.get_field("file"), "storage", storage)
    return storage, settings.MEDIA_ROOT


def test_configuration_names_a_known_backend():
    assert generated_storage_config({})["BACKEND"].endswith("FileSystemStorage")
    assert generated_storage_config({"GENERATED_STORAGE": "s3", "S3_BUCKET": "b"})["OPTIONS"]["file_overwrite"] is False
    with pytest.raises(ImproperlyConfigured, match="S3_BUCKET"):
        generated_storage_config({"GENERATED_STORAGE": "s3"})
    with pytest.raises(ImproperlyConfigured, match="filesystem or s3"):
        generated_storage_config({"GENERATED_STORAGE": "nfs"})


def test_save_read_never_overwrite_delete(store):
    storage, _media = store
    name = storage.save("exports/2026/11/宣城市2024.zip", ContentFile(b"first"))
    assert storage.exists(name) and storage.size(name) == 5
    with storage.open(name, "rb") as fh:
        assert fh.read() == b"first"
    again = storage.save("exports/2026/11/宣城市2024.zip", ContentFile(b"second"))
    assert again != name  # a second file of the same name never replaces the first
    with storage.open(name, "rb") as fh:
        assert fh.read() == b"first"
    storage.delete(name)
    assert not storage.exists(name) and storage.exists(again)


def test_large_file_round_trip(store):
    storage, _media = store
    payload = os.urandom(9 * 1024 * 1024)  # past the 8 MB the S3 backend keeps in memory
    name = storage.save("exports/big.zip", ContentFile(payload))
    with storage.open(name, "rb") as fh:
        assert fh.read() == payload


@pytest.mark.django_db
def test_batch_export_is_stored_and_downloaded_through_the_app(store, client, django_capture_on_commit_callbacks):
    storage, media = store
    report = make_report()  # approved, under a city
    city = report.bureau.parent
    sibling = BureauFactory(code="341821", name="郎溪县卫生健康委员会", parent=city)
    ReportFactory(bureau=sibling, period=report.period, state=Report.State.APPROVED, title="郎溪县工作总结")
    reviewer = Membership.objects.get(bureau=city, role=Membership.Role.REVIEWER).user
    client.force_login(reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/exports/", {"bureau": city.pk, "period": report.period.pk})
    job = ExportJob.objects.get()
    assert job.status == ExportJob.Status.DONE and storage.exists(job.file.name)
    if not isinstance(storage, FileSystemStorage):  # an object store
        assert not media.exists() or not any(media.rglob("*.zip"))  # nothing on the app server's disk

    page = client.get(f"/exports/{job.pk}/").content.decode()
    assert f"/exports/{job.pk}/download/" in page
    assert "X-Amz" not in page and "127.0.0.1:" not in page and "/media/" not in page  # no direct link
    download = client.get(f"/exports/{job.pk}/download/")
    body = b"".join(download.streaming_content)
    with storage.open(job.file.name, "rb") as fh:
        assert body == fh.read()
    assert len(zipfile.ZipFile(io.BytesIO(body)).namelist()) == 2

    other = MembershipFactory(bureau=city, role=Membership.Role.REVIEWER).user  # same rights, not the requester
    client.force_login(other)
    assert client.get(f"/exports/{job.pk}/download/").status_code == 404


@pytest.mark.django_db
def test_check_generated_files_finds_a_missing_file(store, capsys):
    storage, _media = store
    report = make_report()
    reviewer = Membership.objects.get(bureau=report.bureau.parent, role=Membership.Role.REVIEWER).user
    job = ExportJob.objects.create(requested_by=reviewer, bureau=report.bureau.parent, period=report.period)
    job.file.save("a.zip", ContentFile(b"zip"))
    call_command("check_generated_files")
    assert "1 generated files referenced, all present" in capsys.readouterr().out
    storage.delete(job.file.name)
    with pytest.raises(CommandError, match="1 of 1 generated files are missing"):
        call_command("check_generated_files")


@pytest.mark.django_db
def test_admin_shows_the_stored_file_by_name_without_a_link_to_the_store(store, admin_client):
    report = make_report()
    reviewer = Membership.objects.get(bureau=report.bureau.parent, role=Membership.Role.REVIEWER).user
    job = ExportJob.objects.create(requested_by=reviewer, bureau=report.bureau.parent, period=report.period)
    job.file.save("宣城市2022.zip", ContentFile(b"zip"))
    page = admin_client.get(f"/admin/reports/exportjob/{job.pk}/change/").content.decode()
    assert job.file.name in page
    assert "X-Amz" not in page and "/media/" not in page and "127.0.0.1:" not in page
