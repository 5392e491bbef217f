"""Writing indicator values: one all-or-nothing function used by the grid, Excel upload and import."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from reports import policy
from reports.models import Report
from reports.services import ConflictError, ServiceError
from reports.services.audit import audit_record
from reports.text import clean_text

from .models import IndicatorDefinition, IndicatorValue
from .selectors import rate_without_parts


@dataclass
class ValueInput:
    """One row to save. All of value, numerator, denominator empty and no note means "not reported"
    (the row is removed). `version` is the version the user started from (None: don't check)."""

    definition: IndicatorDefinition
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    note: str = ""
    version: int | None = None


@dataclass
class SaveResult:
    saved: list[IndicatorValue]
    removed: list[str]  # slugs
    warnings: list[str]  # out-of-range values without a note, already translated


def resolve_value(row: ValueInput) -> Decimal | None:
    """The value to store: as typed when typed (check_row has made sure it agrees with its parts),
    else computed from the parts of a rate."""
    d = row.definition
    if row.value is None and d.is_rate and row.numerator is not None and row.denominator:
        return d.compute_rate(row.numerator, row.denominator)
    return row.value


def _agrees(typed: Decimal, exact: Decimal) -> bool:
    """A typed rate agrees with the exact one when it is the exact one rounded to the typed places."""
    places = Decimal(1).scaleb(min(typed.as_tuple().exponent, 0))
    return exact.quantize(places, rounding=ROUND_HALF_UP) == typed


def _plain(number: Decimal | int) -> str:
    return f"{Decimal(number).normalize():f}"


def check_row(row: ValueInput) -> list[str]:
    """Refusals (translated) for one row: a zero denominator, parts given on a non-rate, a typed rate
    that disagrees with its parts, a negative count, amount or rate, a proportion over the whole."""
    d = row.definition
    errors = []
    if row.denominator is not None and row.denominator == 0:
        errors.append(_("%(name)s: the denominator cannot be zero.") % {"name": d.name})
    if (row.numerator is not None or row.denominator is not None) and not d.is_rate:
        errors.append(_("%(name)s is not a rate: give the value only.") % {"name": d.name})
    if d.is_rate and (row.numerator is None) != (row.denominator is None):
        errors.append(_("%(name)s: give both numerator and denominator, or neither.") % {"name": d.name})
    if errors:
        return errors
    numbers = {"name": d.name, "unit": d.unit}
    parts = d.is_rate and row.numerator is not None and row.denominator is not None
    if parts:
        numbers.update(num=_plain(row.numerator), den=_plain(row.denominator))
    if parts and row.value is not None:
        exact = row.numerator / row.denominator * d.multiplier
        if not _agrees(row.value, exact):
            computed = _plain(d.compute_rate(row.numerator, row.denominator))
            errors.append(
                _(
                    "%(name)s: the value %(typed)s does not agree with its parts: %(num)s / %(den)s gives "
                    "%(computed)s. Correct the value or the parts, or leave the value empty to have it computed."
                )
                % {**numbers, "typed": _plain(row.value), "computed": computed}
            )
    given = [n for n in (row.value, row.numerator, row.denominator) if n is not None]
    if (d.is_summable or d.is_rate) and any(n < 0 for n in given):
        errors.append(_("%(name)s cannot be negative.") % numbers)
    if d.is_proportion and parts and row.numerator > row.denominator:
        errors.append(
            _("%(name)s is a part of a whole: the numerator (%(num)s) cannot exceed the denominator (%(den)s).")
            % numbers
        )
    elif d.is_proportion and row.value is not None and row.value > d.multiplier:
        errors.append(
            _("%(name)s is a part of a whole: it cannot exceed %(max)s %(unit)s, and %(value)s was given.")
            % {**numbers, "max": _plain(d.multiplier), "value": _plain(row.value)}
        )
    return errors


@transaction.atomic
def values_save(*, report: Report, acting_user, rows: Sequence[ValueInput]) -> SaveResult:
    """Save several values of one report at once. Checks permission under a row lock on the report
    (so a submit cannot slip in between), refuses stale versions, and writes all rows or none."""
    report = Report.objects.select_for_update().select_related("bureau").get(pk=report.pk)
    policy.require(acting_user, "edit", report)
    errors = [e for row in rows for e in check_row(row)]
    if errors:
        raise ServiceError(" ".join(errors))
    existing = {
        v.definition_id: v
        for v in IndicatorValue.objects.select_for_update().filter(
            report=report, definition__in=[r.definition for r in rows]
        )
    }
    saved, removed, warnings = [], [], []
    for row in rows:
        current = existing.get(row.definition.pk)
        if row.version is not None and current is not None and current.version != row.version:
            raise ConflictError(
                _("%(name)s was changed by someone else meanwhile; their value is %(value)s.")
                % {"name": row.definition.name, "value": current.value if current.value is not None else "—"},
                current=current,
            )
        if row.version is not None and current is None and row.version > 0:
            raise ConflictError(
                _("%(name)s was cleared by someone else meanwhile.") % {"name": row.definition.name}, current=None
            )
        value, note = resolve_value(row), clean_text(row.note).strip()
        empty = value is None and row.numerator is None and row.denominator is None and not note
        if empty:
            if current is not None:
                current.delete()
                removed.append(row.definition.slug)
            continue
        if current is None:
            current = IndicatorValue(report=report, definition=row.definition, version=0)
        changed = (current.value, current.numerator, current.denominator, current.note) != (
            value,
            row.numerator,
            row.denominator,
            note,
        )
        if changed or current.pk is None:
            current.value, current.numerator, current.denominator = value, row.numerator, row.denominator
            current.note = note
            current.version += 1
            current.updated_by = acting_user
            current.save()
        if warning := rate_without_parts(current):
            warnings.append(warning)
        if row.definition.out_of_range(value) and not current.note:
            warnings.append(
                _("%(name)s = %(value)s is outside the usual range; please add a note.")
                % {"name": row.definition.name, "value": value}
            )
        saved.append(current)
    audit_record(
        actor=acting_user,
        action="values_save",
        report=report,
        saved=[v.definition.slug for v in saved],
        removed=removed,
    )
    return SaveResult(saved=saved, removed=removed, warnings=warnings)


@transaction.atomic
def rollup_pull(*, report: Report, acting_user, overwrite: bool = False) -> SaveResult:
    """Fill a parent bureau's report with the roll-up of its children as starting values. Only
    indicators without a value are filled unless `overwrite`; everything goes through values_save
    (policy, lock, all-or-nothing) and is audited."""
    from reports.services.audit import audit_record

    from .rollup import rollup_compute

    report = Report.objects.select_for_update().select_related("bureau", "period").get(pk=report.pk)
    policy.require(acting_user, "edit", report)
    rollup = rollup_compute(user=acting_user, bureau=report.bureau, period=report.period)
    filled = set(
        IndicatorValue.objects.filter(report=report)
        .exclude(value__isnull=True, numerator__isnull=True, denominator__isnull=True)
        .values_list("definition_id", flat=True)
    )
    rows = []
    for row in rollup.rows:
        if row.value is None or (row.definition.pk in filled and not overwrite):
            continue
        if row.method == "rate":
            rows.append(ValueInput(definition=row.definition, numerator=row.numerator, denominator=row.denominator))
        else:
            rows.append(ValueInput(definition=row.definition, value=row.value))
    result = values_save(report=report, acting_user=acting_user, rows=rows)
    audit_record(
        actor=acting_user,
        action="rollup_pull",
        report=report,
        filled=[r.definition.slug for r in rows],
        overwrite=overwrite,
        children=len(rollup.reports),
    )
    return result


@transaction.atomic
def values_import(*, report: Report, acting_user, rows: Sequence[ValueInput], filename: str = "") -> SaveResult:
    """Save the confirmed rows of an uploaded spreadsheet: all or nothing, audited."""
    from reports.services.audit import audit_record

    result = values_save(report=report, acting_user=acting_user, rows=rows)
    audit_record(
        actor=acting_user,
        action="values_import",
        report=report,
        filename=filename,
        saved=len(result.saved),
        removed=result.removed,
    )
    return result
