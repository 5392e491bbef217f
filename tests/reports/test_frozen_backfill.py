"""Issue 15: reports approved before freezing existed get their PDF and Word frozen too, by
`manage.py freeze_approved` (idempotent) or by their first download, which queues it once."""

import hashlib
import io

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from reports.models import AuditEvent, FrozenDocument, Report
from reports.services.frozen import frozen_documents_create
from tests.reports.documents import make_report

pytestmark = pytest.mark.django_db

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


_committed = None


@pytest.fixture(autouse=True)
def _after_commit(django_capture_on_commit_callbacks):
    """Queueing happens after commit, and the test's transaction never commits: the helpers below
    run what waits for the commit when their command or request ends."""
    global _committed
    _committed = django_capture_on_commit_callbacks
    yield
    _committed = None


def _run(*args) -> str:
    out = io.StringIO()
    with _committed(execute=True):
        call_command("freeze_approved", *args, stdout=out)
    return out.getvalue()


def _queued() -> list[int]:
    rows = DBTaskResult.objects.filter(status="READY", task_path__endswith=".freeze_report_documents")
    return sorted(r.args_kwargs["kwargs"]["report_id"] for r in rows)


def _download(client, report, fmt="pdf") -> bytes:
    with _committed(execute=True):
        response = client.get(f"/reports/{report.pk}/{fmt}/")
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_dry_run_counts_the_approved_reports_without_frozen_files():
    approved = make_report()  # approved before freezing existed: no frozen files
    assert "1 approved report(s) lack frozen documents." in _run("--dry-run")
    assert not FrozenDocument.objects.exists()
    frozen_documents_create(report_id=approved.pk)
    assert "0 approved report(s)" in _run("--dry-run")


def test_the_command_freezes_each_approved_report_once():
    report = make_report()
    _run()  # the test settings' task backend runs the freeze at once
    frozen = {d.format: d for d in FrozenDocument.objects.filter(report=report)}
    assert set(frozen) == {"pdf", "docx"}
    assert AuditEvent.objects.filter(action="freeze", report=report).count() == 1
    assert "Queued 0" in _run()  # idempotent
    assert AuditEvent.objects.filter(action="freeze", report=report).count() == 1


def test_the_command_queues_for_the_worker_and_not_twice(settings):
    settings.TASKS = DATABASE_QUEUE
    report = make_report()
    assert "Queued 1 approved report(s) for freezing (0 already queued)." in _run()
    assert _queued() == [report.pk]
    assert "Queued 0 approved report(s) for freezing (1 already queued)." in _run()
    assert _queued() == [report.pk]
    assert not FrozenDocument.objects.exists()


def test_the_command_can_render_in_place():
    report = make_report()
    assert "Froze 2 document(s) of 1 approved report(s)." in _run("--now")
    assert FrozenDocument.objects.filter(report=report).count() == 2


def test_a_download_of_an_unfrozen_approved_report_queues_its_freezing_once(client, settings):
    settings.TASKS = DATABASE_QUEUE
    report = make_report()
    client.force_login(report.bureau.memberships.get().user)
    first = _download(client, report)  # rendered this time
    assert first.startswith(b"%PDF") and _queued() == [report.pk]
    _download(client, report, "docx")
    _download(client, report)
    assert _queued() == [report.pk]  # once, not at every download

    frozen_documents_create(report_id=report.pk)  # what the worker does
    DBTaskResult.objects.update(status="SUCCESSFUL")
    served = _download(client, report)
    assert hashlib.sha256(served).hexdigest() == FrozenDocument.objects.get(report=report, format="pdf").sha256
    report.bureau.name = "宣州区卫生和健康委员会"
    report.bureau.save()
    assert _download(client, report) == served  # frozen: a rename changes nothing now
    assert _queued() == []


def test_a_draft_download_queues_nothing(client, settings):
    settings.TASKS = DATABASE_QUEUE
    report = make_report(state=Report.State.DRAFT)
    client.force_login(report.bureau.memberships.get().user)
    _download(client, report)
    assert _queued() == []
