"""Consolidation (issue 17): topics that group the children's passages, and the link a passage taken
over into a parent bureau's report keeps to its source. Imported by reports/models.py."""

from __future__ import annotations

import re

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

WORD_SPLIT = re.compile(r"[\s,，、;；]+")


class Topic(models.Model):
    """A subject of the work reports (疫情防控, 医改 …) and the words that mark a paragraph as being
    about it. Data, edited in the admin; seeded by the migration."""

    name = models.CharField(_("name"), max_length=40, unique=True)
    words = models.TextField(
        _("words"), help_text=_("Words that mark a paragraph as about this topic, separated by 、 or spaces.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("work topic")
        verbose_name_plural = _("work topics")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def word_list(self) -> list[str]:
        return [w for w in WORD_SPLIT.split(self.words) if w]


class PassageSource(models.Model):
    """Text in `section` of a parent bureau's report that was taken over from a child's report: which
    bureau, report and section it came from, and which version of that section. Never printed in the
    official document; shown in the editor's margin and in the history."""

    section = models.ForeignKey(
        "reports.Section", on_delete=models.CASCADE, related_name="passage_sources", verbose_name=_("section")
    )
    source_bureau = models.ForeignKey(
        "reports.Bureau", on_delete=models.CASCADE, related_name="+", verbose_name=_("source bureau")
    )
    source_report = models.ForeignKey(
        "reports.Report", on_delete=models.CASCADE, related_name="+", verbose_name=_("source report")
    )
    source_section = models.ForeignKey(
        "reports.Section", null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("source section")
    )
    source_heading = models.CharField(_("source heading"), max_length=300)
    source_version = models.PositiveIntegerField(_("source section version"))
    paragraph = models.PositiveSmallIntegerField(
        _("paragraph"), null=True, blank=True, help_text=_("Empty: the whole section.")
    )
    text = models.TextField(_("text taken over"))
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    taken_at = models.DateTimeField(_("taken over"), auto_now_add=True)

    class Meta:
        verbose_name = _("passage source")
        verbose_name_plural = _("passage sources")
        ordering = ["section", "pk"]

    def __str__(self) -> str:
        return f"{self.source_bureau_id}:{self.source_heading}"
