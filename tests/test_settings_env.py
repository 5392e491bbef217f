"""Settings read from the environment for several app servers (docs/deploy.md §7)."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
READ = (
    "import json; from healthreports import settings as s; db = s.DATABASES['default']; "
    "print(json.dumps([db['CONN_MAX_AGE'], db.get('DISABLE_SERVER_SIDE_CURSORS', False), s.STORAGES['generated']]))"
)


def _settings(**env: str):
    clean = {k: v for k, v in os.environ.items() if k not in ("PGBOUNCER", "CONN_MAX_AGE", "GENERATED_STORAGE")}
    result = subprocess.run(
        [sys.executable, "-c", READ],
        env={**clean, "DEBUG": "1", "DATABASE_URL": "postgres://u@127.0.0.1:5432/x", **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_pgbouncer_in_transaction_mode_gets_no_kept_connections_nor_server_side_cursors():
    assert _settings()[:2] == [60, False]
    assert _settings(PGBOUNCER="1", CONN_MAX_AGE="60")[:2] == [0, True]


def test_generated_files_storage_from_the_environment():
    assert _settings()[2]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    s3 = _settings(GENERATED_STORAGE="s3", S3_BUCKET="reports", S3_ENDPOINT_URL="https://s3.example.gov.cn")[2]
    assert s3["BACKEND"] == "storages.backends.s3.S3Storage"
    assert s3["OPTIONS"]["bucket_name"] == "reports" and s3["OPTIONS"]["endpoint_url"] == "https://s3.example.gov.cn"
