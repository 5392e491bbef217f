"""Editing a report's section tree: add, save, move, indent, outdent, delete.

Every function locks the report row first (so a submit cannot slip in between), checks the policy
under that lock, changes the tree, renumbers sibling positions 1..n and records an audit event.
The displayed numbers (一、（一）1.（1）) are always computed from the tree, never stored.
"""

from __future__ import annotations

import datetime
import hashlib
from typing import Literal

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import policy
from ..models import Report, ReviewComment, Section
from ..selectors.tree import add_child_refusal, indent_refusal, outdent_refusal
from ..text import clean_text, tidy_paragraphs
from . import ConflictError, ServiceError
from .audit import audit_record

HEADING_MAX = Section._meta.get_field("heading").max_length


def report_size_check(
    *, report: Report, new_sections: int = 0, new_chars: int = 0, replacing: Section | None = None
) -> None:
    """Refuse (ServiceError, nothing saved) what would take the report past REPORT_MAX_SECTIONS
    sections or REPORT_MAX_CHARS characters of text: every PDF, Word file and submitted version is
    built from all of it (ten sections of 100,000 characters made a PDF take 39 s and 541 MB).
    `replacing`: the section whose text `new_chars` replaces. The text import checks here too."""
    sections = Section.objects.filter(report=report)
    limit = settings.REPORT_MAX_SECTIONS
    if new_sections and sections.count() + new_sections > limit:
        raise ServiceError(_("A report can have at most %(limit)s sections. Nothing was saved.") % {"limit": limit})
    if new_chars:
        others = sections.exclude(pk=replacing.pk) if replacing is not None else sections
        total = (others.aggregate(n=Sum(Length("body")))["n"] or 0) + new_chars
        if total > settings.REPORT_MAX_CHARS:
            raise ServiceError(
                _(
                    "The text of a report may be at most %(limit)s characters; with this change it would have "
                    "%(count)s. Nothing was saved."
                )
                % {"limit": settings.REPORT_MAX_CHARS, "count": total}
            )


def _lock(*, report: Report, acting_user) -> Report:
    report = Report.objects.select_for_update().select_related("bureau", "period").get(pk=report.pk)
    policy.require_open(report.period)
    policy.require(acting_user, "edit", report)
    return report


def _lock_tree(*, section: Section, acting_user) -> tuple[Report, _Tree, Section]:
    """Lock the section's report, check the policy, load the tree and the section fresh from it."""
    report = _lock(report=section.report, acting_user=acting_user)
    tree = _Tree(report)
    return report, tree, tree.get(section.pk)


class _Tree:
    """All sections of one report, loaded in one query, for depth and sibling arithmetic."""

    def __init__(self, report: Report) -> None:
        self.by_id: dict[int, Section] = {s.pk: s for s in Section.objects.filter(report=report)}

    def get(self, section_id: int) -> Section:
        try:
            return self.by_id[section_id]
        except KeyError:
            raise ServiceError(_("This section no longer exists; someone may have deleted it.")) from None

    def siblings(self, parent_id: int | None) -> list[Section]:
        return sorted((s for s in self.by_id.values() if s.parent_id == parent_id), key=lambda s: (s.position, s.pk))

    def depth(self, section: Section) -> int:
        depth, current = 1, section
        while current.parent_id is not None:
            depth += 1
            current = self.by_id[current.parent_id]
        return depth

    def height(self, section: Section) -> int:
        """1 for a leaf, 2 when it has children, ..."""
        children = self.siblings(section.pk)
        return 1 + max((self.height(c) for c in children), default=0)

    def subtree_ids(self, section: Section) -> list[int]:
        out = [section.pk]
        for child in self.siblings(section.pk):
            out.extend(self.subtree_ids(child))
        return out

    def renumber(self, ordered: list[Section]) -> None:
        """Give the siblings positions 1..n in this order, writing only those that changed."""
        changed = []
        for i, s in enumerate(ordered, start=1):
            if s.position != i:
                s.position = i
                changed.append(s)
        if changed:
            Section.objects.bulk_update(changed, ["position", "parent"])


def _clean_heading(heading: str) -> str:
    heading = " ".join(clean_text(heading).split())
    if not heading:
        raise ServiceError(_("A section needs a heading."))
    if len(heading) > HEADING_MAX:
        raise ServiceError(_("A heading can have at most %(n)s characters.") % {"n": HEADING_MAX})
    return heading


def _clean_body(body: str) -> str:
    return tidy_paragraphs(body)


def _check_length(body: str) -> str:
    """A section's text (or the lead) within REPORT_SECTION_MAX_CHARS: unbounded text would make
    every later PDF, Word file and history copy of the report huge."""
    if len(body) > settings.REPORT_SECTION_MAX_CHARS:
        raise ServiceError(
            _("The text of a section may be at most %(limit)s characters; this one has %(count)s. Nothing was saved.")
            % {"limit": settings.REPORT_SECTION_MAX_CHARS, "count": len(body)}
        )
    return body


@transaction.atomic
def section_add(
    *, report: Report, acting_user, heading: str, parent: Section | None = None, after: Section | None = None
) -> Section:
    """Add a section under `parent` (None: top level), right after `after` or else at the end."""
    report = _lock(report=report, acting_user=acting_user)
    heading = _clean_heading(heading)
    report_size_check(report=report, new_sections=1)
    tree = _Tree(report)
    parent_obj = tree.get(parent.pk) if parent is not None else None
    if parent_obj is not None and (refusal := add_child_refusal(depth=tree.depth(parent_obj))):
        raise ServiceError(refusal)
    siblings = tree.siblings(parent_obj.pk if parent_obj else None)
    kind = parent_obj.kind if parent_obj is not None else Section.Kind.OTHER
    section = Section.objects.create(
        report=report,
        parent=parent_obj,
        position=len(siblings) + 1,
        kind=kind,
        heading=heading,
        updated_by=acting_user,
    )
    if after is not None:
        index = next((i for i, s in enumerate(siblings) if s.pk == after.pk), len(siblings) - 1)
        siblings.insert(index + 1, section)
        tree.renumber(siblings)
    audit_record(actor=acting_user, action="section_add", report=report, section=section.pk, heading=heading)
    return section


@transaction.atomic
def section_save(*, section: Section, acting_user, heading: str, body: str, version: int) -> Section:
    """Save a section's heading and text, refusing if someone else saved it since `version` was read.
    The ConflictError carries their section (`current`) so the view can show their text."""
    report = _lock(report=section.report, acting_user=acting_user)
    current = Section.objects.select_for_update().filter(pk=section.pk, report=report).first()
    if current is None:
        raise ServiceError(_("This section no longer exists; someone may have deleted it."))
    if current.version != version:
        who = current.updated_by.get_full_name() or current.updated_by.username if current.updated_by else "—"
        raise ConflictError(
            _("“%(heading)s” was changed by %(who)s while you were editing. Your text was not saved.")
            % {"heading": current.heading, "who": who},
            current=current,
        )
    heading, body = _clean_heading(heading), _check_length(_clean_body(body))
    if (heading, body) == (current.heading, current.body):
        return current
    if len(body) > len(current.body):
        report_size_check(report=report, new_chars=len(body), replacing=current)
    current.heading, current.body = heading, body
    current.version += 1
    current.updated_by = acting_user
    current.save()
    audit_record(actor=acting_user, action="section_save", report=report, section=current.pk, version=current.version)
    return current


def section_rename(*, section: Section, acting_user, heading: str, version: int) -> Section:
    """Change only the heading (same versioning as `section_save`)."""
    return section_save(section=section, acting_user=acting_user, heading=heading, body=section.body, version=version)


@transaction.atomic
def section_move(*, section: Section, acting_user, direction: Literal["up", "down"]) -> Section:
    """Swap the section with its previous (up) or next (down) sibling; at either end nothing changes."""
    report, tree, section = _lock_tree(section=section, acting_user=acting_user)
    siblings = tree.siblings(section.parent_id)
    i = siblings.index(section)
    j = i - 1 if direction == "up" else i + 1
    if 0 <= j < len(siblings):
        siblings[i], siblings[j] = siblings[j], siblings[i]
        tree.renumber(siblings)
        audit_record(actor=acting_user, action="section_move", report=report, section=section.pk, direction=direction)
    return section


@transaction.atomic
def section_indent(*, section: Section, acting_user) -> Section:
    """Make the section (with its children) the last child of its previous sibling."""
    report, tree, section = _lock_tree(section=section, acting_user=acting_user)
    siblings = tree.siblings(section.parent_id)
    i = siblings.index(section)
    if refusal := indent_refusal(index=i + 1, depth=tree.depth(section), height=tree.height(section)):
        raise ServiceError(refusal)
    new_parent = siblings[i - 1]
    new_siblings = tree.siblings(new_parent.pk)
    section.parent_id = new_parent.pk
    section.position = 0  # forces the write in renumber
    tree.renumber(new_siblings + [section])
    tree.renumber([s for s in siblings if s.pk != section.pk])
    audit_record(actor=acting_user, action="section_indent", report=report, section=section.pk)
    return section


@transaction.atomic
def section_outdent(*, section: Section, acting_user) -> Section:
    """Move the section (with its children) up one level, right after its former parent."""
    report, tree, section = _lock_tree(section=section, acting_user=acting_user)
    if refusal := outdent_refusal(depth=tree.depth(section)):
        raise ServiceError(refusal)
    parent = tree.get(section.parent_id)
    old_siblings = [s for s in tree.siblings(parent.pk) if s.pk != section.pk]
    new_siblings = tree.siblings(parent.parent_id)
    new_siblings.insert(new_siblings.index(parent) + 1, section)
    section.parent_id = parent.parent_id
    section.position = 0  # forces the write in renumber
    tree.renumber(new_siblings)
    tree.renumber(old_siblings)
    audit_record(actor=acting_user, action="section_outdent", report=report, section=section.pk)
    return section


@transaction.atomic
def section_delete(*, section: Section, acting_user) -> int:
    """Delete the section and everything under it; returns how many sections went."""
    report, tree, section = _lock_tree(section=section, acting_user=acting_user)
    ids = tree.subtree_ids(section)
    heading = section.heading
    Section.objects.filter(pk__in=ids).delete()
    tree.renumber([s for s in tree.siblings(section.parent_id) if s.pk != section.pk])
    audit_record(
        actor=acting_user, action="section_delete", report=report, section=section.pk, heading=heading, count=len(ids)
    )
    return len(ids)


TITLE_MAX = Report._meta.get_field("title").max_length


def head_fingerprint(*, report: Report) -> str:
    """What the clerk saw of the title, lead and signing date, to tell whether someone saved them since."""
    signed = report.signed_on.isoformat() if report.signed_on else ""
    return hashlib.sha256(f"{report.title}\x00{report.lead}\x00{signed}".encode()).hexdigest()[:16]


def signed_on_problem(*, report: Report, signed_on: datetime.date | None) -> str | None:
    """Why a signing date cannot be the report's, or None. It lies within the period or after it,
    and not after today: a report is signed when it is finished, and a date still to come would be
    printed as if it had passed. (The editor and the text import both ask.)"""
    if signed_on is not None and signed_on < report.period.start:
        return _("The date signed cannot be before the period starts (%(start)s).") % {
            "start": report.period.start.isoformat()
        }
    if signed_on is not None and signed_on > timezone.localdate():
        return _("The date signed cannot be in the future.")
    return None


@transaction.atomic
def report_head_save(
    *, report: Report, acting_user, title: str, lead: str, signed_on: datetime.date | None, seen: str
) -> tuple[Report, list[str]]:
    """Save the report's title, its lead (the unnumbered paragraphs before 一、) and the signing date
    (None: the approval date will be used), refusing if someone else changed any of them since the
    clerk read them (`seen`: their head_fingerprint). Returns the report and the names of the fields
    that changed ("title", "lead", "signed_on"; none: nothing was written)."""
    current = _lock(report=report, acting_user=acting_user)
    if head_fingerprint(report=current) != seen:
        raise ConflictError(
            _("The title or lead was changed by someone else while you were editing. Your text was not saved."),
            current=current,
        )
    title = " ".join((title or "").split())
    if not title:
        raise ServiceError(_("A report needs a title."))
    if len(title) > TITLE_MAX:
        raise ServiceError(_("A title can have at most %(n)s characters.") % {"n": TITLE_MAX})
    lead = _check_length(_clean_body(lead))
    problem = signed_on_problem(report=current, signed_on=signed_on)
    if problem:
        raise ServiceError(_("%(problem)s Nothing was saved.") % {"problem": problem})
    fields = (
        ("title", title, current.title),
        ("lead", lead, current.lead),
        ("signed_on", signed_on, current.signed_on),
    )
    changed = [name for name, new, old in fields if new != old]
    if not changed:
        return current, changed
    current.title, current.lead, current.signed_on = title, lead, signed_on
    current.save(update_fields=[*changed, "updated_at"])
    audit_record(actor=acting_user, action="report_head_save", report=current, changed=changed, signed_on=signed_on)
    return current, changed


def review_comment_mark(*, report: Report, comment_id: int, resolved: bool, acting_user) -> ReviewComment:
    """The bureau marks one of the reviewer's open comments resolved (or not yet); the reviewer sees
    the mark. Only while the bureau may edit the report."""
    with transaction.atomic():
        report = _lock(report=report, acting_user=acting_user)
        comment = ReviewComment.objects.filter(report=report, pk=comment_id, resolved=False).first()
        if comment is None:
            raise ServiceError(_("This report has no such open review comment."))
        comment.marked_resolved = resolved
        comment.save(update_fields=["marked_resolved"])
        audit_record(actor=acting_user, action="comment_mark", report=report, comment=comment.pk, resolved=resolved)
    return comment
