"""The permission matrix: every route × every seed_demo persona (and anonymous) × a report of their
own bureau, its parent, a child, a grandchild, a sibling and another province, in every state.

The expectations come from `may()` below, written from the rules in the issues — NOT from
reports/policy.py — so a policy bug shows up as a mismatch. `test_policy_agrees_with_the_rules`
checks the policy itself today; the HTTP matrix checks every view.

When a placeholder view lands, flip its row to `built=True` (and adjust the expected codes if
the view answers differently, e.g. 405 for POST-only). A new route without a row fails
`test_every_route_has_a_row`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import pytest
from django.test import Client
from django.urls import reverse

from reports import policy
from reports.demo import BUREAUS, personas
from reports.models import Bureau, Report, ReportingPeriod

from .routes import all_routes

STATES = [Report.State.DRAFT, Report.State.SUBMITTED, Report.State.RETURNED, Report.State.APPROVED]
EDITABLE = {Report.State.DRAFT, Report.State.RETURNED}

# ----- the bureau tree, read from the demo table (not from the database) ------------------------

PARENT = {code: parent for code, _n, _s, _l, parent, _stem in BUREAUS}
CHILDREN: dict[str, list[str]] = {}
for _code, _parent in PARENT.items():
    if _parent:
        CHILDREN.setdefault(_parent, []).append(_code)


def ancestors(code: str) -> list[str]:
    out, cur = [], PARENT[code]
    while cur:
        out.append(cur)
        cur = PARENT[cur]
    return out


def province_of(code: str) -> str:
    return ([code, *ancestors(code)])[-1]


# ----- who ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Who:
    username: str | None  # None: anonymous
    role: str = ""  # staff / reviewer / admin
    bureau: str = ""
    superuser: bool = False

    @property
    def anonymous(self) -> bool:
        return self.username is None


ANONYMOUS = Who(None)
WHO = [Who(p.username, p.role, p.bureau_code, superuser=p.role == "admin") for p in personas()] + [ANONYMOUS]


# ----- the rules, as the issues state them -------------------------------------------------------


def may(who: Who, action: str, bureau: str, state: str) -> bool:
    """May `who` do `action` to a report of `bureau` in `state`? (view, export, edit, submit,
    import, review, reopen)."""
    if who.anonymous:
        return False
    parent = PARENT[bureau]
    # Seeing: own bureau; an administrator's subtree; a reviewer's direct children once out of
    # draft and anything approved below them; a superuser sees all.
    sees = (
        who.superuser
        or (who.role == "staff" and who.bureau == bureau)
        or (who.role == "admin" and (who.bureau == bureau or who.bureau in ancestors(bureau)))
        or (who.role == "reviewer" and parent == who.bureau and state != Report.State.DRAFT)
        or (who.role == "reviewer" and who.bureau in ancestors(bureau) and state == Report.State.APPROVED)
    )
    if action in ("view", "export"):
        return sees
    if action in ("edit", "submit", "import"):
        # Only the bureau's own clerks, only while draft or returned; nobody edits approved.
        return who.role == "staff" and who.bureau == bureau and state in EDITABLE
    if action == "review":
        return who.role == "reviewer" and parent == who.bureau and state == Report.State.SUBMITTED
    if action == "reopen":
        return who.role == "reviewer" and parent == who.bureau and state == Report.State.APPROVED
    raise ValueError(action)


def report_outcome(who: Who, action: str, bureau: str, state: str) -> int:
    """HTTP answer of a built report page: login first, then hide what one may not see (404),
    refuse what one sees but may not do (403)."""
    if who.anonymous:
        return 302
    if not may(who, "view", bureau, state):
        return 404
    return 200 if may(who, action, bureau, state) else 403


# ----- the table ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportRow:
    """A route taking a report pk: the action it needs, the methods it accepts (others: 405)."""

    action: str
    methods: tuple[str, ...] = ("GET",)
    built: bool = False  # placeholder (501 for every logged-in user) until the feature lands


@dataclass(frozen=True)
class Row:
    """A route without a report: expected status per persona."""

    expect: object  # callable(Who) -> int
    built: bool = True
    login_to: str = "/accounts/login/"
    notes: str = field(default="", compare=False)


def _login_required(ok):
    return lambda who: 302 if who.anonymous else ok(who)


def _is_reviewer(who: Who) -> bool:
    return who.role == "reviewer" or who.superuser or who.role == "admin"


REPORT_ROUTES: dict[str, ReportRow] = {
    "report_detail": ReportRow("view"),
    "report_history": ReportRow("view"),
    "report_pdf": ReportRow("export"),
    "report_docx": ReportRow("export"),
    "report_edit": ReportRow("edit", ("GET", "POST")),
    "report_import": ReportRow("import", ("GET", "POST")),
    "report_submit": ReportRow("submit", ("GET", "POST")),
    "report_review": ReportRow("review", ("GET", "POST")),
}
METHODS = ("GET", "POST")


def report_route_outcome(who: Who, row: ReportRow, method: str, bureau: str, state: str) -> set[int]:
    """Acceptable answers to `method` on a report route. An allowed POST (empty form) may answer
    with the form again (200) or act and redirect (302); it is rolled back either way."""
    if who.anonymous:
        return {302}
    if not row.built:
        return {501}
    if method not in row.methods:
        return {405}
    code = report_outcome(who, row.action, bureau, state)
    return {200, 302} if code == 200 and method == "POST" else {code}


ROUTES: dict[str, Row] = {
    "login": Row(lambda who: 200 if who.anonymous else 302),  # redirect_authenticated_user
    "logout": Row(lambda who: 405),  # POST only
    "healthz": Row(lambda who: 200),
    "set_language": Row(lambda who: 302),  # GET just redirects back
    "home": Row(_login_required(lambda who: 200)),
    "report_start": Row(_login_required(lambda who: 200 if who.role == "staff" else 403), built=False),
    "review_overview": Row(_login_required(lambda who: 200 if _is_reviewer(who) else 403), built=False),
}

# The whole admin namespace: staff only (the admin persona is the only staff user).
ADMIN_NAMESPACE = "admin"
ADMIN_ARGS = {"object_id": "1", "app_label": "reports", "id": "1", "content_type_id": "1", "url": "nothing/"}


# What the administrator gets where it is not 200: read-only trails refuse "add", the import
# step is POST-only, autocomplete needs its query parameters.
ADMIN_SUPERUSER_EXCEPTIONS = {
    "admin:logout": 405,  # POST only
    "admin:login": 302,  # already logged in
    "admin:autocomplete": 403,
    "admin:django_tasks_database_dbtaskresult_add": 403,
    "admin:axes_accessattempt_add": 403,
    "admin:axes_accesslog_add": 403,
    "admin:axes_accessfailurelog_add": 403,
    "admin:reports_transition_add": 403,
    "admin:reports_reportversion_add": 403,
    "admin:reports_auditevent_add": 403,
    "admin:indicators_indicatordefinition_process_import": 405,
}


def admin_outcome(who: Who, name: str) -> int:
    if who.superuser:
        return ADMIN_SUPERUSER_EXCEPTIONS.get(name, 200)
    return 200 if name == "admin:login" else 302  # to the admin login (logout: to /admin/, then login)


def placeholder(who: Who, expected: int) -> int:
    """Not built yet: the stub answers 501 to every logged-in user."""
    return expected if who.anonymous else 501


# ----- fixtures ----------------------------------------------------------------------------------


@pytest.fixture
def matrix(demo):
    """One report per bureau and state (periods far in the future, so the demo's own are untouched)."""
    periods = []
    for year, kind in ((2040, "annual"), (2040, "h1"), (2040, "h2"), (2041, "annual")):
        start, end, deadline = ReportingPeriod.default_dates(year, kind)
        periods.append(ReportingPeriod.objects.create(year=year, kind=kind, start=start, end=end, deadline=deadline))
    reports = {}
    for bureau in Bureau.objects.all():
        for period, state in zip(periods, STATES):
            reports[(bureau.code, state)] = Report.objects.create(
                bureau=bureau, period=period, title=f"{bureau.name}{period.code}", state=state
            )
    return reports


def targets(who: Who) -> dict[str, str]:
    """relation -> bureau code, for the relations that exist for this persona."""
    own = who.bureau or "341802"
    out = {"own": own}
    if PARENT[own]:
        out["parent"] = PARENT[own]
        siblings = [c for c in CHILDREN[PARENT[own]] if c != own]
        if siblings:
            out["sibling"] = siblings[0]
    if CHILDREN.get(own):
        out["child"] = CHILDREN[own][0]
        grand = [g for c in CHILDREN[own] for g in CHILDREN.get(c, [])]
        if grand:
            out["grandchild"] = grand[0]
    other = next(c for c in PARENT if province_of(c) != province_of(own) and len(ancestors(c)) == len(ancestors(own)))
    out["other province"] = other
    return out


def client_for(who: Who) -> Client:
    from django.contrib.auth import get_user_model

    client = Client()
    if not who.anonymous:
        client.force_login(get_user_model().objects.get(username=who.username))
    return client


def _fmt(mismatches: list[str]) -> str:
    return f"{len(mismatches)} mismatches:\n" + "\n".join(mismatches[:40])


# ----- tests -------------------------------------------------------------------------------------


def test_every_route_has_a_row():
    missing = [
        r.name
        for r in all_routes()
        if r.name not in REPORT_ROUTES and r.name not in ROUTES and r.namespace != ADMIN_NAMESPACE
    ]
    assert not missing, f"routes without a row in the permission matrix: {missing}"
    stale = set(REPORT_ROUTES) | set(ROUTES)
    stale -= {r.name for r in all_routes()}
    assert not stale, f"rows for routes that no longer exist: {sorted(stale)}"


def test_report_routes_take_exactly_a_report_pk():
    by_name = {r.name: r for r in all_routes()}
    for name in REPORT_ROUTES:
        assert by_name[name].args == ("pk",), name


@pytest.mark.django_db
def test_policy_agrees_with_the_rules(matrix):
    """reports/policy.py against the rules above, for every persona, relation, state and action."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import AnonymousUser

    users = {u.username: u for u in get_user_model().objects.all()}
    mismatches = []
    for who in WHO:
        user = AnonymousUser() if who.anonymous else users[who.username]
        for relation, code in targets(who).items():
            for state in STATES:
                report = matrix[(code, state)]
                for action in policy.ACTIONS:
                    got, want = policy.can(user, action, report), may(who, action, code, state)
                    if got != want:
                        mismatches.append(
                            f"{who.username} {action} {relation} {code} {state}: policy={got} rules={want}"
                        )
                visible = Report.objects.filter(policy.visible_reports_q(user), pk=report.pk).exists()
                if visible != may(who, "view", code, state):
                    mismatches.append(f"{who.username} list {relation} {code} {state}: visible={visible}")
    assert not mismatches, _fmt(mismatches)


@pytest.mark.django_db
def test_report_routes(matrix):
    from django.db import transaction

    mismatches = []
    for who in WHO:
        client = client_for(who)
        for relation, code in targets(who).items():
            for state in STATES:
                pk = matrix[(code, state)].pk
                for name, row in REPORT_ROUTES.items():
                    url = reverse(name, kwargs={"pk": pk})
                    for method in METHODS:
                        want = report_route_outcome(who, row, method, code, state)
                        with transaction.atomic():  # a POST that acts must not change the next case
                            response = client.generic(method, url)
                            transaction.set_rollback(True)
                        got = response.status_code
                        if got not in want:
                            mismatches.append(
                                f"{who.username} {method} {name} [{relation} {state}]: {got} not in {want}"
                            )
                        elif got == 302 and who.anonymous and not response["Location"].startswith("/accounts/login/"):
                            mismatches.append(f"{who.username} {method} {name}: redirected to {response['Location']}")
    assert not mismatches, _fmt(mismatches)


@pytest.mark.django_db
def test_report_routes_unknown_pk(demo):
    """A report that does not exist: 404 for everyone logged in (once built), login for anonymous."""
    missing_pk = (Report.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000
    for who in WHO:
        client = client_for(who)
        for name, row in REPORT_ROUTES.items():
            want = 302 if who.anonymous else 404
            if not row.built:
                want = placeholder(who, want)
            assert client.get(reverse(name, kwargs={"pk": missing_pk})).status_code == want, (who, name)


@pytest.mark.django_db
def test_other_routes(demo):
    mismatches = []
    for who in WHO:
        client = client_for(who)
        for name, row in ROUTES.items():
            want = row.expect(who)
            if not row.built:
                want = placeholder(who, want)
            response = client.get(reverse(name))
            if response.status_code != want:
                mismatches.append(f"{who.username} GET {name}: {response.status_code} != {want}")
            elif want == 302 and name not in ("login", "set_language"):
                if not response["Location"].startswith(row.login_to):
                    mismatches.append(f"{who.username} GET {name}: redirected to {response['Location']}")
    assert not mismatches, _fmt(mismatches)


@pytest.mark.django_db
def test_admin_routes(matrix):
    """Every named admin route: only the administrator gets in; everybody else goes to the admin login.
    Routes with an object id are checked for the outsiders (the id is never looked up for them) and,
    for the administrator, on a real report."""
    mismatches = []
    routes = [r for r in all_routes() if r.namespace == ADMIN_NAMESPACE and not r.name.startswith("admin:<unnamed")]
    for who in WHO:
        client = client_for(who)
        for r in routes:
            if r.args and who.superuser:
                continue
            url = reverse(r.name, **r.reverse_args(ADMIN_ARGS))
            want = admin_outcome(who, r.name)
            response = client.get(url)
            if response.status_code != want:
                mismatches.append(f"{who.username} GET {r.name}: {response.status_code} != {want}")
            elif (
                want == 302 and not who.superuser and not response["Location"].startswith(("/admin/login/", "/admin/"))
            ):
                mismatches.append(f"{who.username} GET {r.name}: redirected to {response['Location']}")
    admin = client_for(next(w for w in WHO if w.superuser))
    report = matrix[("341802", Report.State.DRAFT)]
    for name in ("admin:reports_report_change", "admin:reports_report_history"):
        assert admin.get(reverse(name, args=[report.pk])).status_code == 200, name
    assert not mismatches, _fmt(mismatches)


def test_targets_cover_every_relation():
    """The matrix really contains a child, grandchild, sibling and other province somewhere."""
    seen = {rel for who in WHO for rel in targets(who)}
    assert seen == {"own", "parent", "child", "grandchild", "sibling", "other province"}


# A date far from the demo's periods keeps the fixture's periods distinct from seed_demo's.
assert datetime.date(2040, 1, 1).year > datetime.date.today().year


def test_expectations_read_like_the_rules():
    """A few rows of the table spelled out, as a check on `may()` itself."""
    clerk, reviewer, admin = (
        next(w for w in WHO if w.username == u) for u in ("xuanzhou_staff", "xuancheng_reviewer", "admin")
    )
    built = {name: ReportRow(row.action, row.methods, built=True) for name, row in REPORT_ROUTES.items()}
    D, S, R, A = STATES  # draft, submitted, returned, approved
    cases = [
        (clerk, "report_edit", "GET", "341802", D, {200}),
        (clerk, "report_edit", "POST", "341802", R, {200, 302}),
        (clerk, "report_edit", "GET", "341802", A, {403}),  # approved is locked
        (clerk, "report_detail", "GET", "341821", A, {404}),  # a sibling's report is invisible
        (clerk, "report_pdf", "POST", "341802", A, {405}),
        (reviewer, "report_detail", "GET", "341802", D, {404}),  # a child's draft is private
        (reviewer, "report_review", "POST", "341802", S, {200, 302}),
        (reviewer, "report_review", "GET", "341802", R, {403}),
        (reviewer, "report_edit", "GET", "341802", S, {403}),
        (reviewer, "report_detail", "GET", "340202", A, {404}),  # another city's county
        (admin, "report_detail", "GET", "150121", D, {200}),  # superuser sees all
        (admin, "report_edit", "GET", "341802", D, {403}),  # ... and changes nothing
        (ANONYMOUS, "report_detail", "GET", "341802", A, {302}),
    ]
    for who, name, method, bureau, state, want in cases:
        assert report_route_outcome(who, built[name], method, bureau, state) == want, (who.username, name, state)
    anhui = next(w for w in WHO if w.username == "anhui_reviewer")
    assert may(anhui, "view", "341802", A) and not may(anhui, "view", "341802", S)  # grandchild: approved only
