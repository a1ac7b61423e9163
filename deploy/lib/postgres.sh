# Shared helpers for deploy/run.sh and deploy/test.sh: install Debian's PostgreSQL when it is
# missing and run a private cluster owned by the `postgres` user. Sourced, not executed.

pg_log() { printf '[cimeika] %s\n' "$*" >&2; }

pg_apt_install() {
  # apt-get update once per script run; installs only what is missing.
  if [ -z "${_PG_APT_UPDATED:-}" ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    _PG_APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

pg_require_root() {
  if [ "$(id -u)" -ne 0 ]; then
    pg_log "this script installs packages and runs PostgreSQL as the 'postgres' user: run it as root"
    exit 1
  fi
}

pg_bin_dir() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

pg_ensure_installed() {
  if [ -z "$(pg_bin_dir)" ] || [ ! -x "$(pg_bin_dir)/initdb" ]; then
    pg_log "installing PostgreSQL (apt)"
    pg_apt_install postgresql
  fi
  PGBIN="$(pg_bin_dir)"
  export PGBIN
}

# pg_free_port START: the first TCP port from START on that nothing listens on.
pg_free_port() {
  local port=$1
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  echo "$port"
}

# pg_start DATA_DIR PORT SOCKET_DIR [extra postgres -c options...]
# Initialises DATA_DIR when empty (trust for local socket, scram for TCP with the password in
# $PG_SUPERUSER_PASSWORD) and starts the server on 127.0.0.1:PORT.
pg_start() {
  local data=$1 port=$2 sock=$3; shift 3
  mkdir -p "$data" "$sock"
  chown postgres:postgres "$data" "$sock"
  chmod 700 "$data"
  if [ ! -s "$data/PG_VERSION" ]; then
    local pwfile
    pwfile=$(mktemp)
    printf '%s\n' "$PG_SUPERUSER_PASSWORD" >"$pwfile"
    chown postgres "$pwfile"
    runuser -u postgres -- "$PGBIN/initdb" -D "$data" -U postgres --pwfile="$pwfile" \
      --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
    rm -f "$pwfile"
  fi
  # A kill -9 leaves postmaster.pid behind; remove it only when its process is gone.
  if [ -f "$data/postmaster.pid" ]; then
    local oldpid
    oldpid=$(head -n 1 "$data/postmaster.pid")
    if ! kill -0 "$oldpid" 2>/dev/null; then
      rm -f "$data/postmaster.pid" "$sock"/.s.PGSQL.*
    fi
  fi
  if ! runuser -u postgres -- "$PGBIN/pg_isready" -q -h "$sock" -p "$port"; then
    local opts="-c listen_addresses=127.0.0.1 -p $port -k $sock"
    local extra
    for extra in "$@"; do opts="$opts -c $extra"; done
    runuser -u postgres -- "$PGBIN/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 -o "$opts" start >/dev/null
  fi
}

pg_stop() {
  local data=$1
  [ -f "$data/postmaster.pid" ] || return 0
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
}

# pg_psql SOCKET_DIR PORT SQL: runs SQL as the superuser over the local socket.
pg_psql() {
  local sock=$1 port=$2 sql=$3
  runuser -u postgres -- "$PGBIN/psql" -v ON_ERROR_STOP=1 -qAt -h "$sock" -p "$port" -d postgres -c "$sql"
}
