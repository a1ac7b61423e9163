#!/usr/bin/env bash
# Every test of the project: unit and integration tests (Cimeika.Web.Tests, real PostgreSQL) and
# browser tests (Cimeika.E2E, the published app driven through Debian's Chromium).
# Installs what is missing (PostgreSQL, Chromium, promtool, nginx, curl), starts a throwaway PostgreSQL cluster, builds,
# runs everything, prints "N passed, N failed, N skipped" and exits non-zero on any failure.
# Run as root on Debian: bash deploy/test.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# shellcheck source=lib/postgres.sh
source deploy/lib/postgres.sh
# shellcheck source=lib/audit.sh
source deploy/lib/audit.sh
pg_require_root
pg_ensure_installed
if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  pg_log "installing Chromium (apt)"
  pg_apt_install chromium fonts-liberation
fi
if [ ! -x /usr/sbin/nginx ]; then
  pg_log "installing nginx (apt), to test deploy/nginx/cimeika.conf"
  pg_apt_install nginx
fi
if ! command -v curl >/dev/null; then
  pg_log "installing curl (apt), to ask the package sources whether they publish vulnerability data"
  pg_apt_install curl ca-certificates
fi
# promtool (Debian's prometheus package) validates the /metrics output in the metrics test.
if ! command -v promtool >/dev/null; then
  pg_log "installing promtool (apt: prometheus)"
  pg_apt_install prometheus
fi
export PROMTOOL
PROMTOOL=$(command -v promtool)

ARTIFACTS="$ROOT/artifacts"
RESULTS="$ARTIFACTS/test-results"
rm -rf "$RESULTS" "$ARTIFACTS/screenshots" "$ARTIFACTS/app"
mkdir -p "$RESULTS"

WORK=$(mktemp -d /tmp/cimeika-test.XXXXXX)
chmod 755 "$WORK"
cleanup() {
  pg_stop "$WORK/data"
  rm -rf "$WORK"
}
trap cleanup EXIT

PG_SUPERUSER_PASSWORD=$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
export PG_SUPERUSER_PASSWORD
PORT=$(pg_free_port 55500)
# Throwaway data: durability settings off for speed (never in deploy/run.sh).
pg_start "$WORK/data" "$PORT" "$WORK/sock" fsync=off synchronous_commit=off full_page_writes=off max_connections=300
pg_log "test PostgreSQL on 127.0.0.1:$PORT"
export POSTGRES_HOST=127.0.0.1 POSTGRES_PORT="$PORT" POSTGRES_USER=postgres POSTGRES_PASSWORD="$PG_SUPERUSER_PASSWORD"
export CIMEIKA_APP_DIR="$ARTIFACTS/app" CIMEIKA_ARTIFACTS="$ARTIFACTS"

pg_log "restoring (locked mode) and building"
dotnet restore Cimeika.sln --locked-mode
dotnet build Cimeika.sln -c Release --no-restore
dotnet publish Cimeika.Web/Cimeika.Web.csproj -c Release --no-build -o "$ARTIFACTS/app"

# Known vulnerable packages: High or Critical counts as one failure below. When the sources cannot
# answer, the audit says so plainly and the run goes on.
pg_log "checking packages for known vulnerabilities"
audit_failed=0
audit_dependencies Cimeika.sln || audit_failed=1

status=0
run_tests() {
  local project=$1 name=$2
  pg_log "running $project"
  dotnet test "$project" -c Release --no-build --results-directory "$RESULTS" \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" || status=1
}
run_tests Cimeika.Web.Tests/Cimeika.Web.Tests.csproj web
run_tests Cimeika.E2E/Cimeika.E2E.csproj e2e

# The closing line CI reads, summed from the TRX files; a missing file counts as a failure.
passed=0 failed=0 skipped=0
for name in web e2e; do
  trx="$RESULTS/$name.trx"
  if [ ! -f "$trx" ]; then
    pg_log "no results for $name: the run did not complete"
    failed=$((failed + 1))
    status=1
    continue
  fi
  counters=$(grep -o '<Counters [^>]*>' "$trx")
  value() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9][0-9]*' || echo 0; }
  passed=$((passed + $(value passed)))
  failed=$((failed + $(value failed) + $(value error) + $(value timeout) + $(value aborted)))
  skipped=$((skipped + $(value notExecuted) + $(value inconclusive)))
done
failed=$((failed + audit_failed))
[ "$failed" -eq 0 ] || status=1
[ "$passed" -gt 0 ] || status=1
echo "Screenshots and logs: $ARTIFACTS"
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
