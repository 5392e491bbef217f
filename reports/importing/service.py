"""Saving a parsed document as a bureau's report: sections and the indicator values of its figures,
all in one transaction."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from indicators.crosscheck import figure_catalogue
from indicators.models import IndicatorDefinition
from indicators.services import ValueInput, values_save

from .. import policy
from ..models import Bureau, Report, ReportingPeriod, Section
from ..services import ServiceError
from ..services.audit import audit_record
from ..services.reports import report_create
from .figures import Figure
from .outline import OutlineDocument, OutlineSection, ParseResult, parse_text

PREAMBLE_HEADING = "前言"  # report content is Chinese; the introduction before the first heading


@dataclass
class ImportSelection:
    """What the user kept. `sections`: paths ("0", "0.2") of kept sections, `figures`: indexes of
    kept figures in the document's list; None keeps everything. An unticked section drops its
    sub-sections and its figures too. "p" is the introduction."""

    sections: set[str] | None = None
    figures: set[int] | None = None

    def keeps_section(self, path: tuple[int, ...] | None) -> bool:
        if self.sections is None:
            return True
        if path is None:
            return "p" in self.sections
        return all(path_key(path[: i + 1]) in self.sections for i in range(len(path)))

    def keeps_figure(self, index: int, figure: Figure) -> bool:
        return (self.figures is None or index in self.figures) and self.keeps_section(figure.section)


@dataclass
class ImportResult:
    report: Report
    created: bool
    sections: int
    values: dict[str, str] = field(default_factory=dict)  # slug -> value saved
    warnings: list[str] = field(default_factory=list)  # translated


def path_key(path: tuple[int, ...] | None) -> str:
    return "p" if path is None else ".".join(str(i) for i in path)


def text_parse(*, text: str) -> ParseResult:
    """Parse report text against the current indicator catalogue."""
    return parse_text(text, figure_catalogue())


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


def _write_sections(
    *, report: Report, sections: list[OutlineSection], parent: Section | None, prefix: tuple[int, ...], user, keep
) -> int:
    count = 0
    position = 0
    for i, outline in enumerate(sections):
        path = prefix + (i,)
        if not keep(path):
            continue
        position += 1
        section = Section.objects.create(
            report=report,
            parent=parent,
            position=position,
            kind=outline.kind,
            heading=outline.heading[:300],
            body="\n".join(outline.paragraphs),
            updated_by=user,
        )
        count += 1 + _write_sections(
            report=report, sections=outline.children, parent=section, prefix=path, user=user, keep=keep
        )
    return count


@transaction.atomic
def report_import(
    *,
    bureau: Bureau,
    period: ReportingPeriod,
    outline_document: OutlineDocument,
    acting_user,
    selected: ImportSelection | None = None,
) -> ImportResult:
    """Save one parsed document as the bureau's report for the period: create the report if there
    is none, or replace every section of the existing one while it is still being written (draft or
    returned); write the values of the kept figures that name an indicator. All or nothing."""
    selection = selected or ImportSelection()
    if not any(selection.keeps_section(path) for path, _section in outline_document.walk()) and not (
        outline_document.preamble and selection.keeps_section(None)
    ):
        raise ServiceError(_("Nothing to import: keep at least one section."))
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
            title=(outline_document.title or "")[:200] or None,
        )
    elif not report.is_editable:
        raise ServiceError(
            _("The report is %(state)s: only a draft can be replaced by an imported text.")
            % {"state": report.get_state_display()}
        )
    elif not policy.can(acting_user, "import", report):
        raise ServiceError(_("You may not import text into this report."))
    elif outline_document.title:
        report.title = outline_document.title[:200]
        report.save(update_fields=["title", "updated_at"])

    Section.objects.filter(report=report).delete()
    count = 0
    if outline_document.preamble and selection.keeps_section(None):
        Section.objects.create(
            report=report,
            position=0,
            kind=Section.Kind.OTHER,
            heading=PREAMBLE_HEADING,
            body="\n".join(outline_document.preamble),
            updated_by=acting_user,
        )
        count += 1
    count += _write_sections(
        report=report,
        sections=outline_document.sections,
        parent=None,
        prefix=(),
        user=acting_user,
        keep=selection.keeps_section,
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
    )
    return ImportResult(
        report=report,
        created=created,
        sections=count,
        values={r.definition.slug: str(r.value) for r in rows},
        warnings=saved.warnings if saved else [],
    )
