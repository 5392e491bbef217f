"""The audit trail: who logged in, read, exported, changed, submitted, returned, approved or reopened
what, from where, and with what result.

Append-only and tamper-evident (等保 level 3): every record carries the hash of the record before it
and its own HMAC-SHA-256 over its content and that hash, keyed with AUDIT_HASH_KEY (default: the
SECRET_KEY). Changing, removing or inserting a record anywhere breaks the chain from there on;
`manage.py audit_verify` (audit_chain_check) finds the first break. On PostgreSQL a transaction-level
advisory lock makes writers take turns, so two records never claim the same predecessor.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from ..models import AuditEvent, Bureau, Report

_CHAIN_LOCK = 18_0018  # pg_advisory_xact_lock key of the audit chain


def chain_digest(event, *, prev_hash: str) -> str:
    """The record's hash: HMAC-SHA-256 of its content (canonical JSON) and its predecessor's hash.
    `event`: an AuditEvent (or the migration's historical model of it)."""
    key = (getattr(settings, "AUDIT_HASH_KEY", "") or settings.SECRET_KEY).encode()
    content = [
        prev_hash,
        event.created_at.astimezone(datetime.UTC).isoformat(),
        event.action,
        event.actor_id,
        event.report_id,
        event.bureau_id,
        event.detail,
    ]
    payload = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hmac.new(key, payload.encode(), hashlib.sha256).hexdigest()


def _jsonable(value):
    return value if isinstance(value, (int, float, str, bool, type(None), list, dict)) else str(value)


def audit_record(
    *, actor, action: str, report: Report | None = None, bureau: Bureau | None = None, **detail
) -> AuditEvent:
    """Record one event. `action` is a short verb such as "export_pdf", "section_save", "submit"."""
    detail = json.loads(json.dumps({k: _jsonable(v) for k, v in detail.items()}, default=str))
    event = AuditEvent(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        report=report,
        bureau=bureau or (report.bureau if report is not None else None),
        detail=detail,
        created_at=timezone.now(),
    )
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK])
        event.prev_hash = AuditEvent.objects.order_by("-pk").values_list("hash", flat=True).first() or ""
        event.hash = chain_digest(event, prev_hash=event.prev_hash)
        event.save()
    return event


@dataclass(frozen=True)
class ChainProblem:
    pk: int
    problem: str  # "changed" (content does not match its hash) or "broken" (predecessor missing/changed)


def audit_chain_check() -> tuple[int, str, list[ChainProblem]]:
    """Recompute the whole chain in order: (records checked, last hash, problems found)."""
    problems: list[ChainProblem] = []
    prev, count = "", 0
    for event in AuditEvent.objects.order_by("pk").iterator(chunk_size=2000):
        count += 1
        if event.prev_hash != prev:
            problems.append(ChainProblem(event.pk, "broken"))
        if not hmac.compare_digest(event.hash, chain_digest(event, prev_hash=event.prev_hash)):
            problems.append(ChainProblem(event.pk, "changed"))
        prev = event.hash
    return count, prev, problems
