#!/usr/bin/env bash
# Load benchmark of the published app with wrk, against the checklist's targets:
# /health p99 < 100 ms, API p95 < 500 ms, database-backed pages p95 < 500 ms, memory stable.
# Starts its own PostgreSQL cluster and the app (production settings, HTTPS with a throwaway
# certificate), seeds a family with 500 stories and 300 moods, runs each scenario twice (memory
# is read after each round), prints a table and writes artifacts/bench/report.md.
#   bash deploy/bench.sh            # 15 s per scenario, 32 connections
#   DURATION=30 CONNECTIONS=64 bash deploy/bench.sh
# Loopback only; bounded in time. Exits non-zero when a target is missed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
DURATION=${DURATION:-15}
CONNECTIONS=${CONNECTIONS:-32}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# shellcheck source=lib/postgres.sh
source deploy/lib/postgres.sh
pg_require_root
pg_ensure_installed
command -v wrk >/dev/null || pg_apt_install wrk
command -v curl >/dev/null || pg_apt_install curl ca-certificates
command -v openssl >/dev/null || pg_apt_install openssl

OUT="$ROOT/artifacts/bench"
rm -rf "$OUT" && mkdir -p "$OUT"
WORK=$(mktemp -d /tmp/cimeika-bench.XXXXXX)
chmod 755 "$WORK"
APP_PID=""
cleanup() {
  [ -n "$APP_PID" ] && kill "$APP_PID" 2>/dev/null && wait "$APP_PID" 2>/dev/null || true
  pg_stop "$WORK/data"
  rm -rf "$WORK"
}
trap cleanup EXIT

PG_SUPERUSER_PASSWORD=$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
export PG_SUPERUSER_PASSWORD
PGPORT_BENCH=$(pg_free_port 55600)
pg_start "$WORK/data" "$PGPORT_BENCH" "$WORK/sock"
pg_psql "$WORK/sock" "$PGPORT_BENCH" "create database cimeika_bench"

dotnet publish Cimeika.Web/Cimeika.Web.csproj -c Release -o "$WORK/app" -v quiet
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" \
  -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>/dev/null

APP_PORT=$(pg_free_port 5600)
BASE="https://127.0.0.1:$APP_PORT"
export ENVIRONMENT=production LOG_LEVEL=WARNING SECRET_KEY
SECRET_KEY=$(head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
export POSTGRES_HOST=127.0.0.1 POSTGRES_PORT="$PGPORT_BENCH" POSTGRES_DB=cimeika_bench POSTGRES_USER=postgres
export POSTGRES_PASSWORD="$PG_SUPERUSER_PASSWORD" TLS_CERT_PATH="$WORK/cert.pem" TLS_KEY_PATH="$WORK/key.pem"
# The benchmark is one client hammering the app: the per-client limits would only measure 429s.
export RATE_LIMIT_PER_MINUTE=1000000 RATE_LIMIT_PER_HOUR=100000000 RATE_LIMIT_AUTH_PER_MINUTE=1000000

(cd "$WORK/app" && dotnet Cimeika.Web.dll users add --email bench@cimeika.test --password Bench-mark-2026 --name Bench --role owner >/dev/null)
TOKEN=$(cd "$WORK/app" && dotnet Cimeika.Web.dll tokens create --email bench@cimeika.test --name bench)
runuser -u postgres -- "$PGBIN/psql" -qAt -h "$WORK/sock" -p "$PGPORT_BENCH" -d cimeika_bench -v ON_ERROR_STOP=1 <<'SQL'
insert into kazkar_stories (family_id, title, content, story_type, tags, participants)
select 1, 'Історія ' || n, repeat('Дуб біля хати, верба біля ставу. ', 20) || n,
       (array['story','memory','legend','fact'])[1 + n % 4], array['дерева', 'рід' || (n % 7)], array['Бабуся']
from generate_series(1, 500) n;
insert into nastrij_entries (family_id, author_id, mood, intensity, felt_at)
select 1, (select min(id) from users), (array['happy','calm','tired','sad'])[1 + n % 4], 1 + n % 10, now() - (n || ' hours')::interval
from generate_series(1, 300) n;
SQL

(cd "$WORK/app" && exec dotnet Cimeika.Web.dll --urls "$BASE" >"$OUT/app.log" 2>&1) &
APP_PID=$!
for _ in $(seq 1 120); do
  curl -ks -o /dev/null -w '%{http_code}' "$BASE/ready" 2>/dev/null | grep -q 200 && break
  sleep 0.5
done
DOTNET_PID=$(pgrep -f "Cimeika.Web.dll --urls $BASE" | head -n 1)

# A browser session for the pages: sign in with curl's cookie jar.
JAR="$WORK/cookies"
SIGNIN=$(curl -ks -c "$JAR" "$BASE/signin")
AF=$(echo "$SIGNIN" | grep -o 'name="__RequestVerificationToken" type="hidden" value="[^"]*"\|name="__RequestVerificationToken" value="[^"]*"' | head -n 1 | sed 's/.*value="//; s/"$//')
curl -ks -b "$JAR" -c "$JAR" -o /dev/null --data-urlencode "Email=bench@cimeika.test" --data-urlencode "Password=Bench-mark-2026" \
  --data-urlencode "__RequestVerificationToken=$AF" "$BASE/signin"
COOKIE=$(awk '$6 ~ /cimeika$/ {print $6"="$7}' "$JAR" | head -n 1)
[ -n "$COOKIE" ] || { echo "could not sign in for the page scenarios" >&2; exit 1; }

rss_mb() { awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$DOTNET_PID/status"; }

# name | path | header | target percentile | target ms
SCENARIOS=(
  "health|/health||p99|100"
  "ready|/ready||p95|500"
  "api-list|/api/v1/kazkar/stories?limit=20|Authorization: Bearer $TOKEN|p95|500"
  "api-search|/api/v1/kazkar/stories?q=%D0%B4%D1%83%D0%B1&limit=20|Authorization: Bearer $TOKEN|p95|500"
  "api-mood-stats|/api/v1/nastrij/stats?days=30|Authorization: Bearer $TOKEN|p95|500"
  "page-kazkar|/kazkar|Cookie: $COOKIE|p95|500"
  "page-nastrij|/nastrij?days=30|Cookie: $COOKIE|p95|500"
)

echo "RSS at start: $(rss_mb) MB"
RESULTS="$WORK/results"
: >"$RESULTS"
status=0
for round in 1 2; do
  for scenario in "${SCENARIOS[@]}"; do
    IFS='|' read -r name path header pct target <<<"$scenario"
    args=(-t2 "-c$CONNECTIONS" "-d${DURATION}s" --timeout 5s -s deploy/bench/report.lua)
    [ -n "$header" ] && args+=(-H "$header")
    json=$(wrk "${args[@]}" "$BASE$path" | tail -n 1)
    echo "$round|$name|$pct|$target|$json|$(rss_mb)" >>"$RESULTS"
  done
done

{
  echo "# Cimeika benchmark"
  echo
  echo "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, wrk ${DURATION}s x $CONNECTIONS connections per scenario, production build over HTTPS,"
  echo "500 stories and 300 moods. Two rounds (the first includes the cold start; targets are judged on the"
  echo "second); RSS (resident memory of the app) read after each scenario."
  echo
  echo "| round | scenario | req/s | errors | p50 ms | p95 ms | p99 ms | target | RSS MB |"
  echo "|---|---|---|---|---|---|---|---|---|"
  while IFS='|' read -r round name pct target json rss; do
    rps=$(echo "$json" | grep -o '"rps":[0-9.]*' | cut -d: -f2)
    errors=$(echo "$json" | grep -o '"errors":[0-9]*' | cut -d: -f2)
    p50=$(echo "$json" | grep -o '"p50":[0-9.]*' | cut -d: -f2)
    p95=$(echo "$json" | grep -o '"p95":[0-9.]*' | cut -d: -f2)
    p99=$(echo "$json" | grep -o '"p99":[0-9.]*' | cut -d: -f2)
    measured=$(echo "$json" | grep -o "\"$pct\":[0-9.]*" | cut -d: -f2)
    verdict=$(awk -v m="$measured" -v t="$target" -v e="$errors" 'BEGIN { print (m < t && e == 0) ? "met" : "MISSED" }')
    # Round 1 also measures the cold start (JIT, pools, caches); the verdict is round 2's.
    if [ "$round" = 1 ]; then
      verdict="$verdict (warm-up)"
    elif [ "$verdict" != met ]; then
      status=1
    fi
    echo "| $round | $name | $rps | $errors | $p50 | $p95 | $p99 | $pct < $target ms: $verdict | $rss |"
  done <"$RESULTS"
} | tee "$OUT/report.md"
echo
echo "Report: $OUT/report.md"
exit "$status"
