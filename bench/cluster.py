"""Past one machine: two app servers behind nginx, sharing only PostgreSQL and the S3 store.

    .venv/bin/python bench/cluster.py                 # 20 s of mix, then 20 s of /healthz
    .venv/bin/python bench/cluster.py --smoke         # CI: a few seconds on the bare demo
    .venv/bin/python bench/cluster.py --pgbouncer     # the servers reach PostgreSQL through pgbouncer

Everything on 127.0.0.1, bounded in time, and stopped at the end:
1. Debian's nginx (installed with apt-get when missing and we are root, like `make sysdeps`),
   an S3-compatible server (moto's, from PyPI) with a fresh bucket, a throw-away PostgreSQL database
   (migrated and seeded once, as one server does per release);
2. two app servers, each a copy of the code in its own working directory (its own var/: MEDIA_ROOT,
   collected static files), gunicorn on a port of its own, and a task worker (`db_worker`) each; both
   servers share only the environment (SECRET_KEY, DATABASE_URL, GENERATED_STORAGE=s3);
3. nginx balancing the two (round robin, keep-alive), as docs/deploy.md configures it; with
   --pgbouncer, Debian's pgbouncer in transaction mode between the servers and PostgreSQL
   (PGBOUNCER=1: no persistent connections, no server-side cursors);
4. checks: a session started on server A works on server B; a batch export requested through A,
   built by whichever worker claims it, downloads through B (and A) with the same bytes, and neither
   server's MEDIA_ROOT holds a file;
5. the load mix of bench/load.py through nginx, then /healthz the same way; prints the same table,
   the requests each server took, and the last line
   `cluster: N req/s through nginx, 0 errors, cross-node files ok`.

BENCH_DB_PREFIX and BENCH_PORT_RANGE work as for bench/load.py.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
import zipfile
from collections import Counter
from pathlib import Path

import load
from load import HOST, ROOT, Session

NGINX_CONF = """
worker_processes 1;
{user}
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    client_body_temp_path {tmp}/nginx-body;
    proxy_temp_path {tmp}/nginx-proxy;
    fastcgi_temp_path {tmp}/nginx-fastcgi;
    uwsgi_temp_path {tmp}/nginx-uwsgi;
    scgi_temp_path {tmp}/nginx-scgi;
    log_format upstream '$upstream_addr $status';
    access_log {tmp}/nginx-access.log upstream;

    upstream healthreports {{
        server {host}:{port_a};
        server {host}:{port_b};
        keepalive 16;
    }}
    server {{
        listen {host}:{port};
        client_max_body_size 12m;
        client_body_timeout 30s;
        location / {{
            proxy_pass http://healthreports;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Real-IP $remote_addr;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            # Production terminates TLS here and sends $scheme; this loopback bench has no certificate.
            proxy_set_header X-Forwarded-Proto https;
            proxy_read_timeout 130s;
            proxy_buffering on;
        }}
    }}
}}
"""

PGBOUNCER_INI = """
[databases]
* = host={pg_host} port={pg_port}
[pgbouncer]
listen_addr = {host}
listen_port = {port}
unix_socket_dir =
auth_type = trust
auth_file = {tmp}/pgbouncer-users.txt
pool_mode = transaction
max_client_conn = 200
default_pool_size = 20
ignore_startup_parameters = extra_float_digits,options
"""

EXPORT_SCRIPT = r"""
import json
from django.db.models import Count, Q
from reports.models import Membership, ReportingPeriod
m = Membership.objects.filter(role="reviewer", bureau__level="city").select_related("user", "bureau").first()
periods = ReportingPeriod.objects.annotate(
    n=Count("reports", filter=Q(reports__state="approved", reports__bureau__parent=m.bureau))
).filter(n__gt=0).order_by("n")
print("RESULT" + json.dumps({"username": m.user.username, "bureau": m.bureau.pk, "period": periods[0].pk,
                             "reports": periods[0].n}))
"""


def debian_binary(package: str) -> str:
    """A Debian package's program (nginx, pgbouncer); installed as root with apt-get when missing,
    like `make sysdeps`."""
    found = shutil.which(package) or (f"/usr/sbin/{package}" if Path(f"/usr/sbin/{package}").exists() else None)
    if found:
        return found
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise SystemExit(f"bench/cluster.py needs {package}: sudo apt-get install -y {package}")
    print(f"installing {package} (Debian package)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    command = ["apt-get", "install", "-y", "-qq", package]
    if subprocess.run(command, env=env, capture_output=True, timeout=600).returncode:
        subprocess.run(["apt-get", "update", "-qq"], env=env, check=True, timeout=600)
        subprocess.run(command, env=env, check=True, capture_output=True, timeout=600)
    return shutil.which(package) or f"/usr/sbin/{package}"


def start_pgbouncer(tmp: Path, pg: str) -> tuple[subprocess.Popen, str]:
    """pgbouncer in transaction mode in front of the PostgreSQL server `pg`; returns the process and
    the server URL to use instead (the app then needs PGBOUNCER=1)."""
    binary = debian_binary("pgbouncer")
    server = urllib.parse.urlsplit(pg)
    port = load.free_port()
    (tmp / "pgbouncer-users.txt").write_text(f'"{server.username or "postgres"}" ""\n')
    ini = tmp / "pgbouncer.ini"
    ini.write_text(
        PGBOUNCER_INI.format(tmp=tmp, host=HOST, port=port, pg_host=server.hostname, pg_port=server.port or 5432)
    )
    command = [binary, *(["-u", "nobody"] if os.geteuid() == 0 else []), str(ini)]  # it will not run as root
    proc = load.start(command, {**os.environ}, tmp / "pgbouncer.log", port=port)
    return proc, f"{server.scheme}://{server.username or 'postgres'}@{HOST}:{port}"


def start_s3(tmp: Path) -> tuple[subprocess.Popen, dict]:
    """moto's S3-compatible server and a fresh private bucket; returns the process and the app's env."""
    port = load.free_port()
    proc = load.start(
        [str(Path(sys.executable).with_name("moto_server")), "-H", HOST, "-p", str(port)],
        {**os.environ},
        tmp / "s3.log",
        port=port,
    )
    env = {
        "GENERATED_STORAGE": "s3",
        "S3_ENDPOINT_URL": f"http://{HOST}:{port}",
        "S3_BUCKET": f"hr-cluster-{uuid.uuid4().hex[:8]}",
        "S3_REGION": "us-east-1",
        "S3_ACCESS_KEY_ID": "cluster",
        "S3_SECRET_ACCESS_KEY": "cluster-secret",
    }
    import boto3

    boto3.client(
        "s3",
        endpoint_url=env["S3_ENDPOINT_URL"],
        region_name=env["S3_REGION"],
        aws_access_key_id=env["S3_ACCESS_KEY_ID"],
        aws_secret_access_key=env["S3_SECRET_ACCESS_KEY"],
    ).create_bucket(Bucket=env["S3_BUCKET"])
    return proc, env


def copy_code(target: Path) -> Path:
    """The code in a working directory of its own (no .git, no virtualenv, an empty var/)."""
    shutil.copytree(
        ROOT, target, ignore=shutil.ignore_patterns(".git", ".venv", "var", "__pycache__", "node_modules", "tests")
    )
    return target


def check_session(port_a: int, port_b: int, username: str) -> None:
    """Log in through A; the same cookies open the home page through B (sessions are in PostgreSQL)."""
    a = Session(port_a)
    a.log_in(username)
    b = Session(port_b)
    b.cookies = dict(a.cookies)
    status, _body = b.request("GET", "/")  # anonymous: 302 to the log-in page
    if status != 200:
        raise SystemExit(f"session from server A not valid on server B: HTTP {status}")
    print(f"check: {username} logged in through server A, home page through server B: 200")


def check_export(port_a: int, port_b: int, export: dict, env: dict, timeout: float) -> str:
    """A batch export requested through A, built by a worker, downloads through B and A alike."""
    a = Session(port_a)
    a.log_in(export["username"])
    a.request("GET", "/exports/")
    status, _ = a.request("POST", "/exports/", {"bureau": str(export["bureau"]), "period": str(export["period"])})
    if status != 302 or not a.location.startswith("/exports/"):
        raise SystemExit(f"export request through server A answered {status} {a.location}")
    job = int(a.location.strip("/").split("/")[-1])  # /exports/<pk>/
    b = Session(port_b)
    b.cookies = dict(a.cookies)
    deadline = time.monotonic() + timeout
    while True:
        status, body_b = b.request("GET", f"/exports/{job}/download/")
        if status == 200 or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    if status != 200:
        raise SystemExit(f"export {job} not downloadable through server B after {timeout:.0f} s (HTTP {status})")
    status, body_a = a.request("GET", f"/exports/{job}/download/")
    names = zipfile.ZipFile(io.BytesIO(body_b)).namelist()
    if status != 200 or body_a != body_b or len(names) != export["reports"]:
        raise SystemExit(f"export {job}: server A answered {status}, {len(names)} of {export['reports']} PDFs")
    worker = load.shell_json(
        env,
        "import json; from django_tasks_db.models import DBTaskResult; "
        'print("RESULT" + json.dumps(DBTaskResult.objects.latest("enqueued_at").worker_ids))',
    )
    print(
        f"check: export {job} requested through server A, built by worker {', '.join(worker)}, "
        f"{len(body_b):,} bytes ({len(names)} PDFs) identical through servers B and A"
    )
    return worker[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    load.add_arguments(parser, seconds=20.0, scale=30, workers=3)
    parser.add_argument("--export-timeout", type=float, default=120, help="seconds to wait for the export")
    parser.add_argument("--pgbouncer", action="store_true", help="servers reach PostgreSQL through pgbouncer")
    args = load.parse_args(parser)
    if args.smoke:
        args.workers = 1

    nginx = debian_binary("nginx")
    db = load.db_name("cluster")
    tmp = Path(tempfile.mkdtemp(prefix=f"{db}-"))
    tmp.chmod(0o755)  # nginx's workers read and write their temporary files here
    procs: list[subprocess.Popen] = []
    subprocess.run(["createdb", "-h", HOST, "-U", "postgres", db], check=True)
    try:
        t0 = time.monotonic()
        s3, s3_env = start_s3(tmp)
        procs.append(s3)
        env = load.app_env(f"{args.pg}/{db}", BEHIND_PROXY="1", **s3_env)
        targets = load.prepare_database(env, args.scale)
        load.collect_static(env)
        export = load.shell_json(env, EXPORT_SCRIPT)

        if args.pgbouncer:  # migrations went straight to PostgreSQL, as they should
            bouncer, pg = start_pgbouncer(tmp, args.pg)
            procs.append(bouncer)
            env = {**env, "DATABASE_URL": f"{pg}/{db}", "PGBOUNCER": "1"}
        ports, nodes = {}, {}
        for name in ("a", "b"):
            node = copy_code(tmp / f"server-{name}")
            node_env = {**env, "MEDIA_ROOT": str(node / "var" / "media")}
            # collectstatic once per release; every server receives the same var/staticfiles
            shutil.copytree(ROOT / "var" / "staticfiles", node / "var" / "staticfiles", dirs_exist_ok=True)
            ports[name] = load.free_port()
            procs.append(load.start_gunicorn(node_env, ports[name], args.workers, tmp / f"gunicorn-{name}.log", node))
            worker = [sys.executable, "manage.py", "db_worker", "--interval", "1", "--worker-id", f"worker-{name}"]
            procs.append(load.start(worker, node_env, tmp / f"worker-{name}.log", node))
            nodes[name] = node
        port = load.free_port()
        conf = tmp / "nginx.conf"
        user = "user root root;" if os.geteuid() == 0 else ""
        conf.write_text(
            NGINX_CONF.format(tmp=tmp, user=user, host=HOST, port=port, port_a=ports["a"], port_b=ports["b"])
        )
        procs.append(
            load.start(
                [nginx, "-e", str(tmp / "nginx-error.log"), "-p", str(tmp), "-c", str(conf), "-g", "daemon off;"],
                env,
                tmp / "nginx.log",
                port=port,
            )
        )
        print(
            f"setup: database {db}, S3 bucket {s3_env['S3_BUCKET']} on {s3_env['S3_ENDPOINT_URL']}, "
            f"servers A :{ports['a']} and B :{ports['b']} ({args.workers} gunicorn workers and 1 task worker each), "
            f"nginx :{port}{', pgbouncer (transaction mode) before PostgreSQL' if args.pgbouncer else ''}; "
            f"{time.monotonic() - t0:.0f} s"
        )

        check_session(ports["a"], ports["b"], targets["clerks"][0]["username"])
        check_export(ports["a"], ports["b"], export, env, args.export_timeout)
        local = [p for node in nodes.values() for p in (node / "var" / "media").rglob("*") if p.is_file()]
        if local:
            raise SystemExit(f"files written to an app server's own disk: {local[:3]}")
        print("check: no file in either server's MEDIA_ROOT")

        (tmp / "nginx-access.log").write_text("")
        print(
            f"load through nginx :{port}: {args.processes} driver processes, {args.clients} client threads; "
            f"{args.seconds:.0f} s per phase; {os.cpu_count()} CPUs shared"
        )
        mix, ceiling, _skipped = load.measure(port, targets, args)
        by_server = Counter(line.split()[0] for line in (tmp / "nginx-access.log").read_text().splitlines() if line)
        names = {f"{HOST}:{ports[n]}": n.upper() for n in ports}
        print("requests per app server: " + ", ".join(f"{names.get(k, k)} {v}" for k, v in sorted(by_server.items())))
        logs = {f.name: load.server_errors(f) for f in tmp.glob("*.log") if f.name.startswith(("gunicorn", "worker"))}
        print("error log entries: " + ", ".join(f"{k} {v}" for k, v in sorted(logs.items())))
        errors = mix["errors"] + ceiling["errors"] + sum(logs.values())
        print(f"cluster: {mix['rps']:.1f} req/s through nginx, {errors} errors, cross-node files ok")
        if errors:
            sys.exit(1)
    finally:
        for proc in reversed(procs):
            load.stop(proc)
        subprocess.run(["dropdb", "-h", HOST, "-U", "postgres", "--if-exists", "--force", db], check=False)
        if os.environ.get("BENCH_KEEP"):
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
