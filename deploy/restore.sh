#!/usr/bin/env bash
# Restores a dump made by deploy/backup.sh into a database (created when missing), replacing the
# objects it contains. Reads POSTGRES_HOST/PORT/USER/PASSWORD; the target database is the first
# argument after the file, or POSTGRES_DB.
#   bash deploy/restore.sh /var/backups/cimeika/cimeika-cimeika-20261129T030000Z.dump [database]
# Restore into a new database first, check it (the app's /ready, a few pages), then point the app
# at it: see docs/RUNBOOK.md.
set -euo pipefail

file=${1:?usage: restore.sh DUMP_FILE [DATABASE]}
[ -r "$file" ] || { echo "cannot read $file" >&2; exit 2; }
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
: "${PGBIN:?PostgreSQL client tools not found (apt-get install postgresql-client)}"
DB=${2:-${POSTGRES_DB:-cimeika}}
export PGHOST=${POSTGRES_HOST:-127.0.0.1} PGPORT=${POSTGRES_PORT:-5432} PGUSER=${POSTGRES_USER:-cimeika}
export PGPASSWORD=${POSTGRES_PASSWORD:-}

if [ -z "$("$PGBIN/psql" -d postgres -qAtc "select 1 from pg_database where datname = '${DB//\'/\'\'}'")" ]; then
  "$PGBIN/createdb" "$DB"
fi
"$PGBIN/pg_restore" --clean --if-exists --no-owner --exit-on-error --dbname="$DB" "$file"
echo "restored $file into $DB"
