import csv
import io
import json

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from indicators.models import IndicatorValue

from . import admin_labels
from .forms import CleanInputMixin
from .models import (
    AuditEvent,
    Bureau,
    Chaser,
    ExportJob,
    FrozenDocument,
    Membership,
    Notification,
    Reminder,
    Report,
    ReportingPeriod,
    ReportVersion,
    ReviewComment,
    Section,
    SkeletonSection,
    Transition,
)
from .services import ServiceError
from .services.periods import period_close


class CleanTextModelForm(CleanInputMixin, forms.ModelForm):
    """Admin forms store text as clean as the editor does (no control characters, \\n newlines)."""


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Bureau)
class BureauAdmin(admin.ModelAdmin):
    form = CleanTextModelForm
    list_display = ["code", "name", "short_name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name", "short_name"]
    autocomplete_fields = ["parent"]
    readonly_fields = ["path", "depth"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "bureau", "role"]
    list_filter = ["role", "bureau__level"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "bureau__name", "bureau__code"]
    autocomplete_fields = ["user", "bureau"]


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(admin.ModelAdmin):
    form = CleanTextModelForm
    list_display = ["__str__", "year", "kind", "start", "end", "deadline", "is_open"]
    list_filter = ["kind", "is_open"]
    list_editable = ["is_open"]
    actions = ["close_periods"]

    @admin.action(description=_("Close the selected periods for everyone"))
    def close_periods(self, request, queryset):
        """With a confirmation page first; each period is closed by the service (audited)."""
        if request.POST.get("confirm") != "yes":
            return TemplateResponse(
                request,
                "admin/reports/close_periods.html",
                {**self.admin_site.each_context(request), "periods": queryset, "opts": self.model._meta},
            )
        for period in queryset:
            try:
                period_close(period=period, acting_user=request.user)
            except ServiceError as exc:
                self.message_user(request, str(exc), messages.WARNING)
            else:
                self.message_user(request, _("%(period)s is closed for everyone.") % {"period": period.label})
        return None


class LockedWhenApprovedMixin:
    """An approved report is locked: the admin refuses changes to it and its content too. Adding or
    moving content into an approved report, or reverting history onto it, is refused by the model
    lock (reports/signals.py); here that refusal becomes a message instead of a 500."""

    def _refuse_locked(self, view, request, *args, **kwargs):
        from .signals import ReportLockedError

        try:
            with transaction.atomic():
                return view(request, *args, **kwargs)
        except ReportLockedError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(request.path)

    def changeform_view(self, request, *args, **kwargs):
        return self._refuse_locked(super().changeform_view, request, *args, **kwargs)

    def history_form_view(self, request, *args, **kwargs):
        return self._refuse_locked(super().history_form_view, request, *args, **kwargs)

    def _report_of(self, obj):
        return obj if isinstance(obj, Report) else getattr(obj, "report", None)

    def has_change_permission(self, request, obj=None):
        report = self._report_of(obj) if obj is not None else None
        if report is not None and report.is_locked:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        report = self._report_of(obj) if obj is not None else None
        if report is not None and report.is_locked:
            return False
        return super().has_delete_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        report = self._report_of(obj) if obj is not None else None
        if report is not None and report.is_locked:
            return False
        try:
            return super().has_add_permission(request, obj)
        except TypeError:
            return super().has_add_permission(request)


class SectionInline(LockedWhenApprovedMixin, admin.StackedInline):
    form = CleanTextModelForm
    model = Section
    extra = 0
    fields = ["parent", "position", "kind", "heading", "body", "required"]
    ordering = ["parent_id", "position"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            report_id = request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
            kwargs["queryset"] = Section.objects.filter(report_id=report_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ValueInline(LockedWhenApprovedMixin, admin.TabularInline):
    form = CleanTextModelForm
    model = IndicatorValue
    extra = 0
    fields = ["definition", "value", "numerator", "denominator", "note"]
    autocomplete_fields = ["definition"]


class TransitionInline(admin.TabularInline):
    model = Transition
    extra = 0
    can_delete = False
    readonly_fields = ["created_at", "actor", "from_state", "to_state", "comment"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Report)
class ReportAdmin(LockedWhenApprovedMixin, admin.ModelAdmin):
    form = CleanTextModelForm
    # Report itself has no simple_history table (its sections and values do); SimpleHistoryAdmin's
    # history page answered 500 here (found by tests/security/test_permission_matrix.py).
    list_display = ["title", "bureau", "period", "state", "submitted_at", "updated_at"]
    list_filter = ["state", "period", "bureau__level"]
    search_fields = ["title", "bureau__name", "bureau__code"]
    autocomplete_fields = ["bureau"]
    readonly_fields = ["state", "created_by", "created_at", "updated_at", "submitted_at", "approved_at"]
    inlines = [SectionInline, ValueInline, TransitionInline]
    list_select_related = ["bureau", "period"]


@admin.register(Section)
class SectionAdmin(LockedWhenApprovedMixin, SimpleHistoryAdmin):
    form = CleanTextModelForm
    list_display = ["heading", "report", "kind", "parent", "position"]
    list_filter = ["kind", "report__period"]
    search_fields = ["heading", "body", "report__title"]
    raw_id_fields = ["report", "parent"]
    list_select_related = ["report", "parent"]


@admin.register(SkeletonSection)
class SkeletonSectionAdmin(admin.ModelAdmin):
    form = CleanTextModelForm
    list_display = ["heading", "period_kind", "kind", "position", "required"]
    list_filter = ["period_kind", "kind"]


class LookOnlyAdmin(admin.ModelAdmin):
    """Records the services make (transitions, exports, notices): the admin looks, and may delete old ones."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(LookOnlyAdmin):
    """Records nobody may change or delete here (versions, the audit trail, frozen documents)."""

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Transition)
class TransitionAdmin(LookOnlyAdmin):
    list_display = ["report", "from_state", "to_state", "actor", "created_at"]
    list_filter = ["to_state"]
    search_fields = ["report__title", "comment", "actor__username"]
    readonly_fields = [f.name for f in Transition._meta.fields]


@admin.register(ReportVersion)
class ReportVersionAdmin(ReadOnlyAdmin):
    list_display = ["report", "number", "created_by", "created_at"]
    readonly_fields = ["report", "number", "created_by", "created_at", "content"]


@admin.register(ReviewComment)
class ReviewCommentAdmin(admin.ModelAdmin):
    list_display = ["report", "section", "indicator", "author", "created_at", "resolved"]
    list_filter = ["resolved"]
    search_fields = ["text", "report__title"]
    raw_id_fields = ["report", "transition", "section"]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """The audit trail, read-only for everybody (superusers too): no add, change or delete here, and
    the model and a PostgreSQL trigger refuse them below. The audit administrator reads it and
    exports the selection for the assessor."""

    list_display = ["created_at", "actor", "action", "report", "bureau", "address", "result"]
    list_filter = [
        "action",
        ("actor", admin.RelatedOnlyFieldListFilter),
        ("created_at", admin.DateFieldListFilter),
        ("bureau", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["actor", "report", "bureau"]
    search_fields = ["actor__username", "report__title", "bureau__name", "bureau__code"]
    date_hierarchy = "created_at"
    readonly_fields = ["created_at", "actor", "action", "report", "bureau", "detail", "prev_hash", "hash"]
    actions = ["export_csv"]

    @admin.display(description=_("address"))
    def address(self, obj):
        return obj.detail.get("ip", "")

    @admin.display(description=_("result"))
    def result(self, obj):
        return obj.detail.get("result", "")

    @admin.action(description=_("Export the selected audit events (CSV)"), permissions=["view"])
    def export_csv(self, request, queryset):
        from healthreports.downloads import content_disposition
        from healthreports.spreadsheets import csv_text

        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["id", "time", "user", "action", "report", "bureau", "detail", "prev_hash", "hash"])
        for e in queryset.order_by("pk").select_related("actor"):
            user = e.actor.username if e.actor else ""
            row = [e.pk, e.created_at.isoformat(), user, e.action, e.report_id, e.bureau_id]
            row += [json.dumps(e.detail, ensure_ascii=False), e.prev_hash, e.hash]
            writer.writerow([csv_text(x) for x in row])
        response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = content_disposition(f"audit-{timezone.localdate():%Y%m%d}.csv")
        return response


@admin.register(ExportJob)
class ExportJobAdmin(LookOnlyAdmin):
    """Batch exports are made by the worker; the admin only looks (and may delete old ones)."""

    list_display = ["created_at", "requested_by", "bureau", "period", "status", "done", "total", "finished_at"]
    list_filter = ["status", "period"]
    search_fields = ["requested_by__username", "bureau__name", "bureau__code"]
    # The file by name only: the admin's own link would be the store's URL (a signed S3 URL), around
    # the app's download view with its permission check and audit record.
    exclude = ["file"]
    readonly_fields = [f.name for f in ExportJob._meta.fields if f.name != "file"] + ["stored_file"]
    list_select_related = ["requested_by", "bureau", "period"]

    @admin.display(description="file")
    def stored_file(self, obj: ExportJob) -> str:
        return obj.file.name


@admin.register(FrozenDocument)
class FrozenDocumentAdmin(ReadOnlyAdmin):
    """The files frozen at approval, for looking up a hash. Made by the worker and discarded only by
    reopening the report, so the admin only looks."""

    list_display = ["created_at", "report", "format", "size", "sha256"]
    list_filter = ["format"]
    search_fields = ["sha256", "report__title", "report__bureau__code"]
    readonly_fields = [f.name for f in FrozenDocument._meta.fields]
    list_select_related = ["report"]


@admin.register(Notification)
class NotificationAdmin(LookOnlyAdmin):
    list_display = ["created_at", "user", "kind", "report", "read_at"]
    list_filter = ["kind", ("created_at", admin.DateFieldListFilter)]
    list_select_related = ["user", "report"]
    search_fields = ["user__username", "text"]


@admin.register(Reminder)
class ReminderAdmin(LookOnlyAdmin):
    list_display = ["sent_on", "kind", "key", "bureau", "period", "user", "recipients"]
    list_filter = ["kind", "sent_on"]
    list_select_related = ["bureau", "period", "user"]


@admin.register(Chaser)
class ChaserAdmin(LookOnlyAdmin):
    list_display = ["created_at", "bureau", "period", "sender", "message"]
    list_filter = ["period", "sent_on"]
    list_select_related = ["bureau", "period", "sender"]


from . import consolidation_admin  # noqa: E402,F401  (issue 17: topics)

admin_labels.apply()
