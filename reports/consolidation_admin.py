"""Admin for the consolidation topics (issue 17): the topics and their words are data."""

from django.contrib import admin

from .models import PassageSource, Topic


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "words", "position"]
    list_editable = ["position"]
    search_fields = ["name", "words"]


@admin.register(PassageSource)
class PassageSourceAdmin(admin.ModelAdmin):
    """Where taken-over text came from: a record, made only by taking a passage over."""

    list_display = ["section", "source_bureau", "source_heading", "source_version", "paragraph", "taken_by", "taken_at"]
    list_filter = ["source_bureau"]
    search_fields = ["source_heading", "text", "section__heading"]
    list_select_related = ["section", "source_bureau", "taken_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
