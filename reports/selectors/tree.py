"""The report's sections as a numbered tree."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

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
