#!/usr/bin/env bash
# Fuzzes the drift API with schemathesis against its OpenAPI spec: a backend started here with
# app-config.production.yaml (plus scripts/fuzz/app-config.fuzz.yaml: loopback, a throwaway
# PostgreSQL 15, a static token) on loopback, once with the token and once without.
# Fails on any 500, any stack trace or source path in a response, and any 400 that does not
# name its parameter (scripts/fuzz/checks.py). Bounded by examples per operation; the timeout
# only guards against a hang (the authenticated run takes 90-100 s alone on 2 cores, more while
# the test step's API server and databases still run).
#
# DRIFT_FUZZ_EXAMPLES (cases per operation and phase, default 200; a quarter of that without
# credentials) and DRIFT_FUZZ_SEED (default fixed, so a run repeats) tune the run.
source "$(dirname "$0")/lib/env.sh"
source "$(dirname "$0")/lib/postgres.sh"

SCHEMATHESIS_VERSION=4.32.5
VENV="$TOOLS/schemathesis-$SCHEMATHESIS_VERSION"
SCRATCH="$ROOT/.scratch/fuzz"
SPEC="$ROOT/plugins/drift-backend/src/schema/openapi.yaml"
EXAMPLES="${DRIFT_FUZZ_EXAMPLES:-200}"
SEED="${DRIFT_FUZZ_SEED:-20261201}"
BACKEND_PID=""

cleanup() {
  if [ -n "$BACKEND_PID" ]; then
    stop_process_group "$BACKEND_PID"
  fi
  stop_postgres
}
trap cleanup EXIT

ensure_schemathesis() {
  if [ -x "$VENV/bin/st" ]; then return; fi
  log "installing schemathesis $SCHEMATHESIS_VERSION into .tools/"
  if ! python3 -m venv "$VENV" >"$SCRATCH/venv.log" 2>&1; then
    # Debian's python3 leaves venv (ensurepip) to a separate package.
    rm -rf "$VENV"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
    python3 -m venv "$VENV" || { rm -rf "$VENV"; log "python3 -m venv failed"; return 1; }
  fi
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION" \
    >"$SCRATCH/pip.log" 2>&1 || { cat "$SCRATCH/pip.log" >&2; rm -rf "$VENV"; return 1; }
}

free_port() {
  local port=$1
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  echo "$port"
}

# Runs src/index.ts the way `backstage-cli package start` does (its TypeScript loader), minus
# its file watcher: an edit elsewhere in the tree must not restart the backend mid-run.
start_backend() {
  export DRIFT_FUZZ_PORT DRIFT_FUZZ_PG_PORT="$PG_PORT" DRIFT_FUZZ_TOKEN
  DRIFT_FUZZ_PORT="$(free_port 7107)"
  DRIFT_FUZZ_TOKEN="$(od -An -tx1 -N24 /dev/urandom | tr -d ' \n')"
  local transform
  transform="$(cd "$ROOT/packages/backend" && node -p 'require.resolve("@backstage/cli-node/config/nodeTransform.cjs")')"
  (cd "$ROOT/packages/backend" && NODE_ENV=production exec setsid node --enable-source-maps --require "$transform" \
    src/index.ts --config "$ROOT/app-config.production.yaml" --config "$ROOT/scripts/fuzz/app-config.fuzz.yaml") \
    >"$SCRATCH/backend.log" 2>&1 &
  BACKEND_PID=$!
  local deadline=$(($(date +%s) + 120))
  until curl -sf "http://127.0.0.1:$DRIFT_FUZZ_PORT/.backstage/health/v1/readiness" >/dev/null; do
    if [ "$(date +%s)" -gt "$deadline" ] || ! kill -0 "$BACKEND_PID" 2>/dev/null; then
      tail -50 "$SCRATCH/backend.log" >&2
      log "the backend did not become ready"
      return 1
    fi
    sleep 1
  done
}

# fuzz NAME EXAMPLES SECONDS [schemathesis options...]: one run of at most EXAMPLES cases per
# operation and phase, killed after SECONDS; its output goes to NAME.txt (and schemathesis's
# cache to .scratch/fuzz, its working directory).
# One worker: Python 3.11's ast module is not thread-safe (cpython#106905), and Hypothesis
# parses source while generating, so two workers fail at random with "AST constructor
# recursion depth mismatch".
fuzz() {
  local name=$1 examples=$2 seconds=$3
  shift 3
  local status=0
  (cd "$SCRATCH" && SCHEMATHESIS_HOOKS="$ROOT/scripts/fuzz/checks.py" DRIFT_FUZZ_TALLY="$SCRATCH/$name.tally.json" \
    exec timeout --kill-after=5 "$seconds" "$VENV/bin/st" run "$SPEC" \
    --url "http://127.0.0.1:$DRIFT_FUZZ_PORT/api/drift" \
    --checks not_a_server_error,no_stack_trace,error_names_parameter,FuzzTally \
    --phases coverage,fuzzing --max-examples "$examples" --seed "$SEED" --workers 1 \
    --generation-database none --request-timeout 10 --no-color \
    "$@") >"$SCRATCH/$name.txt" 2>&1 || status=$?
  if [ "$status" -ne 0 ]; then
    if [ "$status" -ge 124 ]; then log "api fuzz ($name): schemathesis did not finish in $seconds s"; fi
    sed -n '/=== \(FAILURES\|ERRORS\) ===/,$p' "$SCRATCH/$name.txt" | grep -v '^    curl ' | head -200 >&2
    log "api fuzz ($name): schemathesis exited with $status; full output in $SCRATCH/$name.txt"
  fi
  return "$status"
}

rm -rf "$SCRATCH" && mkdir -p "$SCRATCH"
# The dependencies are in place: scripts/test.sh installs them first, `yarn test:fuzz` needs them.
ensure_node
ensure_schemathesis
"$VENV/bin/python" "$ROOT/scripts/fuzz/test_checks.py" 2>"$SCRATCH/test_checks.txt" ||
  { cat "$SCRATCH/test_checks.txt" >&2; log "api fuzz: the checks' own tests failed"; exit 1; }
start_postgres
start_backend
failed=0
fuzz authenticated "$EXAMPLES" 360 -H "Authorization: Bearer $DRIFT_FUZZ_TOKEN" || failed=1
fuzz unauthenticated "$((EXAMPLES / 4))" 180 || failed=1
"$VENV/bin/python" "$ROOT/scripts/fuzz/summary.py" "$SCRATCH/backend.log" \
  "$SCRATCH/authenticated.tally.json" "$SCRATCH/unauthenticated.tally.json" || failed=1
exit "$failed"
