"""Bureaus, reporting periods, reports and their sections, and the record of the review workflow.

Why ~480 lines: these models are the core that every migration and admin page refers to; the models
of single features live beside it (consolidation_models.py, notification_models.py).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from . import periods
from .importing.kinds import KIND_TABLE
from .storage import generated_storage
from .text import clean_text

code_validator = RegexValidator(r"^\d{6}$", _("An administrative division code has exactly six digits."))


class Bureau(models.Model):
    """A health bureau. The tree is a materialised path of codes ("330000/330100/330102/"), indexed,
    so "this bureau and everything under it" is one `path__startswith` query."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("Province")
        CITY = "city", _("City")
        COUNTY = "county", _("County-level")

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    code = models.CharField(_("division code"), max_length=6, unique=True, validators=[code_validator])
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent bureau"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(_("path in the tree"), max_length=255, editable=False, db_index=True)
    depth = models.PositiveSmallIntegerField(_("depth in the tree"), editable=False, default=0)
    # When the bureau joined the portal: it is not late for a deadline that passed before that day.
    # Empty for bureaus that predate the record (issue 16): they are held to every deadline.
    created_on = models.DateField(_("joined the portal"), null=True, blank=True, default=timezone.localdate)

    class Meta:
        verbose_name = _("bureau")
        verbose_name_plural = _("bureaus")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=r"^[0-9]{6}$"), name="bureau_code_six_digits"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        old_path = self.path
        self.path = self._compute_path()
        self.depth = self.path.count("/") - 1
        with transaction.atomic():
            super().save(*args, **kwargs)
            if old_path and old_path != self.path:
                # Re-root the subtree, shallowest first so each child sees its parent's new path.
                for child in Bureau.objects.filter(path__startswith=old_path).exclude(pk=self.pk).order_by("depth"):
                    child.save(update_fields=["path", "depth"])

    def clean(self) -> None:
        if self.parent_id and self.pk:
            if self.parent.path.startswith(self.path or "\0"):
                raise ValidationError({"parent": _("A bureau cannot be placed under itself or its own subordinate.")})

    def _compute_path(self) -> str:
        return (self.parent.path if self.parent_id else "") + self.code + "/"

    def subtree(self, *, include_self: bool = True) -> models.QuerySet[Bureau]:
        qs = Bureau.objects.filter(path__startswith=self.path)
        return qs if include_self else qs.exclude(pk=self.pk)

    def ancestor_codes(self) -> list[str]:
        return [c for c in self.path.split("/") if c][:-1]


class Membership(models.Model):
    class Role(models.TextChoices):
        STAFF = "staff", _("Staff (fills in reports)")
        REVIEWER = "reviewer", _("Reviewer (reviews subordinate bureaus)")
        ADMIN = "admin", _("Administrator")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    bureau = models.ForeignKey(Bureau, verbose_name=_("bureau"), on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["user", "bureau", "role"], name="membership_unique_role")]

    def __str__(self) -> str:
        return f"{self.user} · {self.bureau} · {self.get_role_display()}"


class PeriodQuerySet(models.QuerySet):
    def get_by_code(self, code: str) -> ReportingPeriod:
        """ "2022" / "2022H1" -> the period. Raises ValueError or ReportingPeriod.DoesNotExist."""
        year, kind = periods.parse_code(code)
        return self.get(year=year, kind=kind)


class ReportingPeriod(models.Model):
    """A year's reporting period of one kind; the kinds and their rules are the table in periods.py."""

    Kind = models.TextChoices("Kind", [(code.upper(), (code, k.name)) for code, k in periods.KINDS.items()])

    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=6, choices=periods.kind_choices)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    deadline = models.DateField(_("submission deadline"))
    is_open = models.BooleanField(_("open"), default=True)

    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = periods.period_ordering()
        constraints = [
            models.UniqueConstraint(fields=["year", "kind"], name="period_unique_year_kind"),
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="period_end_after_start"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def code(self) -> str:
        return periods.period_code(self.year, self.kind)

    @property
    def label(self) -> str:
        return periods.period_label(self.year, self.kind)

    @property
    def is_annual(self) -> bool:
        return periods.period_kind(self.kind).is_annual

    parse_code = staticmethod(periods.parse_code)
    default_dates = staticmethod(periods.default_dates)


class Report(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        APPROVED = "approved", _("Approved")

    EDITABLE_STATES = (State.DRAFT, State.RETURNED)

    bureau = models.ForeignKey(Bureau, verbose_name=_("bureau"), on_delete=models.PROTECT, related_name="reports")
    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("period"), on_delete=models.PROTECT, related_name="reports"
    )
    title = models.CharField(_("title"), max_length=200)
    # The opening paragraphs before 一、 (导语), unnumbered; one paragraph a line, like Section.body.
    lead = models.TextField(_("lead"), blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    # The signing date (成文日期) the clerk set in the editor, or None: then the document shows the
    # approval date once approved, a placeholder before. Only the clerk writes it, so a return or a
    # reopening (which clear approved_at) never erases it.
    signed_on = models.DateField(_("date signed"), null=True, blank=True)
    # Timeliness, fixed at the first submission (issue 16): when, and how many days after the
    # deadline (0: on time). Later resubmissions do not change it.
    first_submitted_at = models.DateTimeField(_("first submitted"), null=True, blank=True)
    days_late = models.PositiveIntegerField(_("days late"), null=True, blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = [*periods.period_ordering("period__"), "bureau__path"]
        constraints = [models.UniqueConstraint(fields=["bureau", "period"], name="report_one_per_bureau_period")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_editable(self) -> bool:
        return self.state in self.EDITABLE_STATES

    @property
    def is_locked(self) -> bool:
        return self.state == self.State.APPROVED

    @property
    def lead_paragraphs(self) -> list[str]:
        return [p.strip() for p in self.lead.splitlines() if p.strip()]


# The kinds' one home is a pure table shared with the text import.
SectionKind = models.TextChoices("SectionKind", [(value.upper(), (value, _(label))) for value, label in KIND_TABLE])


class Section(models.Model):
    """One numbered part of a report. Position among siblings decides the number (一、（一）1.（1）);
    the number is never stored. Body is plain paragraphs separated by newlines."""

    Kind = SectionKind

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="sections")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    position = models.PositiveIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=SectionKind.choices, default=SectionKind.OTHER)
    heading = models.CharField(_("heading"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    required = models.BooleanField(_("required"), default=False)
    version = models.PositiveIntegerField(default=1, help_text="Optimistic lock: bumped on every save.")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["report", "parent_id", "position", "pk"]
        indexes = [models.Index(fields=["report", "parent", "position"])]

    def __str__(self) -> str:
        return self.heading

    @property
    def paragraphs(self) -> list[str]:
        return [p.strip() for p in clean_text(self.body).splitlines() if p.strip()]


class SkeletonSection(models.Model):
    """The standard skeleton of a report for a period kind: data (fixtures/skeletons.json), not code."""

    period_kind = models.CharField(_("period kind"), max_length=6, choices=periods.kind_choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=10, choices=SectionKind.choices)
    heading = models.CharField(max_length=300)
    required = models.BooleanField(default=True)
    hint = models.TextField(blank=True)

    class Meta:
        verbose_name = _("skeleton section")
        verbose_name_plural = _("skeleton sections")
        ordering = ["period_kind", "parent_id", "position"]

    def __str__(self) -> str:
        return f"{self.get_period_kind_display()}: {self.heading}"


class Transition(models.Model):
    """One step of the review workflow, on the record: who, when, from, to, and why."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="transitions")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    from_state = models.CharField(max_length=10, choices=Report.State.choices)
    to_state = models.CharField(max_length=10, choices=Report.State.choices)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("transition")
        verbose_name_plural = _("transitions")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.from_state} → {self.to_state}"


class WriteOnceQuerySet(models.QuerySet):
    """Bulk paths refuse too: rows of a write-once model are never updated or deleted, not even in
    bulk. The messages are the model's (`changed_message`, `deleted_message`)."""

    def update(self, **kwargs):
        raise ValidationError(self.model.changed_message)

    def delete(self):
        raise ValidationError(self.model.deleted_message)

    def _update(self, values):  # Model.save() of an existing row and bulk_update() come through here
        raise ValidationError(self.model.changed_message)


class WriteOnceModel(models.Model):
    """A row written once and then never changed or deleted (submitted versions, the audit trail)."""

    changed_message = deleted_message = ""

    objects = WriteOnceQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if self.pk:
            raise ValidationError(self.changed_message)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(self.deleted_message)


class ReportVersion(WriteOnceModel):
    """Content frozen at a submission (sections and values as JSON). Never changes once written."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    content = models.JSONField()

    changed_message = _("A submitted version cannot be changed.")
    deleted_message = _("A submitted version cannot be deleted.")

    class Meta:
        verbose_name = _("submitted version")
        verbose_name_plural = _("submitted versions")
        ordering = ["report", "number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="version_unique_number")]

    def __str__(self) -> str:
        return f"{self.report_id} v{self.number}"


class ReviewComment(models.Model):
    """A reviewer's remark on the whole report, one section or one indicator value."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="review_comments")
    transition = models.ForeignKey(
        Transition, null=True, blank=True, on_delete=models.CASCADE, related_name="section_comments"
    )
    section = models.ForeignKey(Section, null=True, blank=True, on_delete=models.SET_NULL, related_name="comments")
    indicator = models.ForeignKey(
        "indicators.IndicatorDefinition", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(auto_now_add=True)
    resolved = models.BooleanField(default=False)  # dealt with: the report was submitted again
    marked_resolved = models.BooleanField(_("marked resolved by the bureau"), default=False)

    class Meta:
        verbose_name = _("review comment")
        verbose_name_plural = _("review comments")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:40]


class AuditEvent(WriteOnceModel):
    """Who read, exported, changed or decided what and when; queryable by an administrator.

    Append-only and tamper-evident: each record carries `prev_hash` (its predecessor's `hash`) and
    its own `hash` over its content and `prev_hash` (reports/services/audit.py); `manage.py
    audit_verify` recomputes the chain. The foreign keys keep their ids when the user, report or
    bureau is deleted (no cascade, no SET NULL: either would rewrite the record)."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name=_("user"),
    )
    action = models.CharField(_("action"), max_length=40, db_index=True)
    report = models.ForeignKey(
        Report,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="audit_events",
        verbose_name=_("report"),
    )
    bureau = models.ForeignKey(
        Bureau,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name=_("bureau"),
    )
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    prev_hash = models.CharField(max_length=64, blank=True, default="")
    hash = models.CharField(max_length=64, blank=True, default="")

    # append-only; on PostgreSQL a trigger refuses UPDATE and DELETE below the ORM too (migration 0003)
    changed_message = _("The audit trail cannot be changed.")
    deleted_message = _("The audit trail cannot be deleted.")

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_id or '-'} {self.action}"


class ExportJob(models.Model):
    """A reviewer's request for all approved reports under a bureau for a period, as one ZIP of PDFs,
    built in the background by the task worker (reports/tasks.py)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    bureau = models.ForeignKey(Bureau, verbose_name=_("bureau"), on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(ReportingPeriod, verbose_name=_("period"), on_delete=models.CASCADE, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="exports/%Y/%m/", storage=generated_storage, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The worker writes heartbeat_at with every report it renders: a running job without a beat for
    # EXPORT_STALE_SECONDS lost its worker (reports/services/exports.py: export_jobs_recover).
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("batch export")
        verbose_name_plural = _("batch exports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.bureau} {self.period} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        return 100 if self.status == self.Status.DONE else int(self.done * 100 / self.total) if self.total else 0


class FrozenDocument(models.Model):
    """An approved report's official PDF or Word file, rendered once at approval (issue 15) and
    served byte for byte afterwards; reopening the report deletes it. Stored through Django's
    storage API (the FileField's storage), so the backend can change without touching this."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="frozen_documents")
    format = models.CharField(_("format"), max_length=16)
    file = models.FileField(upload_to="frozen/%Y/%m/", storage=generated_storage)
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("frozen document")
        verbose_name_plural = _("frozen documents")
        constraints = [models.UniqueConstraint(fields=["report", "format"], name="frozen_document_one_per_format")]

    def __str__(self) -> str:
        return f"{self.report} ({self.format}, {self.sha256[:12]})"


from .consolidation_models import PassageSource, Topic  # noqa: E402,F401  (issue 17)
from .notification_models import Chaser, Notification, Reminder  # noqa: E402,F401  (issue 16)
