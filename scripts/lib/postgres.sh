# Sourced by scripts/test.sh: a throwaway PostgreSQL 15 on loopback for the database tests.
# Sets BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING; stop_postgres tears it down.

PG_PORT=""
PG_BIN=/usr/lib/postgresql/15/bin
PG_DIR=""

ensure_postgres_binaries() {
  if [ ! -x "$PG_BIN/initdb" ]; then
    log "installing PostgreSQL 15 (Debian package)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 >/dev/null
  fi
}

# First free port from 55432 on, so parallel runs and leftovers do not collide.
free_pg_port() {
  local port=${DRIFT_TEST_PG_PORT:-55432}
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  echo "$port"
}

start_postgres() {
  ensure_postgres_binaries
  PG_PORT="$(free_pg_port)"
  PG_DIR="$(mktemp -d /tmp/driftwatch-pg.XXXXXX)"
  local as=()
  # initdb refuses to run as root.
  if [ "$(id -u)" = 0 ]; then
    chown postgres "$PG_DIR"
    as=(runuser -u postgres --)
  fi
  "${as[@]}" "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -U postgres >"$PG_DIR/initdb.log" 2>&1 ||
    { cat "$PG_DIR/initdb.log" >&2; return 1; }
  # Another server may take the free port between the check and the bind: try the next ones.
  local attempt
  for attempt in 1 2 3 4 5; do
    "${as[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -w -l "$PG_DIR/log" \
      -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null && break
    if [ "$attempt" = 5 ] || ! grep -q "Address already in use" "$PG_DIR/log"; then
      cat "$PG_DIR/log" >&2
      return 1
    fi
    PG_PORT="$(DRIFT_TEST_PG_PORT=$((PG_PORT + 1)) free_pg_port)"
  done
  export BACKSTAGE_TEST_DISABLE_DOCKER=1
  export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING="postgresql://postgres@127.0.0.1:$PG_PORT/postgres"
  log "PostgreSQL 15 listening on 127.0.0.1:$PG_PORT"
}

stop_postgres() {
  if [ -n "$PG_DIR" ] && [ -d "$PG_DIR/data" ]; then
    local as=()
    if [ "$(id -u)" = 0 ]; then as=(runuser -u postgres --); fi
    "${as[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
  fi
}
