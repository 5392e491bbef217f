"""Where taken-over text came from (issue 17): the margin note shared by the editor and the
consolidation workspace."""

from django import template

register = template.Library()


@register.inclusion_tag("reports/_source_notes.html")
def source_notes(notes, section_id):
    """The source notes of one section; `notes` maps section id -> list of SourceNote."""
    return {"section_notes": (notes or {}).get(section_id, [])}
