#!/usr/bin/env bash
# `yarn bench:api`: the drift API's read latency and a fixed-rate load on SQLite and on a
# throwaway PostgreSQL 15 started here (plugins/drift-backend/bench/api.mjs; options pass on).
source "$(dirname "$0")/lib/env.sh"
source "$(dirname "$0")/lib/postgres.sh"
trap stop_postgres EXIT
ensure_node
start_postgres
cd "$ROOT/plugins/drift-backend"
node bench/api.mjs "$@"
