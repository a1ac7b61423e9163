#!/usr/bin/env bash
# Runs Cimeika at http://127.0.0.1:5000 (override with CIMEIKA_URL).
# Without POSTGRES_HOST it installs PostgreSQL when missing and runs a private cluster whose data
# stays in .data/ of this checkout (kept across restarts); with POSTGRES_HOST set it uses that
# server and starts none. Run as root on Debian: bash deploy/run.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
URL=${CIMEIKA_URL:-http://127.0.0.1:5000}
export ENVIRONMENT=${ENVIRONMENT:-development}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
mkdir -p "$ROOT/.data"

if [ -z "${POSTGRES_HOST:-}" ]; then
  # shellcheck source=lib/postgres.sh
  source deploy/lib/postgres.sh
  pg_require_root
  pg_ensure_installed

  # The cluster must be reachable by the 'postgres' user; a checkout under /root is not.
  DATA="$ROOT/.data/postgres"
  if ! runuser -u postgres -- test -x "$ROOT/.data"; then
    DATA="/var/lib/cimeika/$(echo -n "$ROOT" | sha256sum | cut -c1-12)"
    pg_log "the 'postgres' user cannot reach $ROOT; keeping the database in $DATA"
  fi
  mkdir -p "$DATA"
  chown postgres:postgres "$DATA"
  SOCK="/tmp/cimeika-pg-$(echo -n "$DATA" | sha256sum | cut -c1-12)"

  # Generated once, kept beside the data (readable by root only).
  [ -s "$DATA/.superuser-password" ] || head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' >"$DATA/.superuser-password"
  [ -s "$DATA/.app-password" ] || head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' >"$DATA/.app-password"
  [ -s "$DATA/.port" ] || pg_free_port 55432 >"$DATA/.port"
  chmod 600 "$DATA"/.superuser-password "$DATA"/.app-password
  PG_SUPERUSER_PASSWORD=$(cat "$DATA/.superuser-password")
  export PG_SUPERUSER_PASSWORD
  PORT=$(cat "$DATA/.port")
  APP_PASSWORD=$(cat "$DATA/.app-password")

  pg_start "$DATA/cluster" "$PORT" "$SOCK"
  trap 'pg_stop "$DATA/cluster"' EXIT
  pg_psql "$SOCK" "$PORT" "do \$\$ begin
      if not exists (select from pg_roles where rolname = 'cimeika') then
        create role cimeika login password '$APP_PASSWORD';
      end if;
    end \$\$"
  if [ -z "$(pg_psql "$SOCK" "$PORT" "select 1 from pg_database where datname = 'cimeika'")" ]; then
    pg_psql "$SOCK" "$PORT" "create database cimeika owner cimeika"
  fi
  export POSTGRES_HOST=127.0.0.1 POSTGRES_PORT="$PORT" POSTGRES_DB=cimeika POSTGRES_USER=cimeika POSTGRES_PASSWORD="$APP_PASSWORD"
  pg_log "PostgreSQL on 127.0.0.1:$PORT, data in $DATA/cluster"
fi

dotnet publish Cimeika.Web/Cimeika.Web.csproj -c Release -o "$ROOT/.data/app" -v quiet
echo "Cimeika is starting at $URL (Ctrl+C stops it)"
# The published folder is the content root (wwwroot, static asset manifest).
cd "$ROOT/.data/app"
dotnet Cimeika.Web.dll --urls "$URL"
