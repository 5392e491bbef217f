"""The report's sections as a numbered tree, and the tree's depth rule (how deep sections may nest)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from ..models import Report, Section
from ..numbering import section_number


@dataclass
class SectionNode:
    section: Section
    depth: int
    index: int  # 1-based among siblings
    number: str
    children: list[SectionNode] = field(default_factory=list)

    @property
    def pk(self) -> int:
        return self.section.pk

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


def section_tree(*, report: Report, sections: list[Section] | None = None) -> list[SectionNode]:
    """The report's sections as a numbered tree, from one query (or from `sections` already loaded)."""
    if sections is None:
        sections = list(Section.objects.filter(report=report).order_by("position", "pk"))
    by_parent: dict[int | None, list[Section]] = defaultdict(list)
    for s in sorted(sections, key=lambda s: (s.position, s.pk or 0)):
        by_parent[s.parent_id].append(s)

    def build(parent_id: int | None, depth: int) -> list[SectionNode]:
        nodes = []
        for i, s in enumerate(by_parent.get(parent_id, []), start=1):
            node = SectionNode(section=s, depth=depth, index=i, number=section_number(depth, i))
            node.children = build(s.pk, depth + 1)
            nodes.append(node)
        return nodes

    return build(None, 1)


def flatten(nodes: list[SectionNode]) -> list[SectionNode]:
    return [n for node in nodes for n in node.walk()]


# The depth rule of the section tree: the services refuse with these reasons and the editor offers a
# move only when its reason is None, so the page never offers what the service would refuse.


def max_depth() -> int:
    return settings.REPORT_SECTION_MAX_DEPTH


def _too_deep() -> str:
    return _("Sections can be nested at most %(n)s levels deep.") % {"n": max_depth()}


def add_child_refusal(*, depth: int) -> str | None:
    """Why no section may be added under a section at `depth` (None: it may)."""
    return _too_deep() if depth >= max_depth() else None


def indent_refusal(*, index: int, depth: int, height: int) -> str | None:
    """Why the `index`-th sibling (1-based) at `depth`, with a subtree `height` levels tall (1 for a
    leaf), may not become the last child of its previous sibling (None: it may)."""
    if index <= 1:
        return _("The first section at its level cannot be indented.")
    return _too_deep() if depth + height > max_depth() else None


def outdent_refusal(*, depth: int) -> str | None:
    """Why a section at `depth` may not move up one level (None: it may)."""
    return _("A top-level section cannot be outdented.") if depth <= 1 else None
