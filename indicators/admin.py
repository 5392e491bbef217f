from django.contrib import admin
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from reports.admin import CleanTextModelForm, LockedWhenApprovedMixin

from .models import IndicatorDefinition, IndicatorValue
from .resources import IndicatorDefinitionResource


@admin.register(IndicatorDefinition)
class IndicatorDefinitionAdmin(ImportExportModelAdmin):
    form = CleanTextModelForm
    resource_classes = [IndicatorDefinitionResource]
    list_display = ["slug", "name_zh", "name_en", "unit", "kind", "topic", "required", "higher_is_better"]
    list_filter = ["kind", "topic", "required", "higher_is_better"]
    search_fields = ["slug", "name_zh", "name_en", "aliases"]
    ordering = ["topic", "position"]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(LockedWhenApprovedMixin, SimpleHistoryAdmin):
    form = CleanTextModelForm
    list_display = ["report", "definition", "value", "numerator", "denominator"]
    list_filter = ["definition__topic", "report__period", "report__state"]
    search_fields = ["report__title", "report__bureau__code", "definition__slug", "definition__name_zh"]
    raw_id_fields = ["report"]
    autocomplete_fields = ["definition"]
    list_select_related = ["report", "definition"]
