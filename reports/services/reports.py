"""Starting a report from the standard skeleton."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .. import policy
from ..models import Bureau, Report, ReportingPeriod, Section, SkeletonSection
from ..periods import report_title
from ..selectors.reports import plan_items, previous_report
from . import ServiceError


def default_title(*, bureau: Bureau, period: ReportingPeriod) -> str:
    return report_title(bureau_name=bureau.name, year=period.year, kind=period.kind)


def skeleton_for(*, period: ReportingPeriod) -> list[SkeletonSection]:
    return list(SkeletonSection.objects.filter(period_kind=period.kind).order_by("position", "pk"))


@transaction.atomic
def report_create(
    *,
    bureau: Bureau,
    period: ReportingPeriod,
    acting_user,
    carry_over_plan: bool = False,
    check_permission: bool = True,
    title: str | None = None,
) -> Report:
    """Start the bureau's report for the period from the skeleton of the period's kind. With
    `carry_over_plan`, the previous period's plan items become this period's work-done headings."""
    if check_permission and not policy.can_start(acting_user, bureau):
        raise ServiceError(_("You may only start reports for your own bureau."))
    if check_permission and not period.is_open:
        raise ServiceError(policy.closed_period_refusal(period))
    try:
        with transaction.atomic():
            report = Report.objects.create(
                bureau=bureau,
                period=period,
                title=title or default_title(bureau=bureau, period=period),
                created_by=acting_user,
            )
    except IntegrityError:
        raise ServiceError(_("This bureau already has a report for this period.")) from None

    carried = plan_items(report=prev) if carry_over_plan and (prev := previous_report(report=report)) else []
    skeleton = skeleton_for(period=period)
    made: dict[int, Section] = {}
    for item in sorted(skeleton, key=lambda s: (s.parent_id is not None, s.position)):
        parent = made.get(item.parent_id) if item.parent_id else None
        made[item.pk] = Section.objects.create(
            report=report,
            parent=parent,
            position=item.position,
            kind=item.kind,
            heading=item.heading,
            required=item.required,
            updated_by=acting_user,
        )
    if carried:
        work_root = next((s for s in made.values() if s.parent_id is None and s.kind == Section.Kind.WORK_DONE), None)
        if work_root is not None:
            Section.objects.bulk_create(
                [
                    Section(report=report, parent=work_root, position=i, kind=Section.Kind.WORK_DONE, heading=h)
                    for i, h in enumerate(carried, start=1)
                ]
            )
    return report
