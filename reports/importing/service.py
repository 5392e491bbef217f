"""Saving a parsed document as a bureau's report: sections and the indicator values of its figures,
all in one transaction."""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from indicators.crosscheck import figure_catalogue
from indicators.models import IndicatorDefinition
from indicators.services import ValueInput, values_save

from .. import policy
from ..models import Bureau, Report, ReportingPeriod, Section
from ..selectors.tree import max_depth
from ..services import ServiceError
from ..services.audit import audit_record
from ..services.editing import report_size_check, signed_on_problem
from ..services.reports import report_create, skeleton_for
from ..text import clean_text
from .body import date_value
from .outline import parse_text
from .structure import Figure, OutlineDocument, OutlineSection, ParseResult


@dataclass
class ImportSelection:
    """What the user kept. `sections`: paths ("0", "0.2") of kept sections, `figures`: indexes of
    kept figures in the document's list; None keeps everything. An unticked section drops its
    sub-sections and its figures too. "p" is the lead (the paragraphs before 一、)."""

    sections: set[str] | None = None
    figures: set[int] | None = None
    # Sections the preview did not show (a very long text) are kept whole: "0.3:12" keeps the
    # children of 0.3 from the 13th on, ":40" the top sections from the 41st on.
    rest: set[str] = field(default_factory=set)
    figures_from: int | None = None  # figures from this index on were not shown: kept

    def keeps_section(self, path: tuple[int, ...] | None) -> bool:
        if self.sections is None:
            return True
        if path is None:
            return "p" in self.sections
        for i in range(len(path)):
            parent = path_key(path[:i]) if i else ""
            if any(
                path[i] >= int(n) for p, _c, n in (r.partition(":") for r in self.rest) if p == parent and n.isdigit()
            ):
                return True
            if path_key(path[: i + 1]) not in self.sections:
                return False
        return True

    def keeps_figure(self, index: int, figure: Figure) -> bool:
        shown = self.figures is None or index in self.figures
        hidden = self.figures_from is not None and index >= self.figures_from
        return (shown or hidden) and self.keeps_section(figure.section)


@dataclass
class ImportResult:
    report: Report
    created: bool
    sections: int
    values: dict[str, str] = field(default_factory=dict)  # slug -> value saved
    warnings: list[str] = field(default_factory=list)  # translated


def path_key(path: tuple[int, ...] | None) -> str:
    return "p" if path is None else ".".join(str(i) for i in path)


_PARSED: dict[tuple, ParseResult] = {}


def text_parse(*, text: str, simplify: bool = True) -> ParseResult:
    """Parse report text against the current indicator catalogue; traditional characters are
    converted to simplified only with `simplify`. The last few results are kept in the process
    (by the text, the choice and the catalogue), so that the preview's tabs and the confirm of a
    long text do not parse it again. Headings deeper than the section tree allows stay text in the
    section above them. Callers must not change the result."""
    text = clean_text(text)  # the same door rule as the editor: no control characters, \n newlines
    catalogue = tuple(figure_catalogue())
    depth = max_depth()
    key = (hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest(), simplify, hash(catalogue), depth)
    if key not in _PARSED:
        while len(_PARSED) >= 4:
            _PARSED.pop(next(iter(_PARSED)))
        _PARSED[key] = parse_text(text, catalogue, simplify=simplify, max_depth=depth)
    return _PARSED[key]


def _check_lengths(*, document: OutlineDocument, keep) -> None:
    """Every part that will be saved fits REPORT_SECTION_MAX_CHARS (one section's text)."""
    limit = settings.REPORT_SECTION_MAX_CHARS
    parts = [(_("the lead"), document.lead)] if keep(None) else []
    parts += [(f"{s.number}{s.heading}"[:40], s.paragraphs) for path, s in document.walk() if keep(path)]
    for name, paragraphs in parts:
        count = len("\n".join(paragraphs))
        if count > limit:
            raise ServiceError(
                _("“%(part)s” has %(count)s characters; one part may have at most %(limit)s. Split it and try again.")
                % {"part": name, "count": count, "limit": limit}
            )


def chosen_values(
    *, document: OutlineDocument, selection: ImportSelection, definitions: dict[str, IndicatorDefinition]
) -> list[ValueInput]:
    """One value per indicator: of the kept figures that name it (and convert to its unit), the
    one whose words name it most exactly ("总投资" over "投资"), the first of equals."""
    best: dict[str, tuple[int, ValueInput]] = {}
    for index, figure in enumerate(document.figures):
        definition = definitions.get(figure.indicator or "")
        if definition is None or not selection.keeps_figure(index, figure):
            continue
        value = figure.value_in(definition.unit)
        if value is not None and (figure.indicator not in best or figure.strength > best[figure.indicator][0]):
            best[figure.indicator] = (figure.strength, ValueInput(definition=definition, value=value))
    return [row for _strength, row in best.values()]


Item = tuple[tuple[int, ...] | None, OutlineSection]  # (path in the document or None: added, section)


def fit_skeleton(*, items: list[Item], skeleton: list[tuple[str, str]]) -> list[Item]:
    """The imported top sections with an empty section added for each required part of the
    skeleton (kind, heading) that the text lacks, in the skeleton's order, so that the part stays
    in the report (and the submit checks ask for it) instead of vanishing."""
    order = {kind: i for i, (kind, _heading) in enumerate(skeleton)}
    present = {s.kind for _path, s in items}
    out = list(items)
    for kind, heading in skeleton:
        if kind in present:
            continue
        at = next((i for i, (_p, s) in enumerate(out) if order.get(s.kind, -1) > order[kind]), len(out))
        out.insert(at, (None, OutlineSection(number="", heading=heading, kind=kind)))
    return out


def _write_sections(
    *, report: Report, items: list[Item], parent: Section | None, user, keep, required: set[str]
) -> int:
    count = 0
    for position, (path, outline) in enumerate(items, start=1):
        section = Section.objects.create(
            report=report,
            parent=parent,
            position=position,
            kind=outline.kind,
            heading=outline.heading[:300],
            body="\n".join(outline.paragraphs),
            required=parent is None and outline.kind in required,
            updated_by=user,
        )
        children = _kept([(path + (j,), child) for j, child in enumerate(outline.children)] if path else [], keep)
        count += 1 + _write_sections(
            report=report, items=children, parent=section, user=user, keep=keep, required=required
        )
    return count


def _kept(items: list[Item], keep) -> list[Item]:
    return [(path, s) for path, s in items if path is None or keep(path)]


def _signed_on(*, report: Report, document: OutlineDocument) -> tuple[datetime.date | None, list[str]]:
    """The signing date the text's signature gives, when the editor would accept it; else a warning
    saying why it was not kept (the report then keeps the date it had, or takes the approval date)."""
    found = date_value(document.signature[-1]) if document.signature else None
    problem = found and signed_on_problem(report=report, signed_on=found)
    if problem:
        return None, [
            _("The signing date in the text (%(date)s) was not kept: %(why)s")
            % {"date": document.signature[-1], "why": problem}
        ]
    return found, []


@transaction.atomic
def report_import(
    *,
    bureau: Bureau,
    period: ReportingPeriod,
    outline_document: OutlineDocument,
    acting_user,
    selected: ImportSelection | None = None,
    replace_title: bool = False,
) -> ImportResult:
    """Save one parsed document as the bureau's report for the period: create the report if there
    is none, or replace every section and the lead of the existing one while it is still being
    written (draft or returned); write the values of the kept figures that name an indicator. The
    document's title replaces the report's only with `replace_title` (the clerk's choice). Top
    sections keep the kinds found; a required part of the skeleton the text lacks is added empty.
    All or nothing."""
    selection = selected or ImportSelection()
    if not any(selection.keeps_section(path) for path, _section in outline_document.walk()) and not (
        outline_document.lead and selection.keeps_section(None)
    ):
        raise ServiceError(_("Nothing to import: keep at least one section."))
    _check_lengths(document=outline_document, keep=selection.keeps_section)
    title = (outline_document.title or "")[:200] if replace_title else ""
    report = Report.objects.select_for_update().filter(bureau=bureau, period=period).first()
    created = report is None
    if report is None:
        # Past periods are usually closed: importing last years' reports is the point, so only the
        # bureau membership is checked here, not whether the period is open.
        if not policy.can_start(acting_user, bureau):
            raise ServiceError(_("You may only start reports for your own bureau."))
        report = report_create(
            bureau=bureau,
            period=period,
            acting_user=acting_user,
            check_permission=False,
            title=title or None,
        )
    elif not report.is_editable:
        raise ServiceError(
            _("The report is %(state)s: only a draft can be replaced by an imported text.")
            % {"state": report.get_state_display()}
        )
    elif not policy.can(acting_user, "import", report):
        raise ServiceError(_("You may not import text into this report."))
    elif title:
        report.title = title
    report.lead = "\n".join(outline_document.lead) if selection.keeps_section(None) else ""
    signed_on, date_refused = _signed_on(report=report, document=outline_document)
    report.signed_on = signed_on or report.signed_on
    report.save(update_fields=["title", "lead", "signed_on", "updated_at"])

    Section.objects.filter(report=report).delete()
    tops = [item for item in skeleton_for(period=report.period) if item.parent_id is None]
    required = {item.kind for item in tops if item.required}
    items = _kept([((i,), s) for i, s in enumerate(outline_document.sections)], selection.keeps_section)
    items = fit_skeleton(items=items, skeleton=[(t.kind, t.heading) for t in tops if t.required])
    added = [s.kind for path, s in items if path is None]
    kept = [s for path, s in outline_document.walk() if selection.keeps_section(path)]
    report_size_check(  # the per-report limits of the editor (sections, characters) hold here too
        report=report, new_sections=len(kept) + len(added), new_chars=sum(len("\n".join(s.paragraphs)) for s in kept)
    )
    count = _write_sections(
        report=report, items=items, parent=None, user=acting_user, keep=selection.keeps_section, required=required
    )
    definitions = {d.slug: d for d in IndicatorDefinition.objects.all()}
    rows = chosen_values(document=outline_document, selection=selection, definitions=definitions)
    saved = values_save(report=report, acting_user=acting_user, rows=rows) if rows else None
    audit_record(
        actor=acting_user,
        action="import_text",
        report=report,
        created=created,
        sections=count,
        values=[r.definition.slug for r in rows],
        title_replaced=bool(title),
        parts_added=added,
        signed_on=signed_on,
    )
    return ImportResult(
        report=report,
        created=created,
        sections=count,
        values={r.definition.slug: str(r.value) for r in rows},
        warnings=[*date_refused, *(saved.warnings if saved else [])],
    )
