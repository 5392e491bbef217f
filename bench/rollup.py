"""Benchmark: the province roll-up (indicators.rollup.rollup_compute) against one hand-written SQL
GROUP BY over the same rows, in the same run, on PostgreSQL.

    /work/main/.venv/bin/python bench/rollup.py [--keep] [--runs 9]
    /work/main/.venv/bin/python bench/rollup.py --smoke     # CI: small data, one run (seconds)

Builds a throw-away database (created and dropped here) holding 1 province, 30 cities and 2,970
counties (3,001 bureaus), 40 indicators and 5 annual periods: one report per bureau and year, 40
values each (about 600,000 values), bulk-loaded with COPY. Then times, interleaved, the median of
several runs of
  - the selector as the province reviewer and as the province administrator sees it (every query
    it makes: catalogue, aggregate, counted reports, expected children, rates lacking parts), and
  - the hand-written GROUP BY (same rows: the period, the subtree by path, submitted or approved,
    leaf bureaus only),
and prints the ratio (must stay under 3; goal under 1.5).
"""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

import psycopg2

ROOT = Path(__file__).resolve().parent.parent
SERVER = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
DB_NAME = f"{os.environ.get('BENCH_DB_PREFIX', 'hr_')}bench_rollup_{os.getpid()}"

HAND_SQL = """
SELECT v.definition_id,
       SUM(v.value), COUNT(v.value),
       SUM(v.numerator) FILTER (WHERE v.numerator IS NOT NULL AND v.denominator IS NOT NULL),
       SUM(v.denominator) FILTER (WHERE v.numerator IS NOT NULL AND v.denominator IS NOT NULL),
       COUNT(*) FILTER (WHERE v.numerator IS NOT NULL AND v.denominator IS NOT NULL)
FROM indicators_indicatorvalue v
JOIN reports_report r ON r.id = v.report_id
JOIN reports_bureau b ON b.id = r.bureau_id
WHERE r.period_id = %s AND b.path LIKE %s AND b.id <> %s
  AND r.state IN ('submitted', 'approved')
  AND NOT EXISTS (SELECT 1 FROM reports_bureau c WHERE c.parent_id = b.id)
GROUP BY v.definition_id
"""


def admin_connection():
    conn = psycopg2.connect(f"{SERVER}/postgres")
    conn.autocommit = True
    return conn


def setup_django() -> None:
    os.environ["DATABASE_URL"] = f"{SERVER}/{DB_NAME}"
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "healthreports.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def build(n_cities: int = 30, n_counties: int = 99, years=range(2021, 2026), n_indicators: int = 40) -> dict:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection

    from indicators.models import IndicatorDefinition
    from reports.models import Bureau, Membership, Report, ReportingPeriod

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("loaddata", "indicators.json", verbosity=0)
    definitions = list(IndicatorDefinition.objects.order_by("topic", "position"))[:n_indicators]

    province = Bureau.objects.create(code="990000", name="基准省卫健委", level=Bureau.Level.PROVINCE)
    cities = Bureau.objects.bulk_create(
        [
            Bureau(
                code=f"99{c:02d}00",
                name=f"基准{c}市卫健委",
                level=Bureau.Level.CITY,
                parent=province,
                path=f"{province.path}99{c:02d}00/",
                depth=1,
            )
            for c in range(1, n_cities + 1)
        ]
    )
    counties = Bureau.objects.bulk_create(
        [
            Bureau(
                code=f"99{c:02d}{k:02d}",
                name=f"基准{c}市{k}县卫健委",
                level=Bureau.Level.COUNTY,
                parent=city,
                path=f"{city.path}99{c:02d}{k:02d}/",
                depth=2,
            )
            for c, city in enumerate(cities, start=1)
            for k in range(1, n_counties + 1)
        ],
        batch_size=2000,
    )
    bureaus = [province, *cities, *counties]
    periods = []
    for year in years:
        start, end, deadline = ReportingPeriod.default_dates(year, ReportingPeriod.Kind.ANNUAL)
        periods.append(
            ReportingPeriod.objects.create(year=year, kind="annual", start=start, end=end, deadline=deadline)
        )
    rnd = random.Random(42)
    states = ["approved"] * 8 + ["submitted", "draft"]
    reports = Report.objects.bulk_create(
        [
            Report(bureau=b, period=p, title=f"{b.name}{p.year}年工作总结", state=rnd.choice(states))
            for b in bureaus
            for p in periods
        ],
        batch_size=5000,
    )
    buf = io.StringIO()
    for report in reports:
        for d in definitions:
            if d.is_rate:
                den = rnd.randrange(1000, 900000)
                num = rnd.randrange(0, den)
                if rnd.random() < 0.01:  # a few children give the rate without its parts
                    buf.write(f"{report.pk}\t{d.pk}\t{num / den * 100:.2f}\t\\N\t\\N\t\t1\tnow()\n")
                    continue
                value = d.compute_rate(Decimal(num), Decimal(den))
                buf.write(f"{report.pk}\t{d.pk}\t{value}\t{num}\t{den}\t\t1\tnow()\n")
            else:
                buf.write(f"{report.pk}\t{d.pk}\t{rnd.randrange(0, 100000)}\t\\N\t\\N\t\t1\tnow()\n")
    buf.seek(0)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            "COPY indicators_indicatorvalue (report_id, definition_id, value, numerator, denominator, note, "
            "version, updated_at) FROM STDIN",
            buf,
        )
        cursor.execute("ANALYZE")
    User = get_user_model()
    reviewer = User.objects.create(username="bench_reviewer")
    admin = User.objects.create(username="bench_admin")
    Membership.objects.create(user=reviewer, bureau=province, role=Membership.Role.REVIEWER)
    Membership.objects.create(user=admin, bureau=province, role=Membership.Role.ADMIN)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM indicators_indicatorvalue")
        (n_values,) = cursor.fetchone()
    return {
        "province": province,
        "period": periods[-1],
        "reviewer": reviewer,
        "admin": admin,
        "bureaus": len(bureaus),
        "reports": len(reports),
        "values": n_values,
        "indicators": len(definitions),
        "build_seconds": time.perf_counter() - t0,
    }


def measure(data: dict, runs: int) -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection

    from indicators.rollup import rollup_compute

    User = get_user_model()
    province, period = data["province"], data["period"]

    def selector(username: str):
        def run():
            user = User.objects.get(username=username)  # a fresh user: policy caches nothing between runs
            return rollup_compute(user=user, bureau=province, period=period)

        return run

    def hand():
        with connection.cursor() as cursor:
            cursor.execute(HAND_SQL, [period.pk, province.path + "%", province.pk])
            return cursor.fetchall()

    candidates = {
        "selector (province reviewer)": selector("bench_reviewer"),
        "selector (province admin)": selector("bench_admin"),
        "hand-written GROUP BY": hand,
    }
    for fn in candidates.values():  # warm the caches once
        fn()
    times: dict[str, list[float]] = {name: [] for name in candidates}
    for _ in range(runs):
        for name, fn in candidates.items():
            t = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t)
    medians = {name: statistics.median(ts) for name, ts in times.items()}

    # Same figures? (admin sees every submitted/approved leaf report, like the hand-written query.)
    result = rollup_compute(user=User.objects.get(username="bench_admin"), bureau=province, period=period)
    by_id = {row.definition.pk: row for row in result.rows}
    for def_id, total, _n, num, den, _wp in hand():
        row = by_id[def_id]
        assert row.method != "sum" or row.value == total, (def_id, row.value, total)
        assert row.method != "rate" or (row.numerator, row.denominator) == (num, den), def_id

    base = medians["hand-written GROUP BY"]
    print(
        f"data: {data['bureaus']} bureaus, {data['indicators']} indicators, {data['reports']} reports, "
        f"{data['values']} values (built in {data['build_seconds']:.1f} s)"
    )
    print(
        f"roll-up of {province.code} for {period.code}: {len(result.reports)} leaf reports counted; median of {runs} runs"
    )
    for name, median in medians.items():
        print(f"  {name:32s} {median * 1000:8.1f} ms   ratio {median / base:5.2f}")
    worst = max(m / base for name, m in medians.items() if name.startswith("selector"))
    print(f"worst ratio {worst:.2f} (must stay < 3, goal < 1.5): {'OK' if worst < 3 else 'TOO SLOW'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--keep", action="store_true", help="keep the database (its name is printed)")
    parser.add_argument("--smoke", action="store_true", help="CI: 3 cities × 5 counties, 2 years, 1 run")
    args = parser.parse_args()
    admin = admin_connection()
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{DB_NAME}"')
    try:
        setup_django()
        data = build(n_cities=3, n_counties=5, years=range(2024, 2026)) if args.smoke else build()
        measure(data, 1 if args.smoke else args.runs)
        if args.smoke:
            print("smoke run: the code paths work; at this size the ratio means nothing")
    finally:
        from django.db import connections

        connections.close_all()
        if args.keep:
            print(f"kept database {DB_NAME}")
        else:
            with admin.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}"')
        admin.close()


if __name__ == "__main__":
    main()
