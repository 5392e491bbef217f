"""The audit trail: who read-exported, changed, submitted, returned, approved or reopened what."""

from __future__ import annotations

from ..models import AuditEvent, Bureau, Report


def audit_record(
    *, actor, action: str, report: Report | None = None, bureau: Bureau | None = None, **detail
) -> AuditEvent:
    """Record one event. `action` is a short verb such as "export_pdf", "section_save", "submit"."""
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        report=report,
        bureau=bureau or (report.bureau if report is not None else None),
        detail={
            k: v if isinstance(v, (int, float, str, bool, type(None), list, dict)) else str(v)
            for k, v in detail.items()
        },
    )
