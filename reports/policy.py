"""The one permission policy: who may see and do what.

Why one file of ~450 lines: the point of the policy is that every rule sits beside the others it
must agree with (reports, figures, consolidation, accounts, set-up), so it is read as one page.

The same rules answer "may this user do ACTION to this report?" (`can` / `require`) and "which reports
may this user see?" (`visible_reports_q`), so list views, detail checks, templates and the admin agree.

Rules
- staff of bureau B: sees every report of B; edits and submits it while it is a draft or returned.
- reviewer of bureau P: sees the reports of the bureaus directly under P once they left draft, and
  approved reports anywhere below P; returns or approves submitted reports of P's direct children;
  reopens their approved reports (with a reason). In which states each step may be taken is the
  workflow table's (reports/workflow.py).
- four eyes: whoever submitted a version, or edited it after its last return, neither returns nor
  approves it, even when they are also a reviewer of the parent bureau (`four_eyes_refusal`).
- admin of bureau A: sees every report in A's subtree (support and oversight); changes nothing by
  that role alone.
- superuser: sees everything; content rules (approved means locked) still hold.
- figures (indicator values, for roll-ups, trends and exports) are visible by bureau, not by person:
  anyone with a role at bureau B (staff, reviewer or administrator) may look at the figures of B and
  every bureau under it, and reads the same submitted and approved reports there, so the clerk and
  the reviewer of one bureau see the same roll-up, trends and export (`figure_bureaus_q`,
  `figures_visible_q`). A draft is nobody's figure, not even its own clerk's.
Nobody edits an approved report, whoever they are.
- closed periods (issue 16): nobody starts, edits, imports into or submits a report of a closed
  period through the site; the refusal says so (`require_open` raises a `Refusal`, shown on the
  403 page). Closing a period for everyone is
  for superusers and reviewers at the top level (`can_close_periods`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils.translation import gettext as _

from . import workflow
from .models import AuditEvent, Bureau, Membership, Report, Transition

ACTIONS = ("view", "edit", "submit", "review", "reopen", "export", "import")
CHANGING = ("edit", "import", "submit")  # refused in a closed period


class Refusal(PermissionDenied):
    """A refusal whose message is for the user (translated): the 403 page shows it."""

    for_user = True


@dataclass(frozen=True)
class Roles:
    staff: frozenset[int]  # bureau ids
    reviewer: frozenset[int]
    admin: frozenset[int]
    admin_paths: tuple[str, ...]
    reviewer_paths: tuple[str, ...]


def roles_of(user) -> Roles:
    """The user's memberships, fetched once per user object (one query per request)."""
    cached = getattr(user, "_hr_roles", None)
    if cached is not None:
        return cached
    staff: set[int] = set()
    reviewer: set[int] = set()
    admin: set[int] = set()
    admin_paths: list[str] = []
    reviewer_paths: list[str] = []
    if user is not None and user.is_authenticated and user.is_active:
        for bureau_id, role, path in Membership.objects.filter(user=user).values_list(
            "bureau_id", "role", "bureau__path"
        ):
            if role == Membership.Role.STAFF:
                staff.add(bureau_id)
            elif role == Membership.Role.REVIEWER:
                reviewer.add(bureau_id)
                reviewer_paths.append(path)
            elif role == Membership.Role.ADMIN:
                admin.add(bureau_id)
                admin_paths.append(path)
    roles = Roles(frozenset(staff), frozenset(reviewer), frozenset(admin), tuple(admin_paths), tuple(reviewer_paths))
    if user is not None:
        user._hr_roles = roles
    return roles


def _is_superuser(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_superuser)


def visible_reports_q(user) -> Q:
    """A filter for Report querysets: the reports this user may see."""
    if _is_superuser(user):
        return Q()
    roles = roles_of(user)
    q = Q(pk__in=[])
    if roles.staff:
        q |= Q(bureau_id__in=roles.staff)
    if roles.reviewer:
        q |= Q(bureau__parent_id__in=roles.reviewer) & ~Q(state=Report.State.DRAFT)
    for path in roles.reviewer_paths:
        # strictly below the reviewer's bureau, as in can_view (lists and detail pages must agree)
        q |= Q(bureau__path__startswith=path, state=Report.State.APPROVED) & ~Q(bureau__path=path)
    for path in roles.admin_paths:
        q |= Q(bureau__path__startswith=path)
    return q


def visible_bureaus_q(user) -> Q:
    """Bureaus whose figures and reports this user may look at (own, reviewed subtree, administered)."""
    if _is_superuser(user):
        return Q()
    roles = roles_of(user)
    q = Q(pk__in=list(roles.staff))
    for path in roles.reviewer_paths + roles.admin_paths:
        q |= Q(path__startswith=path)
    return q


def _is_admin_over(roles: Roles, bureau: Bureau) -> bool:
    return any(bureau.path.startswith(p) for p in roles.admin_paths)


def can_view(user, report: Report) -> bool:
    if _is_superuser(user):
        return True
    roles = roles_of(user)
    bureau = report.bureau
    if bureau.pk in roles.staff or _is_admin_over(roles, bureau):
        return True
    if bureau.parent_id in roles.reviewer and report.state != Report.State.DRAFT:
        return True
    return report.state == Report.State.APPROVED and any(
        bureau.path.startswith(p) and bureau.path != p for p in roles.reviewer_paths
    )


def can_start(user, bureau: Bureau) -> bool:
    """May this user start (create) a report for this bureau?"""
    return bureau.pk in roles_of(user).staff


def can_review_bureau(user, bureau: Bureau) -> bool:
    return bureau.parent_id is not None and bureau.parent_id in roles_of(user).reviewer


def batch_export_bureaus_q(user) -> Q:
    """Bureaus for which this user may download all approved reports underneath as one ZIP: the
    bureaus they review (superusers: any bureau)."""
    if _is_superuser(user):
        return Q()
    return Q(pk__in=list(roles_of(user).reviewer))


def can_batch_export(user, bureau: Bureau) -> bool:
    return _is_superuser(user) or bureau.pk in roles_of(user).reviewer


def can(user, action: str, report: Report) -> bool:
    """Single entry point for per-report decisions. `action` is one of ACTIONS."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if not can_view(user, report):
        return False
    roles = roles_of(user)
    is_staff = report.bureau_id in roles.staff
    if action in ("view", "export"):
        return True
    if action in ("edit", "import"):
        return is_staff and report.state in Report.EDITABLE_STATES
    if action == "submit":
        return is_staff and report.state in workflow.action_states("submit")
    if action in ("review", "reopen"):
        return (
            can_review_bureau(user, report.bureau)
            and report.state in workflow.action_states(action)
            and not four_eyes_refusal(user, action, report)
        )
    raise ValueError(f"no rule for action {action!r}")


# Audit actions that do not make someone an author of the version: reading and exporting, and the
# reviewer's own steps.
_NOT_AUTHORING = tuple(s.name for s in workflow.STEPS.values() if s.action != "submit")


def authors(report: Report) -> frozenset[int]:
    """Ids of the users who submitted the report's current version or changed its content after its
    last return (everyone who did, since it was started, if it was never returned). One query."""
    returned_later = Transition.objects.filter(
        report_id=report.pk, to_state=Report.State.RETURNED, created_at__gt=OuterRef("created_at")
    )
    return frozenset(
        AuditEvent.objects.filter(report_id=report.pk, actor__isnull=False)
        .exclude(action__startswith="export")
        .exclude(action__in=_NOT_AUTHORING)
        .exclude(Exists(returned_later))
        .values_list("actor_id", flat=True)
        .distinct()
    )


def four_eyes_refusal(user, action: str, report: Report) -> str:
    """Why `user`, whose role would let them return or approve `report`, may not: they submitted
    this version or edited it since its last return. Empty when there is no such conflict."""
    if (
        action != "review"
        or report.state not in workflow.action_states(action)
        or not can_review_bureau(user, report.bureau)
        or user.pk not in authors(report)
    ):
        return ""
    return _("You submitted or edited this version yourself: another reviewer must return or approve it.")


def require(user, action: str, report: Report) -> None:
    """Raise PermissionDenied unless `can(user, action, report)`."""
    if not can(user, action, report):
        raise PermissionDenied(f"{action} not allowed on report {report.pk}")


def access_report(user, pk: int, action: str) -> Report:
    """The report `pk` for a view that does `action` to it: Http404 when it does not exist or the user
    may not see it (ids of other bureaus give nothing away), PermissionDenied when they see it but may
    not do `action`. Every view that takes a report id fetches it here."""
    report = Report.objects.select_related("bureau__parent", "period").filter(pk=pk).first()
    if report is None or not can_view(user, report):
        raise Http404("no such report")
    if action in CHANGING:
        require_open(report.period)
    require(user, action, report)
    return report


def allowed_actions(user, report: Report) -> dict[str, bool]:
    """For templates: which buttons to show."""
    return {action: can(user, action, report) for action in ACTIONS}


FIGURE_STATES = (Report.State.SUBMITTED, Report.State.APPROVED)


def _role_paths(user) -> tuple[str, ...]:
    """Paths of the bureaus where the user holds any role (one query per user object)."""
    cached = getattr(user, "_hr_role_paths", None)
    if cached is not None:
        return cached
    roles = roles_of(user)
    ids = roles.staff | roles.reviewer | roles.admin
    paths = tuple(Bureau.objects.filter(pk__in=ids).values_list("path", flat=True)) if ids else ()
    if user is not None:
        user._hr_role_paths = paths
    return paths


def figures_visible_q(user) -> Q:
    """A filter for Report querysets: the reports whose indicator figures this user may read and
    aggregate — submitted or approved reports anywhere under a bureau where they hold a role (any
    role), the same for everyone with a role there. Drafts and returned reports are nobody's figures.
    (Which of the two states count is the caller's: indicators/rollup.py `counted_states`.)"""
    if _is_superuser(user):
        return Q(state__in=FIGURE_STATES)
    q = Q(pk__in=[])
    for path in _role_paths(user):
        q |= Q(bureau__path__startswith=path, state__in=FIGURE_STATES)
    return q


def figure_bureaus_q(user) -> Q:
    """A filter for Bureau querysets: the bureaus whose roll-up, trends and export this user may look
    at — every bureau where they hold a role, and everything under it."""
    if _is_superuser(user):
        return Q()
    q = Q(pk__in=[])
    for path in _role_paths(user):
        q |= Q(path__startswith=path)
    return q


def closed_period_refusal(period) -> str:
    return _(
        "The reporting period %(period)s is closed: its reports can no longer be started, changed or submitted."
    ) % {"period": period.label}


def require_open(period) -> None:
    """Refuse (Refusal, with the reason for the user) to change anything in a closed period: every
    page that edits, imports or submits (access_report), and the editing and submit services. The
    command-line import of past years' reports (import_text) is the one deliberate exception."""
    if not period.is_open:
        raise Refusal(closed_period_refusal(period))


def can_close_periods(user) -> bool:
    """Superusers and the reviewers of a top-level bureau (a province) close periods for everyone."""
    if _is_superuser(user):
        return True
    roles = roles_of(user)
    return any(path.count("/") == 1 for path in roles.reviewer_paths)


def reviewed_bureaus_q(user) -> Q:
    """Bureaus whose reports this user reviews: those directly under a bureau they are reviewer of."""
    roles = roles_of(user)
    return Q(parent_id__in=list(roles.reviewer)) if roles.reviewer else Q(pk__in=[])


def is_reviewer(user) -> bool:
    """Does the user review any bureau (for the navigation and the overview)?"""
    return bool(roles_of(user).reviewer)


# ----- consolidation (issue 17) ----------------------------------------------------------------------
# A parent bureau writes its own report from its children's: its clerks open the consolidation
# workspace of its report and take passages over while the report is editable; its reviewers (who
# review those children) read the workspace. The children's text a parent's clerk may read is that of
# the submitted and approved reports of the bureaus directly under their bureau — the same reports
# whose figures they roll up — besides everything `visible_reports_q` already shows them.


def texts_readable_q(user) -> Q:
    """A filter for Report querysets: the reports whose text this user may read and search."""
    if _is_superuser(user):
        return Q()
    staff = roles_of(user).staff
    q = visible_reports_q(user)
    if staff:
        q |= Q(bureau__parent_id__in=staff, state__in=FIGURE_STATES)
    return q


def can_read_consolidation(user, report: Report) -> bool:
    """May this user open the consolidation workspace of `report` (its bureau's clerks and reviewers)?"""
    if _is_superuser(user):
        return True
    roles = roles_of(user)
    return report.bureau_id in roles.staff or report.bureau_id in roles.reviewer


def can_consolidate(user, report: Report) -> bool:
    """May this user take passages over into `report`? Its clerks, while it is editable."""
    return can(user, "edit", report)


def access_consolidation(user, pk: int, *, act: bool) -> Report:
    """The report `pk` for its consolidation workspace: Http404 for those who may neither see the
    report nor read its workspace, PermissionDenied when they may read but not act (`act`)."""
    report = Report.objects.select_related("bureau__parent", "period").filter(pk=pk).first()
    reads = report is not None and can_read_consolidation(user, report)
    if report is None or (not reads and not can_view(user, report)):
        raise Http404("no such report")
    if not (can_consolidate(user, report) if act else reads):
        raise PermissionDenied(f"consolidation not allowed on report {report.pk}")
    return report


# ----- accounts (issue 18): two-factor, who manages whose account ----------------------------------


def needs_two_factor(user) -> bool:
    """Two-factor log-in (TOTP) is required for reviewers, administrators (bureau administrators,
    the admin's staff and superusers) when TWO_FACTOR_REQUIRED is on; optional for clerks."""
    from django.conf import settings

    if not getattr(settings, "TWO_FACTOR_REQUIRED", True) or user is None or not user.is_authenticated:
        return False
    roles = roles_of(user)
    return bool(user.is_staff or user.is_superuser or roles.reviewer or roles.admin)


# Who looks after whose account: one rule for every change to an account made by someone else
# (issues 18 and 20): resetting the password, lifting a lockout, deactivating and activating,
# giving and taking roles.
# - superuser, security administrator: every account but a superuser's.
# - administrator of bureau A: the accounts holding a role in A's subtree and none outside it (a
#   clerk of two counties is not one county's to reset), not an admin-site account (is_staff: the
#   三员 and other /admin/ users are the security administrator's), not a superuser, and not a
#   fellow administrator of A (peers do not take over each other's accounts; the level above or the
#   security administrator does). Reviewers of the subtree and administrators of bureaus below A are
#   in it: issue 20 gives bureau administrators "add, deactivate, reset password, assign roles" under
#   one policy, and a reset does not let them log in as a reviewer or administrator, who need their
#   second factor.
# - nobody their own account here (they change their own password at /accounts/password/change/).
# Giving a role also needs the bureau to be one the acting user manages (`can_manage_bureau`).


def managed_accounts_q(user) -> Q:
    """A filter for User querysets: the accounts this user looks after (the rule above)."""
    from accounts.roles import SECURITY_ADMIN

    if user is None or not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    others = ~Q(pk=user.pk) & Q(is_superuser=False)
    if user.is_superuser or user.groups.filter(name=SECURITY_ADMIN).exists():
        return others
    paths = roles_of(user).admin_paths
    if not paths:
        return Q(pk__in=[])
    under = Q(pk__in=[])
    for path in paths:
        under |= Q(bureau__path__startswith=path)
    inside = Membership.objects.filter(under).values("user_id")
    outside = Membership.objects.exclude(under).values("user_id")
    peers = Membership.objects.filter(role=Membership.Role.ADMIN, bureau__path__in=paths).values("user_id")
    return others & Q(pk__in=inside, is_staff=False) & ~Q(pk__in=outside) & ~Q(pk__in=peers)


def can_manage_account(user, target) -> bool:
    """May `user` reset the password of `target`, unlock, deactivate them or change their roles?"""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(managed_accounts_q(user), pk=target.pk).exists()


def can_manage_accounts(user) -> bool:
    """Does the user see the accounts page at all (a bureau administrator, the security administrator)?"""
    from accounts.roles import SECURITY_ADMIN

    if user is None or not user.is_authenticated:
        return False
    return bool(user.is_superuser or roles_of(user).admin or user.groups.filter(name=SECURITY_ADMIN).exists())


# Setting up: the period calendar is one for the whole portal; users are added bureau by bureau.
# - superuser: sets up a year (creates its periods, closes the old ones) and adds users anywhere.
# - admin of bureau A: adds users to A's subtree and gives roles there; whose accounts they change
#   is the account rule above. (The security administrator, without bureaus, works in the admin.)


def can_set_up_years(user) -> bool:
    return _is_superuser(user)


def can_manage_users(user) -> bool:
    """The set-up page of users (/setup/users/): for those who add users to bureaus."""
    return _is_superuser(user) or bool(roles_of(user).admin)


def managed_bureaus_q(user) -> Q:
    """A filter for Bureau querysets: the bureaus whose users this user manages."""
    if _is_superuser(user):
        return Q()
    q = Q(pk__in=[])
    for path in roles_of(user).admin_paths:
        q |= Q(path__startswith=path)
    return q


def can_manage_bureau(user, bureau: Bureau) -> bool:
    return _is_superuser(user) or _is_admin_over(roles_of(user), bureau)


def landing_url_name(user) -> str:
    """The page each role uses, for after log-in: set-up for administrators, the review overview for
    reviewers who write no reports, the home page for clerks."""
    roles = roles_of(user)
    if can_set_up_years(user):
        return "year_setup"
    if roles.admin and not roles.staff and not roles.reviewer:
        return "bureau_users"
    if roles.reviewer and not roles.staff:
        return "review_overview"
    return "home"
