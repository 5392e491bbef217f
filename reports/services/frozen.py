"""Frozen documents (issue 15): an approved report's official PDF and Word are rendered once, by the
worker, stored with their SHA-256 through Django's storage, and served byte for byte from then on;
a later bureau rename or font change cannot alter what was approved. Reopening discards them."""

from __future__ import annotations

import hashlib
from functools import partial

from django.core.files.base import ContentFile
from django.db import transaction

from ..models import FrozenDocument, Report
from ..rendering.formats import FROZEN_FORMATS, output_format, render_report
from ..selectors.reports import approved_reports_unfrozen
from .audit import audit_record


@transaction.atomic
def frozen_documents_create(*, report_id: int) -> list[FrozenDocument]:
    """Render and store each frozen format the approved report lacks (the worker's job). The report row
    stays locked meanwhile, so a concurrent reopen waits and then discards what was made. A report that
    is no longer approved is left alone."""
    report = Report.objects.select_for_update().select_related("bureau", "period").get(pk=report_id)
    if report.state != Report.State.APPROVED:
        return []
    have = set(report.frozen_documents.values_list("format", flat=True))
    created: list[FrozenDocument] = []
    try:
        for code in FROZEN_FORMATS:
            if code in have:
                continue
            content = render_report(report=report, fmt=code)
            digest = hashlib.sha256(content).hexdigest()
            doc = FrozenDocument(report=report, format=code, sha256=digest, size=len(content))
            name = f"report-{report.pk}-{digest[:16]}.{output_format(code).extension}"
            doc.file.save(name, ContentFile(content), save=False)
            created.append(doc)
            doc.save()
    except BaseException:
        for doc in created:
            doc.file.delete(save=False)
        raise
    if created:
        audit_record(
            actor=None,
            action="freeze",
            report=report,
            **{f"{d.format}_sha256": d.sha256 for d in created},
            **{f"{d.format}_size": d.size for d in created},
        )
    return created


def frozen_documents_queue(*, report_id: int) -> None:
    """Have the worker render and store the report's official files once the current transaction
    commits: at approval, and for an approved report found without them."""
    from ..tasks import freeze_report_documents

    transaction.on_commit(partial(freeze_report_documents.enqueue, report_id=report_id))


def frozen_documents_request(*, report: Report) -> bool:
    """Queue the freezing of an approved report that lacks a frozen file (approved before freezing
    existed, or its freeze failed), unless a freeze of it is already waiting or running: a download
    of such a report asks once and is served a fresh render meanwhile; `manage.py freeze_approved`
    asks for all of them. Returns whether a freeze was queued."""
    if not approved_reports_unfrozen().filter(pk=report.pk).exists() or _freeze_waiting(report_id=report.pk):
        return False
    frozen_documents_queue(report_id=report.pk)
    return True


def _freeze_waiting(*, report_id: int) -> bool:
    """Is a freeze of this report in the worker's queue, not yet finished? (The database task
    backend's rows; with another backend nothing waits: the immediate one runs it at once.)"""
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        status__in=("READY", "RUNNING"),
        task_path__endswith=".freeze_report_documents",
        args_kwargs__kwargs__report_id=report_id,
    ).exists()


def frozen_documents_discard(*, report: Report, acting_user) -> None:
    """Call inside the reopening transaction: forget the frozen files (deleted from storage after commit)."""
    docs = list(FrozenDocument.objects.filter(report=report))
    if not docs:
        return
    storage = FrozenDocument._meta.get_field("file").storage
    names = [d.file.name for d in docs]
    FrozenDocument.objects.filter(pk__in=[d.pk for d in docs]).delete()
    audit_record(actor=acting_user, action="unfreeze", report=report, **{f"{d.format}_sha256": d.sha256 for d in docs})
    transaction.on_commit(lambda: [storage.delete(name) for name in names], robust=True)
