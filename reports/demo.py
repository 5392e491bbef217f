"""Demo data for a first run: a bureau tree, periods, personas and reports with our own text.

Everything is keyed by natural keys (bureau code, username, period) so running it twice changes
nothing. Figures come from a random generator seeded by the bureau code, so they are stable.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from indicators.models import IndicatorDefinition, IndicatorValue

from .demo_text import AREA_WORD, PLAN, PROBLEMS, RETURN_FLAGS, figures, rate, work_done
from .models import Bureau, Membership, Report, ReportingPeriod, ReviewComment, Section, Transition
from .selectors.timeliness import days_late
from .services.reports import report_create
from .services.versions import version_write

DEMO_PASSWORD = "jiankang-2026"

# code, name, short name, level, parent code, login stem
BUREAUS = [
    ("340000", "安徽省卫生健康委员会", "省卫健委", "province", None, "anhui"),
    ("341800", "宣城市卫生健康委员会", "宣城市卫健委", "city", "340000", "xuancheng"),
    ("341802", "宣州区卫生健康委员会", "宣州区卫健委", "county", "341800", "xuanzhou"),
    ("341821", "郎溪县卫生健康委员会", "郎溪县卫健委", "county", "341800", "langxi"),
    ("341882", "广德市卫生健康委员会", "广德市卫健委", "county", "341800", "guangde"),
    ("340200", "芜湖市卫生健康委员会", "芜湖市卫健委", "city", "340000", "wuhu"),
    ("340202", "镜湖区卫生健康委员会", "镜湖区卫健委", "county", "340200", "jinghu"),
    ("340223", "南陵县卫生健康委员会", "南陵县卫健委", "county", "340200", "nanling"),
    ("150000", "内蒙古自治区卫生健康委员会", "自治区卫健委", "province", None, "neimenggu"),
    ("150100", "呼和浩特市卫生健康委员会", "呼和浩特市卫健委", "city", "150000", "huhehaote"),
    ("150121", "土默特左旗卫生健康委员会", "土左旗卫健委", "county", "150100", "tuzuoqi"),
]

# Place words used in the prose for each county-level bureau ("全区", "全县", "全市", "全旗").

# Previous year: all approved but one submitted. Current year: drafts, one submitted, one returned.
PREVIOUS_YEAR_STATES = {"341821": Report.State.SUBMITTED}
CURRENT_YEAR_STATES = {"341882": Report.State.SUBMITTED, "340202": Report.State.RETURNED}


@dataclass
class Persona:
    username: str
    password: str
    role: str
    bureau_code: str
    name: str


def personas() -> list[Persona]:
    has_children = {parent for *_, parent, _stem in BUREAUS if parent}
    out = []
    for code, _name, short, _level, _parent, stem in BUREAUS:
        out.append(Persona(f"{stem}_staff", DEMO_PASSWORD, "staff", code, f"{short}填报员"))
        if code in has_children:
            out.append(Persona(f"{stem}_reviewer", DEMO_PASSWORD, "reviewer", code, f"{short}审核员"))
    out.append(Persona("admin", DEMO_PASSWORD, "admin", "340000", "系统管理员"))
    return out


def bureaus_json() -> list[dict]:
    return [
        {"code": code, "name": name, "parent_code": parent, "level": level}
        for code, name, _short, level, parent, _stem in BUREAUS
    ]


def _ensure_catalogue() -> None:
    if not IndicatorDefinition.objects.exists():
        call_command("loaddata", "indicators.json", verbosity=0)
    from .models import SkeletonSection

    if not SkeletonSection.objects.exists():
        call_command("loaddata", "skeletons.json", verbosity=0)


def _ensure_bureaus() -> dict[str, Bureau]:
    made: dict[str, Bureau] = {}
    for code, name, short, level, parent, _stem in BUREAUS:
        bureau, _ = Bureau.objects.get_or_create(
            code=code,
            # the demo's bureaus stand for ones that were always there: held to every deadline
            defaults={
                "name": name,
                "short_name": short,
                "level": level,
                "parent": made.get(parent),
                "created_on": None,
            },
        )
        made[code] = bureau
    return made


def _ensure_personas(bureaus: dict[str, Bureau]):
    User = get_user_model()
    users = {}
    for p in personas():
        user, created = User.objects.get_or_create(
            username=p.username,
            defaults={
                "first_name": p.name,
                "email": f"{p.username}@example.org",
                "is_staff": p.role == "admin",
                "is_superuser": p.role == "admin",
            },
        )
        if created:
            user.set_password(p.password)
            user.save(update_fields=["password"])
        Membership.objects.get_or_create(user=user, bureau=bureaus[p.bureau_code], role=p.role)
        users[(p.bureau_code, p.role)] = user
    return users


def _ensure_periods(today: datetime.date) -> tuple[ReportingPeriod, ReportingPeriod]:
    def period(year: int, kind: str, is_open: bool) -> ReportingPeriod:
        start, end, deadline = ReportingPeriod.default_dates(year, kind)
        obj, _ = ReportingPeriod.objects.get_or_create(
            year=year, kind=kind, defaults={"start": start, "end": end, "deadline": deadline, "is_open": is_open}
        )
        return obj

    previous = period(today.year - 1, ReportingPeriod.Kind.ANNUAL, True)
    period(today.year, ReportingPeriod.Kind.H1, False)
    current = period(today.year, ReportingPeriod.Kind.ANNUAL, True)
    return previous, current


def _fill_report(report: Report, code: str, f: dict, user) -> None:
    area = AREA_WORD.get(code, "全区")
    roots = {s.kind: s for s in Section.objects.filter(report=report, parent=None)}
    work = roots[Section.Kind.WORK_DONE]
    existing = list(Section.objects.filter(parent=work).order_by("position"))
    pos = len(existing)
    # Carried-over plan items get a short account of what was done.
    for s in existing:
        s.body = f"按年初计划推进“{s.heading}”，各项任务按时序完成，群众反映良好。"
        s.save()
    for heading, paragraphs, items in work_done(area, f):
        pos += 1
        sec = Section.objects.create(
            report=report, parent=work, position=pos, kind=work.kind, heading=heading, body="\n".join(paragraphs)
        )
        for i, (h, text) in enumerate(items, start=1):
            Section.objects.create(report=report, parent=sec, position=i, kind=work.kind, heading=h, body=text)
    work.body = f"本年度，{area}卫生健康系统围绕健康县域建设目标，统筹推进各项重点工作，主要情况如下。"
    work.save()
    for i, (h, text) in enumerate(PROBLEMS, start=1):
        Section.objects.create(
            report=report,
            parent=roots[Section.Kind.PROBLEMS],
            position=i,
            kind=Section.Kind.PROBLEMS,
            heading=h,
            body=text,
        )
    for i, (h, text) in enumerate(PLAN, start=1):
        Section.objects.create(
            report=report, parent=roots[Section.Kind.PLAN], position=i, kind=Section.Kind.PLAN, heading=h, body=text
        )
    for kind in (Section.Kind.PROBLEMS, Section.Kind.PLAN):
        roots[kind].body = ""
        roots[kind].save()
    _fill_values(report, f, user)


def _fill_values(report: Report, f: dict, user) -> None:
    defs = {d.slug: d for d in IndicatorDefinition.objects.all()}
    rows = {
        "population": (f["population"], None, None),
        "fds_coverage": (f["fds_rate"], f["fds_num"], f["population"]),
        "elderly_mgmt": (rate(f["elderly_done"], f["elderly"], 100), f["elderly_done"], f["elderly"]),
        "htn_std_mgmt": (rate(f["htn_std"], f["htn_managed"], 100), f["htn_std"], f["htn_managed"]),
        "t2dm_std_mgmt": (rate(f["t2dm_std"], f["t2dm_managed"], 100), f["t2dm_std"], f["t2dm_managed"]),
        "infant_mortality": (rate(f["infant_deaths"], f["live_births"], 1000), f["infant_deaths"], f["live_births"]),
        "maternal_mortality": (
            rate(f["maternal_deaths"], f["live_births"], 100000),
            f["maternal_deaths"],
            f["live_births"],
        ),
        "nip_vaccination": (rate(f["vacc_done"], f["vacc_due"], 100), f["vacc_done"], f["vacc_due"]),
        "doctors_per_1000": (rate(f["doctors"], f["population"], 1000), f["doctors"], f["population"]),
        "two_cancer_screened": (f["screened"], None, None),
        "childcare_slots": (f["slots"], None, None),
        "bphs_funds": (f["funds"], None, None),
        "project_investment": (f["investment"], None, None),
        "penalty_cases": (f["cases"], None, None),
        "fines": (f["fines"], None, None),
        "blood_donations": (f["donations"], None, None),
    }
    IndicatorValue.objects.bulk_create(
        [
            IndicatorValue(
                report=report,
                definition=defs[slug],
                value=value,
                numerator=num,
                denominator=den,
                updated_by=user,
                note="含1例外地户籍孕产妇" if slug == "maternal_mortality" and value and value > 30 else "",
            )
            for slug, (value, num, den) in rows.items()
            if slug in defs
        ]
    )


def _flag_sections(report: Report, transition: Transition, reviewer) -> None:
    """The demo return flags two sections, as a reviewer would."""
    sections = {s.heading: s for s in Section.objects.filter(report=report, heading__in=[h for h, _ in RETURN_FLAGS])}
    ReviewComment.objects.bulk_create(
        [
            ReviewComment(report=report, transition=transition, section=sections[h], author=reviewer, text=text)
            for h, text in RETURN_FLAGS
            if h in sections
        ]
    )


def _move(report: Report, to_state: str, *, clerk, reviewer, when: datetime.datetime) -> None:
    """Walk the report to a demo state, leaving the same trail the workflow would."""
    steps = {
        Report.State.SUBMITTED: [("draft", "submitted", clerk, "")],
        Report.State.APPROVED: [("draft", "submitted", clerk, ""), ("submitted", "approved", reviewer, "同意。")],
        Report.State.RETURNED: [
            ("draft", "submitted", clerk, ""),
            ("submitted", "returned", reviewer, "请补充妇幼健康部分的具体数据，并核对问题部分的表述。"),
        ],
    }[to_state]
    for from_state, state, actor, comment in steps:
        if state == Report.State.SUBMITTED:
            version_write(report=report, acting_user=actor)  # each submission freezes a version
        transition = Transition.objects.create(
            report=report, actor=actor, from_state=from_state, to_state=state, comment=comment
        )
        # Backdate the step to the demo's story (submitted before the deadline, decided days later).
        at = when if state == Report.State.SUBMITTED else when + datetime.timedelta(days=3)
        Transition.objects.filter(pk=transition.pk).update(created_at=at)
        if state == Report.State.RETURNED:
            _flag_sections(report, transition, reviewer)
    # Started a few weeks before it was first sent (the history page begins with it).
    Report.objects.filter(pk=report.pk, created_at__gt=when).update(created_at=when - datetime.timedelta(days=21))
    report.refresh_from_db(fields=["created_at"])
    report.state = to_state
    report.submitted_at = report.first_submitted_at = when
    report.days_late = days_late(period=report.period, bureau=report.bureau, submitted=when)
    if to_state == Report.State.APPROVED:
        report.approved_at = when + datetime.timedelta(days=3)
    report.save()


@transaction.atomic
def seed(*, today: datetime.date | None = None) -> None:
    today = today or timezone.localdate()
    _ensure_catalogue()
    bureaus = _ensure_bureaus()
    users = _ensure_personas(bureaus)
    previous, current = _ensure_periods(today)
    for code, *_rest in BUREAUS:
        bureau = bureaus[code]
        if bureau.level != Bureau.Level.COUNTY:
            continue
        clerk = users[(code, "staff")]
        reviewer = users[(bureau.parent.code, "reviewer")]
        for period, carry, states in ((previous, False, PREVIOUS_YEAR_STATES), (current, True, CURRENT_YEAR_STATES)):
            if Report.objects.filter(bureau=bureau, period=period).exists():
                continue
            report = report_create(
                bureau=bureau, period=period, acting_user=clerk, carry_over_plan=carry, check_permission=False
            )
            _fill_report(report, code, figures(code, period.year), clerk)
            default = Report.State.APPROVED if period == previous else Report.State.DRAFT
            state = states.get(code, default)
            if state != Report.State.DRAFT:
                due = timezone.make_aware(datetime.datetime.combine(period.deadline, datetime.time(10)))
                when = min(due - datetime.timedelta(days=2), timezone.now() - datetime.timedelta(days=4))
                _move(report, state, clerk=clerk, reviewer=reviewer, when=when)


# ----- scaled-up demo for load tests --------------------------------------------------------------

SCALE_CITIES = ("341800", "340200", "150100")  # extra counties are spread over these cities
SCALE_FIRST_SUFFIX = 30  # codes <city prefix>30..99; the real demo counties stay below


def scaled_codes(n: int) -> list[tuple[str, str]]:
    """(county code, parent city code) for the first `n` extra counties, stable across runs; codes
    <city prefix>30..99, skipping the real demo counties."""
    taken = {b[0] for b in BUREAUS}
    pool = [
        (f"{city[:4]}{suffix:02d}", city)
        for suffix in range(SCALE_FIRST_SUFFIX, 100)
        for city in SCALE_CITIES
        if f"{city[:4]}{suffix:02d}" not in taken
    ]
    if n > len(pool):
        raise ValueError(f"at most {len(pool)} extra bureaus")
    return pool[:n]


@transaction.atomic
def seed_scaled(n: int, *, today: datetime.date | None = None) -> None:
    """The demo plus `n` extra county bureaus, each with a clerk (`c<code>_staff`) and two filled
    reports: last year's approved, this year's a draft (every third one submitted). Idempotent."""
    seed(today=today)
    today = today or timezone.localdate()
    previous, current = _ensure_periods(today)
    User = get_user_model()
    for code, city_code in scaled_codes(n):
        city = Bureau.objects.get(code=city_code)
        bureau, _ = Bureau.objects.get_or_create(
            code=code,
            defaults={
                "name": f"测试{code}县卫生健康局",
                "short_name": f"测试{code}",
                "level": "county",
                "parent": city,
                "created_on": None,
            },
        )
        clerk, created = User.objects.get_or_create(
            username=f"c{code}_staff", defaults={"first_name": f"测试{code}填报员", "email": f"c{code}@example.org"}
        )
        if created:
            clerk.set_password(DEMO_PASSWORD)
            clerk.save(update_fields=["password"])
        Membership.objects.get_or_create(user=clerk, bureau=bureau, role=Membership.Role.STAFF)
        reviewer = Membership.objects.filter(bureau=city, role=Membership.Role.REVIEWER).first().user
        for period, carry in ((previous, False), (current, True)):
            if Report.objects.filter(bureau=bureau, period=period).exists():
                continue
            report = report_create(
                bureau=bureau, period=period, acting_user=clerk, carry_over_plan=carry, check_permission=False
            )
            _fill_report(report, code, figures(code, period.year), clerk)
            if period == previous:
                state = Report.State.APPROVED
            else:
                state = Report.State.SUBMITTED if int(code[-2:]) % 3 == 0 else Report.State.DRAFT
            if state != Report.State.DRAFT:
                when = timezone.now() - datetime.timedelta(days=4)
                _move(report, state, clerk=clerk, reviewer=reviewer, when=when)
