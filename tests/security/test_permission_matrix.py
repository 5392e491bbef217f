"""The permission matrix: every route × every seed_demo persona (and anonymous) × a report of their
own bureau, its parent, a child, a grandchild, a sibling and another province, in every state.

The expectations come from `may()` below, written from the rules in the issues — NOT from
reports/policy.py — so a policy bug shows up as a mismatch. `test_policy_agrees_with_the_rules`
checks the policy itself today; the HTTP matrix checks every view.

Every route is a real view. Each row below says, per method, what the view answers (read from the
view: 404 for a report one may not see, 403 for one seen but not to be acted on, 302 after an
acting POST) and which rule allows a change. Every POST is made with a payload that WOULD act
(heading, delete, approve / reopen, pull, confirm ...) inside a rolled-back transaction, and the
report's fingerprint (state, sections, values, transitions) must not move unless the rules allow
it. A new route without a row fails `test_every_route_has_a_row`.
"""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass, field

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from reports import policy
from reports.demo import BUREAUS, personas
from reports.models import Bureau, Report, ReportingPeriod
from reports.services.editing import head_fingerprint

from .hostile import report_fingerprint
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


# ----- the table ---------------------------------------------------------------------------------


def sees(who: Who, bureau: str, state: str) -> bool:
    return may(who, "view", bureau, state)


def reviews_bureau(who: Who, bureau: str) -> bool:
    """A reviewer of the bureau directly above: opens the review page in any state but draft."""
    return who.role == "reviewer" and PARENT[bureau] == who.bureau


def figures(who: Who, bureau: str) -> bool:
    """May `who` look at the figures (roll-up, trend, export) of `bureau`? Their own bureau and
    everything below it, whatever their role; a superuser everywhere (issue 6)."""
    if who.anonymous:
        return False
    return who.superuser or who.bureau == bureau or who.bureau in ancestors(bureau)


def page(action: str):
    """A page needing `action`: hidden (404) when not even seen, refused (403) when seen."""
    return lambda who, b, s: 404 if not sees(who, b, s) else (200 if may(who, action, b, s) else 403)


def acting(action: str, ok: int = 302):
    """A POST that acts when `action` is allowed (and redirects, `ok`), else 404 / 403."""
    return lambda who, b, s: 404 if not sees(who, b, s) else (ok if may(who, action, b, s) else 403)


def _submit_post(who: Who, b: str, s: str) -> int:
    if not sees(who, b, s):
        return 404
    if s not in EDITABLE:
        return 302  # "only a draft or returned report can be submitted", back to the confirm page
    return 200 if may(who, "submit", b, s) else 403  # 200: the checks refuse an empty report


def _review_get(who: Who, b: str, s: str) -> int:
    return 404 if not sees(who, b, s) else (200 if reviews_bureau(who, b) else 403)


def _review_post(who: Who, b: str, s: str) -> int:
    code = _review_get(who, b, s)
    if code != 200:
        return code
    return 302 if may(who, "review", b, s) or may(who, "reopen", b, s) else 200  # 200: a message, nothing done


def _review_changes(who: Who, b: str, s: str) -> bool:
    return may(who, "review", b, s) or may(who, "reopen", b, s)


def reads_workspace(who: Who, bureau: str) -> bool:
    """Issue 17: a bureau's clerks and reviewers open the consolidation workspace of its own report."""
    return who.superuser or (who.role in ("staff", "reviewer") and who.bureau == bureau)


def reads_text(who: Who, bureau: str, state: str) -> bool:
    """Issue 17: whose text one may read and search — what one sees, plus a clerk's direct children's
    submitted and approved reports (the ones the clerk consolidates)."""
    child_of_clerk = who.role == "staff" and PARENT[bureau] == who.bureau
    return sees(who, bureau, state) or (child_of_clerk and state in (Report.State.SUBMITTED, Report.State.APPROVED))


def _consolidate_get(who: Who, b: str, s: str) -> int:
    return 200 if reads_workspace(who, b) else (404 if not sees(who, b, s) else 403)


def _consolidate_take(who: Who, b: str, s: str) -> int:
    if not (sees(who, b, s) or reads_workspace(who, b)):
        return 404
    return 302 if may(who, "edit", b, s) else 403  # 302 also when the chosen passage is refused


@dataclass(frozen=True)
class Case:
    """One method of a report route: expected status, and which rule allows the POST to change data."""

    expect: object  # callable(Who, bureau, state) -> int
    changes: object = None  # callable(Who, bureau, state) -> bool; None: never changes anything
    data: object = None  # callable(report, section, state) -> dict (POST payload)


def _never(who, b, s):
    return False


def _may(action):
    return lambda who, b, s: may(who, action, b, s)


REPORT_ROUTES: dict[str, dict[str, Case]] = {
    # reading
    "report_detail": {"GET": Case(page("view"))},
    "report_history": {"GET": Case(page("view"))},
    "report_pdf": {"GET": Case(page("export"))},
    "report_docx": {"GET": Case(page("export"))},
    "report_review_log": {"GET": Case(page("export"))},
    "indicators:report_values": {"GET": Case(page("view"))},
    "indicators:excel_download": {"GET": Case(page("export"))},
    # the editor
    "report_edit": {"GET": Case(page("edit"))},
    "section_add": {"POST": Case(acting("edit"), _may("edit"), lambda r, sec, s: {"heading": "越权新增"})},
    "section_save": {
        "POST": Case(
            acting("edit"),
            _may("edit"),
            lambda r, sec, s: {
                f"s{sec.pk}-heading": "越权修改",
                f"s{sec.pk}-body": "正文",
                f"s{sec.pk}-version": sec.version,
            },
        )
    },
    "section_action": {"POST": Case(acting("edit"), _may("edit"))},  # action "delete"
    "report_head_save": {
        "POST": Case(
            acting("edit"),
            _may("edit"),
            lambda r, sec, s: {"head-title": "越权改标题", "head-lead": "", "head-seen": head_fingerprint(report=r)},
        )
    },
    "values_save": {"POST": Case(acting("edit"))},
    "comment_mark": {"POST": Case(acting("edit"))},  # no such comment: a message, back to the editor
    "indicators:rollup_pull": {"POST": Case(acting("edit"), _may("edit"), lambda r, sec, s: {"overwrite": "1"})},
    # import of text and of the Excel template
    "report_import": {
        "GET": Case(page("import")),
        "POST": Case(
            acting("import"), _never, lambda r, sec, s: {"action": "preview", "text": "一、总体情况\n越权导入"}
        ),
    },
    "indicators:excel_upload": {"POST": Case(acting("import", ok=400))},  # 400: no file
    "indicators:excel_confirm": {"POST": Case(acting("import"), _may("import"), lambda r, sec, s: {"token": "x"})},
    # consolidation (issue 17); the take-over payload names a passage of the report itself, which
    # the service refuses (sources are other bureaus' reports): its acting is tests/consolidation's
    "report_consolidate": {"GET": Case(_consolidate_get)},
    "consolidate_take": {
        "POST": Case(
            _consolidate_take,
            _may("edit"),
            lambda r, sec, s: {"target": sec.pk, f"v-{sec.pk}": sec.version, "p": f"{sec.pk}:0", "mode": "each"},
        )
    },
    # the workflow
    "report_submit": {"GET": Case(page("view")), "POST": Case(_submit_post, _may("submit"))},
    "report_review": {
        "GET": Case(_review_get),
        "POST": Case(
            _review_post,
            _review_changes,
            lambda r, sec, s: (
                {"decision": "reopen", "reason": "越权重开"}
                if s == Report.State.APPROVED
                else {"decision": "approve", "comment": "", "confirm": "1"}
            ),
        ),
    },
}

# The views without a method decorator answer any method as GET (harmless: a POST still needs the
# CSRF token); the others refuse the wrong one with 405.
POST_ONLY = {name for name, cases in REPORT_ROUTES.items() if set(cases) == {"POST"}}
GET_AND_POST = {"report_submit", "report_review"}


def report_kwargs(name: str, report: Report, section_pk: int) -> dict:
    if name == "section_save":
        return {"pk": report.pk, "sid": section_pk}
    if name == "section_action":
        return {"pk": report.pk, "sid": section_pk, "action": "delete"}
    return {"pk": report.pk}


@dataclass(frozen=True)
class Row:
    """A route without a report: expected GET status per persona."""

    expect: object  # callable(Who) -> int
    kwargs: dict = field(default_factory=dict, compare=False)


def _login_required(ok):
    return lambda who: 302 if who.anonymous else ok(who)


def _has_children(who: Who) -> bool:
    return who.superuser or bool(CHILDREN.get(who.bureau))


ROUTES: dict[str, Row] = {
    "login": Row(lambda who: 200 if who.anonymous else 302),  # redirect_authenticated_user
    "logout": Row(lambda who: 405),  # POST only
    "healthz": Row(lambda who: 200),
    "set_language": Row(lambda who: 302),  # GET just redirects back
    "home": Row(_login_required(lambda who: 200)),
    "report_start": Row(lambda who: 405),  # POST only (require_POST before the login check)
    "review_overview": Row(_login_required(lambda who: 200 if who.role == "reviewer" else 403)),
    "export_list": Row(_login_required(lambda who: 200)),  # the form offers only one's own reviewed bureaus
    "export_detail": Row(_login_required(lambda who: 200 if who.username == "xuancheng_reviewer" else 404)),
    "export_download": Row(_login_required(lambda who: 200 if who.username == "xuancheng_reviewer" else 404)),
    "export_retry": Row(lambda who: 405),  # POST only (the requester's own failed job)
    "indicators:index": Row(_login_required(lambda who: 200)),
    # without ?bureau=: one's first bureau with subordinates, or back to the index with a message
    "indicators:rollup": Row(_login_required(lambda who: 200 if _has_children(who) else 302)),
    "indicators:trend": Row(_login_required(lambda who: 200)),  # one's own bureau by default
    "indicators:export": Row(_login_required(lambda who: 302)),  # no form data: back to the index
    # accounts (issue 18): one's own password and two-factor; the accounts page for administrators;
    # mail reset only where mail is configured (not in the tests)
    "password_change": Row(_login_required(lambda who: 200)),
    "password_reset": Row(lambda who: 404),
    "password_reset_done": Row(lambda who: 404),
    "password_reset_confirm": Row(lambda who: 404),
    "password_reset_complete": Row(lambda who: 404),
    "accounts:profile": Row(_login_required(lambda who: 200)),
    "accounts:two_factor": Row(_login_required(lambda who: 200)),
    "accounts:keepalive": Row(_login_required(lambda who: 204)),
    "accounts:users": Row(_login_required(lambda who: 200 if who.role == "admin" else 403)),
    "accounts:user_password": Row(_login_required(lambda who: 200 if who.role == "admin" else 403)),
    "accounts:user_unlock": Row(_login_required(lambda who: 405)),  # POST only
    # issue 20: the period calendar is the whole portal's, so only a superuser sets up a year; users
    # are managed by a superuser or an administrator of a bureau (for its subtree; see
    # test_a_bureau_administrator_manages_exactly_their_subtree). The changes are POST only.
    "year_setup": Row(_login_required(lambda who: 200 if who.superuser else 403)),
    "bureau_users": Row(_login_required(lambda who: 200 if who.superuser or who.role == "admin" else 403)),
    "user_active": Row(_login_required(lambda who: 405)),
    "user_role": Row(_login_required(lambda who: 405)),
    "role_remove": Row(_login_required(lambda who: 405)),
    # one's own notices only: another's notice id is a 404 (the notice in the test is JOB_OWNER's)
    "notification_list": Row(_login_required(lambda who: 200)),
    "notification_follow": Row(_login_required(lambda who: 302 if who.username == "xuancheng_reviewer" else 404)),
    "notification_read_all": Row(_login_required(lambda who: 405)),  # POST only
    # closing a period: the administrator and the reviewers of a top-level bureau only
    "period_close": Row(
        _login_required(
            lambda who: 200 if who.superuser or (who.role == "reviewer" and not PARENT[who.bureau]) else 403
        )
    ),
    "reporting_rates": Row(_login_required(lambda who: 200 if who.role == "reviewer" or who.superuser else 403)),
    "review_chase": Row(_login_required(lambda who: 405)),  # POST only; tests/reports/test_chasers.py acts
}
JOB_OWNER = "xuancheng_reviewer"

# Routes taking a bureau code (?bureau=): expected status per persona and target bureau.
BUREAU_ROUTES = {
    "indicators:rollup": lambda who, b: 200 if figures(who, b) else 403,
    "indicators:trend": lambda who, b: 200 if figures(who, b) else 403,
    # the export form offers only the bureaus one may look at: another is a form error, back to the index
    "indicators:export": lambda who, b: 200 if figures(who, b) else 302,
}

# The whole admin namespace: staff only (the admin persona is the only staff user).
ADMIN_NAMESPACE = "admin"
ADMIN_ARGS = {
    "object_id": "1",
    "app_label": "reports",
    "id": "1",
    "content_type_id": "1",
    "url": "nothing/",
    "pk": "1",  # django-otp's device config and QR code pages
}


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
    "admin:reports_exportjob_add": 403,
    "admin:reports_passagesource_add": 403,  # made only by taking a passage over (issue 17)
    "admin:accounts_passwordstate_add": 403,
    "admin:reports_frozendocument_add": 403,
    "admin:reports_notification_add": 403,
    "admin:reports_reminder_add": 403,
    "admin:reports_chaser_add": 403,
    "admin:indicators_indicatordefinition_process_import": 405,
}


def admin_outcome(who: Who, name: str) -> int:
    if who.superuser:
        return ADMIN_SUPERUSER_EXCEPTIONS.get(name, 200)
    return 200 if name == "admin:login" else 302  # to the admin login (logout: to /admin/, then login)


# ----- fixtures ----------------------------------------------------------------------------------


@pytest.fixture
def matrix(demo, monkeypatch):
    """One report per bureau and state (periods far in the future, so the demo's own are untouched),
    each with one section. The PDF / Word / Excel renderers are stubbed: their content is issue 5's
    and 6's tests; here only who gets them counts."""
    from indicators.views import excel as excel_views
    from reports.models import Section
    from reports.rendering import formats

    for code, output in list(formats.FORMATS.items()):
        monkeypatch.setitem(formats.FORMATS, code, dataclasses.replace(output, render=lambda doc: b"stub"))
    monkeypatch.setattr(excel_views, "template_build", lambda report: b"stub")
    periods = []
    for year, kind in ((2040, "annual"), (2040, "h1"), (2040, "h2"), (2041, "annual")):
        start, end, deadline = ReportingPeriod.default_dates(year, kind)
        periods.append(ReportingPeriod.objects.create(year=year, kind=kind, start=start, end=end, deadline=deadline))
    reports = {}
    for bureau in Bureau.objects.all():
        for period, state in zip(periods, STATES):
            report = Report.objects.create(bureau=bureau, period=period, title=f"{bureau.name}{period.code}")
            Section.objects.create(report=report, heading="一般情况", body="正文", position=1)
            Report.objects.filter(pk=report.pk).update(state=state)  # approved locks its sections
            report.state = state
            reports[(bureau.code, state)] = report
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
    names = {r.name for r in all_routes()}
    missing = [
        r.name
        for r in all_routes()
        if r.name not in REPORT_ROUTES and r.name not in ROUTES and r.namespace != ADMIN_NAMESPACE
    ]
    assert not missing, f"routes without a row in the permission matrix: {missing}"
    stale = (set(REPORT_ROUTES) | set(ROUTES) | set(BUREAU_ROUTES)) - names
    assert not stale, f"rows for routes that no longer exist: {sorted(stale)}"


def test_report_routes_take_a_report_pk():
    by_name = {r.name: r for r in all_routes()}
    for name in REPORT_ROUTES:
        assert by_name[name].args[0] == "pk", name
        assert set(by_name[name].args) <= {"pk", "sid", "action"}, name


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
                readable = Report.objects.filter(policy.texts_readable_q(user), pk=report.pk).exists()
                if readable != reads_text(who, code, state):
                    mismatches.append(f"{who.username} text {relation} {code} {state}: readable={readable}")
                if policy.can_read_consolidation(user, report) != (reads_workspace(who, code) and not who.anonymous):
                    mismatches.append(f"{who.username} workspace {relation} {code} {state}")
                if policy.can_consolidate(user, report) != may(who, "edit", code, state):
                    mismatches.append(f"{who.username} consolidate {relation} {code} {state}")
    assert not mismatches, _fmt(mismatches)


def _request(client, method: str, url: str, data: dict | None):
    return client.post(url, data or {}) if method == "POST" else client.get(url)


@pytest.mark.django_db
def test_report_routes(matrix):
    """Every report route × persona × relation × state, with the method(s) the view accepts."""
    from django.db import transaction

    from reports.models import Section

    sections = {r.pk: Section.objects.get(report=r) for r in matrix.values()}
    mismatches, checked = [], 0
    for who in WHO:
        if who.anonymous:
            continue  # test_report_routes_anonymous
        client = client_for(who)
        for relation, code in targets(who).items():
            for state in STATES:
                report = matrix[(code, state)]
                section = sections[report.pk]
                for name, cases in REPORT_ROUTES.items():
                    url = reverse(name, kwargs=report_kwargs(name, report, section.pk))
                    for method, case in cases.items():
                        want = case.expect(who, code, state)
                        data = case.data(report, section, state) if case.data else None
                        with transaction.atomic():  # a POST that acts must not change the next case
                            before = report_fingerprint(report.pk) if method == "POST" else None
                            response = _request(client, method, url, data)
                            after = report_fingerprint(report.pk) if method == "POST" else None
                            transaction.set_rollback(True)
                        checked += 1
                        where = f"{who.username} {method} {name} [{relation} {code} {state}]"
                        if response.status_code != want:
                            mismatches.append(f"{where}: {response.status_code} != {want}")
                        if before != after and not (case.changes and case.changes(who, code, state)):
                            mismatches.append(f"{where}: CHANGED the report ({response.status_code})")
    assert checked > 4000
    assert not mismatches, _fmt(mismatches)


@pytest.mark.django_db
def test_acting_posts_really_act(matrix):
    """The payloads above are not blanks: for the allowed persona each POST changes the report, so
    'nothing changed' above means 'refused', not 'the payload did nothing'."""
    from django.db import transaction

    from reports.models import Section

    clerk = client_for(next(w for w in WHO if w.username == "xuanzhou_staff"))
    reviewer = client_for(next(w for w in WHO if w.username == "xuancheng_reviewer"))
    D, S, R, A = STATES
    for client, name, state in [
        (clerk, "section_add", D),
        (clerk, "section_save", R),
        (clerk, "section_action", D),
        (reviewer, "report_review", S),
        (reviewer, "report_review", A),
    ]:
        report = matrix[("341802", state)]
        section = Section.objects.get(report=report)
        case = REPORT_ROUTES[name]["POST"]
        with transaction.atomic():
            before = report_fingerprint(report.pk)
            response = client.post(
                reverse(name, kwargs=report_kwargs(name, report, section.pk)),
                case.data(report, section, state) if case.data else {},
            )
            assert response.status_code == 302, (name, state, response.status_code)
            assert report_fingerprint(report.pk) != before, (name, state)
            transaction.set_rollback(True)


@pytest.mark.django_db
def test_report_routes_anonymous_and_methods(matrix):
    """Anonymous: every report route sends to the log-in page. The owner: a method the view does not
    take is a 405."""
    from reports.models import Section

    report = matrix[("341802", Report.State.DRAFT)]
    section = Section.objects.get(report=report)
    anonymous, clerk = Client(), client_for(next(w for w in WHO if w.username == "xuanzhou_staff"))
    mismatches = []
    for name, cases in REPORT_ROUTES.items():
        url = reverse(name, kwargs=report_kwargs(name, report, section.pk))
        for method in cases:
            response = _request(anonymous, method, url, {})
            if response.status_code != 302 or not response["Location"].startswith("/accounts/login/"):
                mismatches.append(f"anonymous {method} {name}: {response.status_code}")
        if name in POST_ONLY and clerk.get(url).status_code != 405:
            mismatches.append(f"GET {name}: not 405")
        if name in GET_AND_POST and clerk.put(url).status_code != 405:
            mismatches.append(f"PUT {name}: not 405")
    assert not mismatches, _fmt(mismatches)


@pytest.mark.django_db
def test_report_routes_unknown_pk(matrix):
    """A report that does not exist: 404 for everyone logged in."""
    missing_pk = (Report.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000
    missing = Report(pk=missing_pk)
    mismatches = []
    for who in WHO:
        if who.anonymous:
            continue
        client = client_for(who)
        for name, cases in REPORT_ROUTES.items():
            url = reverse(name, kwargs=report_kwargs(name, missing, 1))
            for method in cases:
                code = _request(client, method, url, {}).status_code
                if code != 404:
                    mismatches.append(f"{who.username} {method} {name}: {code}")
    assert not mismatches, _fmt(mismatches)


@pytest.mark.django_db
def test_a_section_of_another_report_is_not_reached_through_ones_own(matrix, login):
    """The editor routes take the report from the URL and the section from it: a section id of a
    report one may not edit, under one's own report id, is a 404 and changes nothing."""
    from reports.models import Section

    own = matrix[("341802", Report.State.DRAFT)]
    foreign = Section.objects.get(report=matrix[("341821", Report.State.DRAFT)])
    client = login("xuanzhou_staff")
    for name in ("section_save", "section_action"):
        case = REPORT_ROUTES[name]["POST"]
        before = report_fingerprint(foreign.report_id)
        response = client.post(
            reverse(name, kwargs=report_kwargs(name, own, foreign.pk)),
            case.data(own, foreign, "d") if case.data else {},
        )
        assert response.status_code == 404, name
        assert report_fingerprint(foreign.report_id) == before


@pytest.mark.django_db
def test_other_routes(matrix, settings, tmp_path):
    from django.core.files.base import ContentFile

    from indicators.models import IndicatorDefinition
    from reports.models import ExportJob, Notification

    settings.MEDIA_ROOT = tmp_path
    owner = get_user_model().objects.get(username=JOB_OWNER)
    job = ExportJob(
        requested_by=owner, bureau=Bureau.objects.get(code="341800"), period=ReportingPeriod.objects.first()
    )
    job.status = ExportJob.Status.DONE
    job.file.save("batch.zip", ContentFile(b"PK\x05\x06" + b"\0" * 18), save=False)
    job.save()
    slug = IndicatorDefinition.objects.order_by("pk").values_list("slug", flat=True).first()
    notice = Notification.objects.create(user=owner, kind="chaser", text="催报")
    clerk = get_user_model().objects.get(username="xuanzhou_staff").pk
    kwargs = {
        "export_detail": {"pk": job.pk},
        "export_download": {"pk": job.pk},
        "export_retry": {"pk": job.pk},
        "indicators:trend": {"slug": slug},
        "password_reset_confirm": {"uidb64": "MQ", "token": "x-y"},
        "accounts:user_password": {"pk": clerk},
        "accounts:user_unlock": {"pk": clerk},
        **{name: {"pk": owner.pk} for name in ("user_active", "user_role", "role_remove")},
        "notification_follow": {"pk": notice.pk},
    }
    mismatches = []
    for who in WHO:
        client = client_for(who)
        for name, row in ROUTES.items():
            want = row.expect(who)
            response = client.get(reverse(name, kwargs=kwargs.get(name)))
            if response.status_code != want:
                mismatches.append(f"{who.username} GET {name}: {response.status_code} != {want}")
            elif want == 302 and who.anonymous and name not in ("login", "set_language"):
                if not response["Location"].startswith("/accounts/login/"):
                    mismatches.append(f"{who.username} GET {name}: redirected to {response['Location']}")
    assert not mismatches, _fmt(mismatches)


@pytest.mark.django_db
def test_bureau_routes(matrix):
    """Roll-up, trend and export of every persona's own bureau, parent, sibling, child, grandchild
    and another province."""
    from indicators.models import IndicatorDefinition

    slug = IndicatorDefinition.objects.order_by("pk").values_list("slug", flat=True).first()
    queries = {
        "indicators:rollup": {"period": "2040"},
        "indicators:trend": {},
        "indicators:export": {"year_from": 2040, "year_to": 2041, "format": "csv"},
    }
    mismatches = []
    for who in WHO:
        client = client_for(who)
        for relation, code in targets(who).items():
            for name, expect in BUREAU_ROUTES.items():
                url = reverse(name, kwargs={"slug": slug} if name == "indicators:trend" else None)
                want = 302 if who.anonymous else expect(who, code)
                response = client.get(url, {"bureau": code, **queries[name]})
                if response.status_code != want:
                    mismatches.append(
                        f"{who.username} GET {name} [{relation} {code}]: {response.status_code} != {want}"
                    )
    assert not mismatches, _fmt(mismatches)


@pytest.mark.django_db
def test_report_start_only_for_ones_own_bureau(matrix):
    """POST report_start for each relation's bureau: only the bureau's own clerk starts a report."""
    from django.db import transaction

    start, end, deadline = ReportingPeriod.default_dates(2042, "annual")
    period = ReportingPeriod.objects.create(
        year=2042, kind="annual", start=start, end=end, deadline=deadline, is_open=True
    )
    bureaus = {b.code: b.pk for b in Bureau.objects.all()}
    mismatches = []
    for who in WHO:
        client = client_for(who)
        for relation, code in targets(who).items():
            allowed = who.role == "staff" and who.bureau == code
            with transaction.atomic():
                response = client.post(reverse("report_start"), {"bureau": bureaus[code], "period": period.pk})
                created = Report.objects.filter(period=period, bureau_id=bureaus[code]).exists()
                transaction.set_rollback(True)
            want = 302 if (allowed or who.anonymous) else 403
            if response.status_code != want or created != allowed:
                mismatches.append(
                    f"{who.username} start [{relation} {code}]: {response.status_code}, created={created}"
                )
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
    """A few rows of the table spelled out, as a check on `may()` and the rows themselves."""
    clerk, reviewer, admin, xuancheng_staff = (
        next(w for w in WHO if w.username == u)
        for u in ("xuanzhou_staff", "xuancheng_reviewer", "admin", "xuancheng_staff")
    )
    D, S, R, A = STATES  # draft, submitted, returned, approved
    cases = [
        (clerk, "report_edit", "GET", "341802", D, 200),
        (clerk, "section_save", "POST", "341802", R, 302),
        (clerk, "report_edit", "GET", "341802", A, 403),  # approved is locked
        (clerk, "section_save", "POST", "341802", S, 403),  # submitted is locked too
        (clerk, "report_detail", "GET", "341821", A, 404),  # a sibling's report is invisible
        (clerk, "indicators:excel_upload", "POST", "341821", D, 404),
        (clerk, "report_review", "GET", "341802", S, 403),  # no reviewing one's own
        (reviewer, "report_detail", "GET", "341802", D, 404),  # a child's draft is private
        (reviewer, "report_review", "POST", "341802", S, 302),
        (reviewer, "report_review", "POST", "341802", A, 302),  # reopen
        (reviewer, "report_review", "POST", "341802", R, 200),  # nothing to decide
        (reviewer, "report_edit", "GET", "341802", S, 403),
        (reviewer, "indicators:rollup_pull", "POST", "341802", S, 403),
        (reviewer, "report_detail", "GET", "340202", A, 404),  # another city's county
        (admin, "report_detail", "GET", "150121", D, 200),  # superuser sees all
        (admin, "report_edit", "GET", "341802", D, 403),  # ... and changes nothing
        (admin, "report_review", "GET", "341802", S, 403),
        (xuancheng_staff, "report_consolidate", "GET", "341800", D, 200),  # issue 17
        (xuancheng_staff, "consolidate_take", "POST", "341800", D, 302),
        (xuancheng_staff, "consolidate_take", "POST", "341800", S, 403),  # submitted is locked
        (reviewer, "report_consolidate", "GET", "341800", D, 200),  # the city's reviewer reads ...
        (reviewer, "consolidate_take", "POST", "341800", D, 403),  # ... and takes nothing over
        (clerk, "report_consolidate", "GET", "341800", D, 404),  # a county does not see the city's
        (admin, "report_consolidate", "GET", "341800", D, 200),
    ]
    for who, name, method, bureau, state, want in cases:
        assert REPORT_ROUTES[name][method].expect(who, bureau, state) == want, (who.username, name, state)
    anhui = next(w for w in WHO if w.username == "anhui_reviewer")
    assert may(anhui, "view", "341802", A) and not may(anhui, "view", "341802", S)  # grandchild: approved only
    assert figures(clerk, "341802") and not figures(clerk, "341800") and not figures(clerk, "341821")
    assert figures(xuancheng_staff, "341802") and not figures(xuancheng_staff, "340200")


@pytest.mark.django_db
def test_batch_export_only_for_the_bureaus_one_reviews(matrix):
    """POST /exports/ for each relation's bureau: a job is queued only for a bureau the persona
    reviews (a superuser: any); for the others the form refuses the choice and nothing is queued."""
    from django.db import transaction

    from reports.models import ExportJob

    bureaus = {b.code: b.pk for b in Bureau.objects.all()}
    period = ReportingPeriod.objects.get_by_code("2040")
    mismatches = []
    for who in WHO:
        client = client_for(who)
        for relation, code in targets(who).items():
            allowed = who.superuser or (who.role == "reviewer" and who.bureau == code)
            with transaction.atomic():
                response = client.post(reverse("export_list"), {"bureau": bureaus[code], "period": period.pk})
                queued = ExportJob.objects.filter(bureau_id=bureaus[code]).exists()
                transaction.set_rollback(True)
            want = 302 if (allowed or who.anonymous) else 200
            if response.status_code != want or queued != allowed:
                mismatches.append(f"{who.username} export [{relation} {code}]: {response.status_code}, queued={queued}")
    assert not mismatches, _fmt(mismatches)


@pytest.mark.django_db
def test_dual_role_persona_cannot_approve_or_return_its_own_report(matrix, monkeypatch):
    """Four eyes (issue 12): a clerk of a county who is also a reviewer of its city submits the
    county's report, then cannot return or approve it (the page says why, nothing changes); a report
    someone else submitted they review like any reviewer, and the city's other reviewer reviews theirs."""
    from django.db import transaction

    from reports.models import Membership
    from reports.services.workflow import report_submit

    monkeypatch.setattr("reports.services.workflow.submission_problems", lambda report: [])  # not under test
    dual = get_user_model().objects.create_user(username="dual_role", password="pw-for-tests-1")
    Membership.objects.create(user=dual, bureau=Bureau.objects.get(code="341802"), role=Membership.Role.STAFF)
    Membership.objects.create(user=dual, bureau=Bureau.objects.get(code="341800"), role=Membership.Role.REVIEWER)
    own = report_submit(report=matrix[("341802", Report.State.DRAFT)], acting_user=dual)
    sibling = matrix[("341821", Report.State.SUBMITTED)]  # submitted by nobody in particular
    client, city_reviewer = Client(), client_for(next(w for w in WHO if w.username == "xuancheng_reviewer"))
    client.force_login(dual)
    decisions = [
        {"decision": "approve", "comment": "", "confirm": "1"},
        {"decision": "return", "comment": "退回自己的报告"},
    ]
    for who, report, allowed in [(client, own, False), (client, sibling, True), (city_reviewer, own, True)]:
        url = reverse("report_review", args=[report.pk])
        assert who.get(url).status_code == 200
        for data in decisions:
            with transaction.atomic():
                before = report_fingerprint(report.pk)
                response = who.post(url, data)
                changed = report_fingerprint(report.pk) != before
                transaction.set_rollback(True)
            assert (response.status_code, changed) == ((302, True) if allowed else (200, False)), (report, data)


def _differences(bureaus, figures_of) -> list[str]:
    """For each bureau, `figures_of(user, bureau)` for every persona who may see its figures (the
    rule above, not the policy): the pairs that differ."""
    users = {u.username: u for u in get_user_model().objects.all()}
    out = []
    for bureau in bureaus:
        allowed = [who for who in WHO if not who.anonymous and figures(who, bureau.code)]
        assert len(allowed) >= 2, bureau.code
        seen = {who.username: figures_of(users[who.username], bureau) for who in allowed}
        first, *others = seen
        out += [f"{bureau.code}: {first} != {o}" for o in others if seen[o] != seen[first]]
    return out


@pytest.mark.django_db
def test_everyone_who_may_see_a_bureaus_figures_sees_the_same_rollup(demo):
    """Issue 13: figures are visible by bureau, not by person. For every bureau with subordinates and
    every demo period, every pair of personas that may see the bureau's figures gets the same roll-up
    (the same figures and the same list of subordinate bureaus with their states), counting approved
    and submitted reports or approved ones only."""
    from indicators.rollup import rollup_compute

    periods = list(ReportingPeriod.objects.all())

    def rollups(user, bureau):
        out = []
        for period in periods:
            for approved_only in (False, True):
                result = rollup_compute(user=user, bureau=bureau, period=period, approved_only=approved_only)
                out.append(tuple((row.definition.slug, row.value) for row in result.rows))
                out.append(tuple((b.code, b.status) for b in result.bureaus))
        return out

    assert not _differences(Bureau.objects.filter(code__in=list(CHILDREN)), rollups)


@pytest.mark.django_db
def test_everyone_who_may_see_a_bureaus_figures_gets_the_same_trends_and_export(demo):
    """Issue 13: the trends of every indicator and the export for analysis of every bureau are the
    same for every pair of personas who may see the bureau's figures (a clerk's own draft is nobody's
    figure), whether approved and submitted reports count or approved ones only."""
    from indicators.export import export_values
    from indicators.models import IndicatorDefinition
    from indicators.rollup import method_of
    from indicators.trends import trend_compute

    # one indicator of each way of combining (summed, a recomputed rate) that the demo fills in
    by_method = {}
    for definition in IndicatorDefinition.objects.filter(values__isnull=False).distinct().order_by("slug"):
        by_method.setdefault(method_of(definition), definition)
    assert {"sum", "rate"} <= set(by_method)
    definitions = list(by_method.values())

    def trends_and_export(user, bureau):
        out = []
        for approved_only in (False, True):
            for definition in definitions:
                trend = trend_compute(user=user, definition=definition, bureau=bureau, approved_only=approved_only)
                periods = trend.annual + trend.half_years
                out.append(
                    [(line.bureau.code, [(c.value, c.computed) for c in line.row(periods)]) for line in trend.lines]
                )
            out.append(
                list(export_values(user=user, bureau=bureau, year_from=2000, year_to=2100, approved_only=approved_only))
            )
        return out

    assert not _differences(Bureau.objects.all(), trends_and_export)


def test_a_bureau_administrator_manages_exactly_their_subtree(demo):
    """An administrator of 宣城市 (not a superuser) deactivates, and gives roles to, the personas
    of 宣城市 and the bureaus below it, and nobody else (issue 20)."""
    from django.db import transaction

    from reports.models import Membership

    city = "341800"
    admin_user = get_user_model().objects.create_user("xuancheng_admin", password="x-Admin-2027")
    Membership.objects.create(user=admin_user, bureau=Bureau.objects.get(code=city), role=Membership.Role.ADMIN)
    client = Client()
    client.force_login(admin_user)
    own_bureau = Bureau.objects.get(code=city).pk
    mismatches = []
    for who in WHO:
        if who.anonymous:
            continue
        target = get_user_model().objects.get(username=who.username)
        manages = not who.superuser and (who.bureau == city or city in ancestors(who.bureau))
        for name, data in (("user_active", {"active": "0"}), ("user_role", {"bureau": own_bureau, "role": "admin"})):
            with transaction.atomic():
                response = client.post(reverse(name, kwargs={"pk": target.pk}), data)
                target.refresh_from_db()
                changed = not target.is_active or target.memberships.count() > 1
                transaction.set_rollback(True)
            want = 302 if manages else 403
            if response.status_code != want or changed != manages:
                mismatches.append(f"{name} {who.username}: {response.status_code} changed={changed}, want {want}")
    assert not mismatches, _fmt(mismatches)
