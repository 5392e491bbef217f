#!/usr/bin/env bash
# Backup and TESTED restore: pg_dump a database, pg_restore it into a fresh one, compare every
# table's row count, and check that Django sees a complete, migrated database in the copy.
#
#   bench/backup_restore.sh              # makes a throw-away source (migrate + seed_demo), then tests
#   bench/backup_restore.sh SOURCE_DB    # tests the backup of an existing database (left untouched)
#
# PGHOST / PGPORT / PGUSER as for psql (default 127.0.0.1, 5432, postgres). Exits non-zero on any
# difference, or when a generated file the restored database refers to is not in the store
# (STORAGES["generated"] as the environment configures it: MEDIA_ROOT, or GENERATED_STORAGE=s3 ...).
# Throw-away databases (named ${BENCH_DB_PREFIX:-hr_}...) and the dump file are removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
PY="${PYTHON:-.venv/bin/python}"
[ -x "$PY" ] || PY=/work/main/.venv/bin/python

SRC="${1:-}"
OWN_SRC=""
PREFIX="${BENCH_DB_PREFIX:-hr_}"
DST="${PREFIX}restore_$$"
DUMP="$(mktemp -t hr_backup_XXXXXX.dump)"
cleanup() {
  rm -f "$DUMP"
  dropdb --if-exists --force "$DST" >/dev/null 2>&1 || true
  if [ -n "$OWN_SRC" ]; then dropdb --if-exists --force "$OWN_SRC" >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

url() { echo "postgres://$PGUSER@$PGHOST:$PGPORT/$1"; }

if [ -z "$SRC" ]; then
  SRC="${PREFIX}backup_src_$$"
  OWN_SRC="$SRC"
  createdb "$SRC"
  DEBUG=1 DATABASE_URL="$(url "$SRC")" "$PY" manage.py migrate --noinput -v0
  DEBUG=1 DATABASE_URL="$(url "$SRC")" "$PY" manage.py seed_demo >/dev/null
fi

echo "== backup: pg_dump -Fc $SRC"
pg_dump --format=custom --no-owner --file="$DUMP" "$SRC"
echo "   $(du -h "$DUMP" | cut -f1) in $DUMP"

echo "== restore into $DST"
createdb "$DST"
pg_restore --no-owner --exit-on-error --dbname="$DST" "$DUMP"

counts() {
  psql -X -At -d "$1" -c "SELECT table_name FROM information_schema.tables
                          WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1" |
    while read -r table; do
      printf '%s %s\n' "$table" "$(psql -X -At -d "$1" -c "SELECT count(*) FROM \"$table\"")"
    done
}

echo "== compare row counts"
diff <(counts "$SRC") <(counts "$DST") && echo "   $(counts "$DST" | wc -l) tables, identical row counts"
rows=$(counts "$DST" | awk '{s += $2} END {print s}')
[ "$rows" -gt 0 ] || { echo "restored database is empty"; exit 1; }
echo "   $rows rows in all"

echo "== the restored copy works for Django"
DEBUG=1 DATABASE_URL="$(url "$DST")" "$PY" manage.py migrate --check --noinput >/dev/null
DEBUG=1 DATABASE_URL="$(url "$DST")" "$PY" manage.py shell -v 0 -c "
from reports.models import Bureau, Report
assert Bureau.objects.exists() and Report.objects.exists()
print('   %d bureaus, %d reports readable; no unapplied migrations' % (Bureau.objects.count(), Report.objects.count()))
"
echo "== the generated files it refers to are in the store"
DEBUG=1 DATABASE_URL="$(url "$DST")" "$PY" manage.py check_generated_files | sed 's/^/   /'
echo "OK: backup restored and verified"
