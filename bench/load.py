"""Load test: the app under gunicorn on PostgreSQL, driven by a realistic mix from separate processes.

    .venv/bin/python bench/load.py                  # 30 s of mix, then 30 s of /healthz (the ceiling)
    .venv/bin/python bench/load.py --seconds 10 --scale 30 --workers 3 --clients 12
    .venv/bin/python bench/load.py --smoke           # CI: a few seconds of each phase on the bare demo

On a machine shared with others, BENCH_DB_PREFIX (default hr_) names the throw-away database and
BENCH_PORT_RANGE (e.g. 8190-8199) the ports it may listen on.

What it does, all on 127.0.0.1 and bounded in time:
1. creates a throw-away PostgreSQL database (hr_load_<pid>), migrates it and seeds the demo scaled up
   (`seed_demo --scale N`: N extra county bureaus, each with a clerk and two filled reports);
2. runs `collectstatic` (skipped while var/staticfiles is newer than its sources) and starts gunicorn
   with DEBUG off (the production settings);
3. starts driver processes (multiprocessing, spawn); each runs client threads that log in through
   the real CSRF-protected form as a clerk / reviewer / administrator and then loop over the MIX
   table, picking rows by weight, until the time is up;
4. prints requests/second, p50/p95/p99 latency and errors per page, then the same for /healthz
   served by the same gunicorn (no database, no session: the ceiling), and the ratio;
5. stops gunicorn and drops the database.

Plain Python (http.client + threads + processes) rather than locust: no extra dependency, no gevent
monkey-patching near Django, the ceiling is measured by the same code in the same run, and every
loop is bounded. Rows whose URL still answers 501 (a placeholder) are listed as skipped, so when a
feature lands its row starts counting without editing this file.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing as mp
import os
import random
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
PASSWORD = "jiankang-2026"


# ----- the mix ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    page: str  # label in the output
    weight: int  # relative frequency
    who: str  # "clerk", "reviewer", "admin" or "anonymous"
    method: str
    path: str  # may use {own} (the clerk's current report), {section} (the client's own section of
    # it), {approved} (an approved report below the reviewer), {submitted} (a submitted report of the
    # reviewer's children)
    expect: tuple[int, ...] = (200,)
    form: tuple[tuple[str, str], ...] = ()  # POST fields (the CSRF token is added)
    section_save: bool = False  # POST the client's section with the version it last saw (see below)


MIX: list[Row] = [
    Row("home (clerk)", 25, "clerk", "GET", "/"),
    Row("editor (clerk)", 15, "clerk", "GET", "/reports/{own}/edit/"),
    # A clerk saves a section as editor.js does (X-Requested-With: fetch, JSON answer). Each client
    # has a section of its own, but two clients may draw the same clerk and section: a 409 (someone
    # saved it since) is an expected outcome, counted apart; the client then saves over it.
    Row(
        "section save (clerk)",
        10,
        "clerk",
        "POST",
        "/reports/{own}/edit/sections/{section}/",
        (200, 409),
        section_save=True,
    ),
    Row("indicators (clerk)", 5, "clerk", "GET", "/reports/{own}/edit/?tab=indicators"),
    Row("report view (clerk)", 10, "clerk", "GET", "/reports/{own}/"),
    Row("log in (clerk)", 2, "anonymous", "POST", "/accounts/login/", (302,)),
    Row("home (reviewer)", 10, "reviewer", "GET", "/"),
    Row("review overview", 10, "reviewer", "GET", "/review/"),
    Row("review a report", 5, "reviewer", "GET", "/reports/{submitted}/review/"),
    Row("PDF download", 8, "reviewer", "GET", "/reports/{approved}/pdf/"),
    Row("Word download", 2, "reviewer", "GET", "/reports/{approved}/docx/"),
    Row("admin audit trail", 2, "admin", "GET", "/admin/reports/auditevent/"),
    Row("log-in page", 3, "anonymous", "GET", "/accounts/login/"),
]
CEILING = Row("healthz (ceiling)", 1, "anonymous", "GET", "/healthz")


# ----- HTTP client with a session -----------------------------------------------------------------


class Session:
    """One user's cookies over one keep-alive connection (reconnects when gunicorn closes it)."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.location = ""  # of the last answer (a redirect's target)
        self.conn = http.client.HTTPConnection(HOST, port, timeout=60)

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None, extra: dict[str, str] | None = None
    ) -> tuple[int, bytes]:
        headers = {
            "Host": HOST,
            "X-Forwarded-Proto": "https",  # as nginx sets it: the app runs with its HTTPS settings
            "Accept-Language": "zh-CN,zh;q=0.9",
            **(extra or {}),
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            form = {**form, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"https://{HOST}"
            headers["Referer"] = f"https://{HOST}{path}"
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()
                if attempt:
                    raise
        for header in response.msg.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if "expires=Thu, 01 Jan 1970" in header or "Max-Age=0" in header:
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = value
        self.location = response.getheader("Location", "")
        if response.getheader("Connection", "").lower() == "close":
            self.conn.close()
        return response.status, data

    def log_in(self, username: str) -> None:
        self.request("GET", "/accounts/login/")
        status, _ = self.request("POST", "/accounts/login/", {"username": username, "password": PASSWORD})
        if status != 302:
            raise RuntimeError(f"log-in of {username} answered {status}")


# ----- the driver (runs in separate processes) ----------------------------------------------------


def _percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return float("nan")
    k = min(len(sorted_values) - 1, max(0, round(q / 100 * (len(sorted_values) - 1))))
    return sorted_values[k]


def _client_thread(port, rows, targets, seconds, barrier, seed, out):
    try:
        _client_loop(port, rows, targets, seconds, barrier, seed, out)
    except Exception as exc:  # a client that cannot even log in is an error, not a silent gap
        barrier.abort()
        out.append(("client setup", 0.0, f"{type(exc).__name__}: {exc}", 0))


def _client_loop(port, rows, targets, seconds, barrier, seed, out):
    rnd = random.Random(seed)
    clerk = rnd.choice(targets["clerks"])
    # a reviewer with both a submitted and an approved report below them, where there is one (a small
    # --smoke data set has city reviewers with neither: their rows would ask for report 0, a 404)
    reviewer = rnd.choice([r for r in targets["reviewers"] if r["submitted"] and r["approved"]] or targets["reviewers"])
    sessions = {"anonymous": Session(port)}
    for who, username in (("clerk", clerk["username"]), ("reviewer", reviewer["username"]), ("admin", "admin")):
        if any(r.who == who for r in rows):
            sessions[who] = Session(port)
            sessions[who].log_in(username)
    section = clerk["sections"][seed % len(clerk["sections"])]
    version, saves = section["version"], 0
    fill = {
        "own": clerk["report"],
        "section": section["id"],
        "approved": rnd.choice(reviewer["approved"] or [0]),
        "submitted": rnd.choice(reviewer["submitted"] or [0]),
    }
    weights = [r.weight for r in rows]
    barrier.wait()  # every client logged in (PBKDF2 is slow on purpose): now the clock starts
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        row = rnd.choices(rows, weights)[0]
        session = sessions[row.who]
        form = dict(row.form) if row.method == "POST" else None
        extra = None
        if row.section_save:
            saves += 1
            prefix = f"s{section['id']}"
            form = {
                f"{prefix}-heading": section["heading"],
                f"{prefix}-body": f"{section['body']}\n（负载测试第{saves}次保存）",
                f"{prefix}-version": str(version),
            }
            extra = {"X-Requested-With": "fetch"}
        if row.page.startswith("log in"):
            session = Session(port)  # a fresh visitor: form page, then the POST
            session.request("GET", "/accounts/login/")
            form = {"username": clerk["username"], "password": PASSWORD}
        started = time.perf_counter()
        status = 0
        try:
            status, body = session.request(row.method, row.path.format(**fill), form, extra)
            error = None if status in row.expect else f"HTTP {status}"
            if row.section_save and not error:
                version = _saved_version(status, body, section["id"])
        except Exception as exc:  # counted, and the loop goes on
            error = type(exc).__name__
        elapsed = (time.perf_counter() - started) * 1000
        out.append((row.page, elapsed, error, status))


def _saved_version(status: int, body: bytes, section_id: int) -> int:
    """The section's version after a save, from the JSON answer; a 409 carries the other person's
    version, so the next save replaces it."""
    return int(json.loads(body)["version"])


def drive(port: int, rows: list[Row], targets: dict, seconds: float, clients: int, seed: int, queue) -> None:
    """One driver process: `clients` threads until the deadline; sends its samples back."""
    import threading

    barrier = threading.Barrier(clients, timeout=300)
    samples: list[tuple[str, float, str | None, int]] = []
    threads = [
        threading.Thread(target=_client_thread, args=(port, rows, targets, seconds, barrier, seed * 1000 + i, samples))
        for i in range(clients)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 400)
    queue.put(samples)


def run_phase(port: int, rows: list[Row], targets: dict, seconds: float, processes: int, clients: int) -> dict:
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    per_process = max(1, clients // processes)
    procs = [
        ctx.Process(target=drive, args=(port, rows, targets, seconds, per_process, i, queue)) for i in range(processes)
    ]
    started = time.monotonic()
    for p in procs:
        p.start()
    samples = []
    for _ in procs:
        samples.extend(queue.get(timeout=seconds + 300))
    for p in procs:
        p.join(30)
    wall = time.monotonic() - started
    return summarise(samples, seconds, wall)


def summarise(samples, seconds: float, wall: float) -> dict:
    pages: dict[str, dict] = {}
    for page, ms, error, status in samples:
        entry = pages.setdefault(page, {"ms": [], "errors": 0, "kinds": {}, "conflicts": 0})
        entry["ms"].append(ms)
        entry["conflicts"] += status == 409 and not error
        if error:
            entry["errors"] += 1
            entry["kinds"][error] = entry["kinds"].get(error, 0) + 1
    out = {}
    for page, entry in pages.items():
        ms = sorted(entry["ms"])
        out[page] = {
            "requests": len(ms),
            "rps": len(ms) / seconds,
            "p50": _percentile(ms, 50),
            "p95": _percentile(ms, 95),
            "p99": _percentile(ms, 99),
            "mean": statistics.fmean(ms),
            "errors": entry["errors"],
            "error_kinds": entry["kinds"],
            "conflicts": entry["conflicts"],
        }
    total = len(samples)
    return {"pages": out, "total": total, "rps": total / seconds, "errors": sum(p["errors"] for p in out.values())}


# ----- setting up: database, seed, gunicorn (bench/cluster.py uses these too) ----------------------


def free_port() -> int:
    """A free port on 127.0.0.1: the first free one in BENCH_PORT_RANGE (e.g. 8190-8199, on a machine
    shared with others), else one the system picks."""
    low, _, high = os.environ.get("BENCH_PORT_RANGE", "0-0").partition("-")
    for port in range(int(low), int(high or low) + 1):
        with socket.socket() as s:
            try:
                s.bind((HOST, port))
            except OSError:
                continue
            return s.getsockname()[1]
    raise SystemExit(f"no free port in BENCH_PORT_RANGE={os.environ['BENCH_PORT_RANGE']}")


def db_name(kind: str) -> str:
    """A throw-away database's name: BENCH_DB_PREFIX (default hr_), the bench, this process."""
    return f"{os.environ.get('BENCH_DB_PREFIX', 'hr_')}{kind}_{os.getpid()}"


def app_env(database_url: str, **extra: str) -> dict:
    """The environment of the app in production mode (DEBUG off) on a throw-away database."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        "CONN_MAX_AGE": "60",
        "LOG_LEVEL": "ERROR",
        "PYTHONUNBUFFERED": "1",
        "TWO_FACTOR_REQUIRED": "0",  # the mix measures pages, not authenticator codes
        **extra,
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def manage(env: dict, *args: str, cwd: Path = ROOT) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=1800
    )
    if result.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def shell_json(env: dict, script: str, cwd: Path = ROOT):
    """Run a `manage.py shell` script that prints RESULT<json> and return the JSON."""
    out = manage(env, "shell", "-c", script, cwd=cwd)
    return json.loads(out[out.index("RESULT") + len("RESULT") :])


TARGETS_SCRIPT = r"""
import json
from reports.models import Membership, Report, Section
clerks, reviewers = [], []
for m in Membership.objects.filter(role="staff", bureau__level="county").select_related("user", "bureau"):
    report = (
        Report.objects.filter(bureau=m.bureau, state__in=Report.EDITABLE_STATES)
        .order_by("-period__year", "period__start", "-period__end")
        .first()
    )
    sections = Section.objects.filter(report=report, children__isnull=True).values("id", "version", "heading", "body")
    if report and sections:
        clerks.append({"username": m.user.username, "report": report.pk, "sections": list(sections)})
for m in Membership.objects.filter(role="reviewer", bureau__level="city").select_related("user", "bureau"):
    below = Report.objects.filter(bureau__parent=m.bureau)
    reviewers.append({
        "username": m.user.username,
        "approved": list(below.filter(state="approved").values_list("pk", flat=True)),
        "submitted": list(below.filter(state="submitted").values_list("pk", flat=True)),
    })
print("RESULT" + json.dumps({"clerks": clerks, "reviewers": reviewers}))
"""


def prepare_database(env: dict, scale: int) -> dict:
    """Migrate and seed the demo scaled up; returns the clerks and reviewers the mix logs in as."""
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "seed_demo", "--scale", str(scale))
    return shell_json(env, TARGETS_SCRIPT)


def collect_static(env: dict) -> None:
    """collectstatic into var/staticfiles (hashed and compressed: minutes of CPU for the CJK fonts on
    a busy machine), unless its manifest is newer than every source file there."""
    manifest = ROOT / "var" / "staticfiles" / "staticfiles.json"
    sources = [p for d in [ROOT / "static", *ROOT.glob("*/static")] for p in d.rglob("*") if p.is_file()]
    if manifest.exists() and manifest.stat().st_mtime > max(p.stat().st_mtime for p in sources):
        return
    manage(env, "collectstatic", "--noinput", "-v0")


def start_gunicorn(env: dict, port: int, workers: int, log_path: Path, cwd: Path = ROOT) -> subprocess.Popen:
    """gunicorn (sync workers) on 127.0.0.1:port in its own process group; waits until it listens."""
    command = [str(Path(sys.executable).with_name("gunicorn")), "healthreports.wsgi", "--bind", f"{HOST}:{port}"]
    command += ["--workers", str(workers), "--worker-class", "sync", "--timeout", "60", "--error-logfile", "-"]
    return start(command, env, log_path, cwd, port)


def start(command: list[str], env: dict, log_path: Path, cwd: Path = ROOT, port: int | None = None):
    """A server process in its own process group, its output in log_path; when `port` is given,
    waits (30 s at most) until it accepts connections there."""
    log = open(log_path, "w")
    proc = subprocess.Popen(command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    if port is None:
        return proc
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with socket.create_connection((HOST, port), timeout=1):
                return proc
        except OSError:
            time.sleep(0.2)
    stop(proc)
    raise SystemExit(f"{Path(command[0]).name} did not start on port {port}; see {log_path}")


def stop(proc: subprocess.Popen | None) -> None:
    if proc is None or proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(5)


def server_errors(log_path: Path) -> int:
    return len(re.findall(r"\[ERROR\]|Traceback", log_path.read_text()))


def probe_rows(port: int, targets: dict, skip: list[str]) -> tuple[list[Row], list[Row]]:
    """Which rows exist yet? A placeholder answers 501: skip its row, say so. Each row is probed as
    the persona that will request it (no 403s in the server's log)."""
    clerk = targets["clerks"][0]
    reviewer = max(targets["reviewers"], key=lambda r: len(r["submitted"]))
    probes = {"anonymous": Session(port)}
    for who, username in (("clerk", clerk["username"]), ("reviewer", reviewer["username"]), ("admin", "admin")):
        probes[who] = Session(port)
        probes[who].log_in(username)
    rows, skipped = [], []
    sample_fill = {
        "own": clerk["report"],
        "section": clerk["sections"][0]["id"],
        "approved": reviewer["approved"][0],
        "submitted": (reviewer["submitted"] or [0])[0],
    }
    for row in MIX:
        if any(word in row.page for word in skip):
            continue
        if row.method == "GET":
            status, _ = probes[row.who].request("GET", row.path.format(**sample_fill))
        else:
            status = 200
        (skipped if status == 501 else rows).append(row)
    return rows, skipped


def add_arguments(parser: argparse.ArgumentParser, *, seconds: float, scale: int, workers: int) -> None:
    """The options bench/load.py and bench/cluster.py share."""
    parser.add_argument("--seconds", type=float, default=seconds, help="duration of each phase (mix, then ceiling)")
    parser.add_argument("--scale", type=int, default=scale, help="extra county bureaus (seed_demo --scale)")
    parser.add_argument("--workers", type=int, default=workers, help="gunicorn workers (per app server)")
    parser.add_argument("--processes", type=int, default=2, help="driver processes")
    parser.add_argument("--clients", type=int, default=16, help="client threads in all")
    parser.add_argument("--pg", default=os.environ.get("LOAD_PG", "postgres://postgres@127.0.0.1:5432"))
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--skip", action="append", default=[], help="leave out mix rows whose page contains this")
    parser.add_argument(
        "--smoke", action="store_true", help="CI: seconds, small data (3 s phases, scale 0, 2 clients, 2 workers)"
    )


def parse_args(parser: argparse.ArgumentParser) -> argparse.Namespace:
    args = parser.parse_args()
    if args.smoke:
        args.seconds, args.scale, args.workers, args.processes, args.clients = 3.0, 0, 2, 1, 2
    if not 1 <= args.seconds <= 600:
        raise SystemExit("--seconds must be between 1 and 600")
    return args


def measure(port: int, targets: dict, args: argparse.Namespace) -> tuple[dict, dict, list[Row]]:
    """The mix, then /healthz (the ceiling), through `port`; prints the table."""
    rows, skipped = probe_rows(port, targets, args.skip)
    mix = run_phase(port, rows, targets, args.seconds, args.processes, args.clients)
    ceiling = run_phase(port, [CEILING], targets, args.seconds, args.processes, args.clients)
    report(mix, ceiling, skipped)
    if args.json:
        Path(args.json).write_text(json.dumps({"mix": mix, "ceiling": ceiling}, indent=2, ensure_ascii=False))
    return mix, ceiling, skipped


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_arguments(parser, seconds=30.0, scale=60, workers=max(2, (os.cpu_count() or 1) * 2))
    args = parse_args(parser)

    db = db_name("load")
    env = app_env(f"{args.pg}/{db}")
    subprocess.run(["createdb", "-h", HOST, "-U", "postgres", db], check=True)
    gunicorn = None
    log_path = Path(f"/tmp/{db}-gunicorn.log")
    try:
        t0 = time.monotonic()
        targets = prepare_database(env, args.scale)
        collect_static(env)
        print(
            f"setup: database {db}, {len(targets['clerks'])} clerks with reports, "
            f"{len(targets['reviewers'])} city reviewers, {time.monotonic() - t0:.0f} s"
        )
        port = free_port()
        gunicorn = start_gunicorn(env, port, args.workers, log_path)
        print(
            f"gunicorn: {args.workers} sync workers on {HOST}:{port}; drivers: {args.processes} processes, "
            f"{args.clients} client threads; {args.seconds:.0f} s per phase; {os.cpu_count()} CPUs shared"
        )
        mix, ceiling, _skipped = measure(port, targets, args)
        print(f"\ngunicorn error log entries: {server_errors(log_path)} ({log_path})")
        if mix["errors"] or ceiling["errors"]:
            sys.exit(1)
    finally:
        stop(gunicorn)
        subprocess.run(["dropdb", "-h", HOST, "-U", "postgres", "--if-exists", "--force", db], check=False)


def report(mix: dict, ceiling: dict, skipped: list[Row]) -> None:
    header = f"{'page':<24}{'requests':>9}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}"
    print("\n" + header + "\n" + "-" * len(header))
    for page, f in sorted(mix["pages"].items(), key=lambda kv: -kv[1]["requests"]):
        print(
            f"{page:<24}{f['requests']:>9}{f['rps']:>9.1f}{f['p50']:>9.1f}{f['p95']:>9.1f}{f['p99']:>9.1f}{f['errors']:>8}"
            + (f"  {f['error_kinds']}" if f["errors"] else "")
            + (f"  ({f['conflicts']} × 409 conflict, expected)" if f["conflicts"] else "")
        )
    print(f"{'all pages (mix)':<24}{mix['total']:>9}{mix['rps']:>9.1f}{'':>27}{mix['errors']:>8}")
    for page, f in ceiling["pages"].items():
        print(
            f"{page:<24}{f['requests']:>9}{f['rps']:>9.1f}{f['p50']:>9.1f}{f['p95']:>9.1f}{f['p99']:>9.1f}{f['errors']:>8}"
        )
    if ceiling["rps"]:
        print(f"\nmix throughput / ceiling: {mix['rps'] / ceiling['rps']:.2f}")
    if skipped:
        print("skipped (placeholder, answers 501): " + ", ".join(r.page for r in skipped))


if __name__ == "__main__":
    main()
