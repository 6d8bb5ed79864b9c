#!/usr/bin/env bash
# `yarn bench:scan`: the scan bench on SQLite and on a throwaway PostgreSQL 15.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/env.sh
ensure_node >/dev/null
source scripts/lib/postgres.sh
if [[ ",${BENCH_DATABASES:-sqlite,postgres}," == *,postgres,* ]]; then
  start_postgres
  trap stop_postgres EXIT
fi
node --require @backstage/cli/config/nodeTransform.cjs scripts/bench/scan/main.ts
