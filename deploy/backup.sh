#!/usr/bin/env bash
# Backs up the Cimeika database with pg_dump (custom format), checks the file is readable, and
# deletes backups older than the retention period. Reads the app's POSTGRES_* variables.
#   BACKUP_DIR             where dumps go (default /var/backups/cimeika)
#   BACKUP_RETENTION_DAYS  dumps older than this are deleted (default 30)
# Prints the new file's path; exits non-zero when the dump or its check fails.
# Schedule it (cron or a systemd timer) as often as the recovery point objective needs.
set -euo pipefail

PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
: "${PGBIN:?PostgreSQL client tools not found (apt-get install postgresql-client)}"
BACKUP_DIR=${BACKUP_DIR:-/var/backups/cimeika}
RETENTION=${BACKUP_RETENTION_DAYS:-30}
DB=${POSTGRES_DB:-cimeika}
export PGHOST=${POSTGRES_HOST:-127.0.0.1} PGPORT=${POSTGRES_PORT:-5432} PGUSER=${POSTGRES_USER:-cimeika}
export PGPASSWORD=${POSTGRES_PASSWORD:-}

case "$RETENTION" in ''|*[!0-9]*) echo "BACKUP_RETENTION_DAYS must be a whole number" >&2; exit 2 ;; esac
mkdir -p "$BACKUP_DIR"
chmod 700 "$BACKUP_DIR"

file="$BACKUP_DIR/cimeika-$DB-$(date -u +%Y%m%dT%H%M%SZ).dump"
tmp="$file.partial"
trap 'rm -f "$tmp"' EXIT
"$PGBIN/pg_dump" --format=custom --no-owner --file="$tmp" "$DB"
# A dump that pg_restore cannot list is not a backup.
"$PGBIN/pg_restore" --list "$tmp" >/dev/null
chmod 600 "$tmp"
mv "$tmp" "$file"

find "$BACKUP_DIR" -maxdepth 1 -name "cimeika-$DB-*.dump" -type f -mtime +"$RETENTION" -print -delete | sed 's/^/deleted old backup: /' >&2
echo "$file"
