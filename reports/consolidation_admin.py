"""Admin for the consolidation topics (issue 17): the topics and their words are data."""

from django.contrib import admin

from .models import Topic


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "words", "position"]
    list_editable = ["position"]
    search_fields = ["name", "words"]
