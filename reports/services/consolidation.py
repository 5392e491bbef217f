"""Taking a child's passage over into the parent bureau's own report (issue 17).

One atomic function: lock the parent's report, check the policy and the target section's version,
check that every chosen passage belongs to a report the user may take text from (a submitted or
approved report of a bureau directly under theirs, same period), append the text, keep a link to
each source (bureau, report, section, the section's version) and record it in the audit trail and
in the section's history (change reason). The official document never sees the links: they live
in their own table."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from .. import policy
from ..models import Bureau, PassageSource, Report, Section
from . import ConflictError, ServiceError
from .audit import audit_record
from .editing import _lock


@dataclass(frozen=True)
class PassageRef:
    """A paragraph (0-based among the section's paragraphs) or, with paragraph None, a whole section."""

    section_id: int
    paragraph: int | None = None

    @classmethod
    def parse(cls, value: str) -> PassageRef:
        """ "12:0" -> paragraph 0 of section 12; "12:all" -> the whole of section 12."""
        sid, _sep, para = (value or "").partition(":")
        if not sid.isdigit() or not (para == "all" or para.isdigit()):
            raise ServiceError(_("A chosen passage could not be read; reload the page and try again."))
        return cls(int(sid), None if para == "all" else int(para))


_SUFFIX = re.compile(r"(卫生健康委员会|卫生健康局|卫生和计划生育委员会|卫健委|卫健局|卫生局)$")
_AREA = re.compile(r"^(全区|全县|全市|全旗|全州|全省|我区|我县|我市|我旗)[，,]?")
_END = "。；;.，, "


def place_name(bureau: Bureau) -> str:
    """宣州区卫生健康委员会 -> 宣州区."""
    return _SUFFIX.sub("", bureau.name) or bureau.short_name or bureau.name


def as_list_item(bureau: Bureau, text: str) -> str:
    """One entry of a list across bureaus: "宣州区以家庭医生团队为抓手……；"."""
    return place_name(bureau) + _AREA.sub("", text.strip()).rstrip(_END) + "；"


def _whole_text(section: Section, children: dict[int | None, list[Section]]) -> list[str]:
    """The section's paragraphs, then each subsection's as "heading。text" paragraphs."""
    out = list(section.paragraphs)
    for child in children.get(section.pk, []):
        inner = _whole_text(child, children)
        heading = child.heading.rstrip(_END)
        out.append(f"{heading}。{inner[0]}" if inner else f"{heading}。")
        out.extend(inner[1:])
    return out


def _reason(pieces: list[tuple[Section, PassageRef, str]]) -> str:
    """The history's change reason (at most 100 characters)."""
    names = "、".join(dict.fromkeys(place_name(s.report.bureau) for s, _r, _t in pieces))
    first = pieces[0][0]
    text = _("Taken over from %(who)s: “%(heading)s” (version %(version)s)") % {
        "who": names,
        "heading": first.heading,
        "version": first.version,
    }
    return text if len(text) <= 100 else text[:99] + "…"


@transaction.atomic
def passages_take(
    *, report: Report, acting_user, target: Section, version: int, refs: list[PassageRef], as_list: bool = False
) -> Section:
    """Append the chosen children's passages to `target` (a section of `report`), each as its own
    paragraph or, with `as_list`, all together as one paragraph "宣州区…；郎溪县…；". Refuses if
    someone saved `target` since `version` was read, or if a passage is not the user's to take."""
    report = _lock(report=report, acting_user=acting_user)
    current = Section.objects.select_for_update().filter(pk=target.pk, report=report).first()
    if current is None:
        raise ServiceError(_("This section no longer exists; someone may have deleted it."))
    if current.version != version:
        raise ConflictError(
            _("“%(heading)s” was changed by someone else meanwhile. Nothing was taken over; look at it and try again.")
            % {"heading": current.heading},
            current=current,
        )
    if not refs:
        raise ServiceError(_("Tick at least one passage to take over."))
    sources = Report.objects.filter(
        policy.texts_readable_q(acting_user),
        bureau__parent_id=report.bureau_id,
        period_id=report.period_id,
        state__in=policy.FIGURE_STATES,
    )
    wanted = {ref.section_id for ref in refs}
    chosen = {
        s.pk: s for s in Section.objects.filter(pk__in=wanted, report__in=sources).select_related("report__bureau")
    }
    if set(chosen) != wanted:
        raise ServiceError(
            _(
                "A chosen passage is not in a submitted or approved report of your subordinate bureaus for this period. Nothing was taken over."
            )
        )
    children: dict[int | None, list[Section]] = {}
    if any(ref.paragraph is None for ref in refs):
        reports = {s.report_id for s in chosen.values()}
        for s in Section.objects.filter(report_id__in=reports).order_by("position", "pk"):
            children.setdefault(s.parent_id, []).append(s)
    pieces: list[tuple[Section, PassageRef, str]] = []
    for ref in dict.fromkeys(refs):
        section = chosen[ref.section_id]
        if ref.paragraph is None:
            paragraphs = _whole_text(section, children)
        elif ref.paragraph < len(section.paragraphs):
            paragraphs = [section.paragraphs[ref.paragraph]]
        else:
            raise ServiceError(_("A chosen paragraph no longer exists; reload the page and try again."))
        if paragraphs:
            pieces.append((section, ref, "\n".join(paragraphs)))
    if not pieces:
        raise ServiceError(_("The chosen sections have no text. Nothing was taken over."))
    if as_list:
        added = "".join(as_list_item(s.report.bureau, text.replace("\n", "")) for s, _r, text in pieces)
    else:
        added = "\n".join(text for _s, _r, text in pieces)
    body = f"{current.body}\n{added}" if current.body.strip() else added
    if len(body) > settings.REPORT_SECTION_MAX_CHARS:
        raise ServiceError(
            _(
                "The text of a section may be at most %(limit)s characters; this one would have %(count)s. Nothing was taken over."
            )
            % {"limit": settings.REPORT_SECTION_MAX_CHARS, "count": len(body)}
        )
    current.body = body
    current.version += 1
    current.updated_by = acting_user
    current._change_reason = _reason(pieces)
    current.save()
    PassageSource.objects.bulk_create(
        [
            PassageSource(
                section=current,
                source_bureau=s.report.bureau,
                source_report=s.report,
                source_section=s,
                source_heading=s.heading,
                source_version=s.version,
                paragraph=ref.paragraph,
                text=text,
                taken_by=acting_user,
            )
            for s, ref, text in pieces
        ]
    )
    audit_record(
        actor=acting_user,
        action="passage_take",
        report=report,
        section=current.pk,
        version=current.version,
        as_list=as_list,
        sources=[
            {
                "bureau": s.report.bureau.code,
                "report": s.report_id,
                "section": s.pk,
                "version": s.version,
                "paragraph": ref.paragraph,
            }
            for s, ref, _t in pieces
        ],
    )
    return current
