#!/usr/bin/env bash
# Runs every check: type check, lint, unit and database tests (SQLite and a real PostgreSQL 15
# started here), the drift engine's corpus score, and the browser tests in Debian's Chromium
# against a Backstage started here. Prints the test counts at the end.
source "$(dirname "$0")/lib/env.sh"
source "$(dirname "$0")/lib/postgres.sh"

SCRATCH="$ROOT/.scratch/test"
BACKSTAGE_PID=""
started_at=$(date +%s)

cleanup() {
  if [ -n "$BACKSTAGE_PID" ]; then
    stop_process_group "$BACKSTAGE_PID"
  fi
  stop_postgres
  [ -z "${DRIFTWATCH_KUBE_DIR:-}" ] || bash "$ROOT/scripts/kube.sh" down >/dev/null 2>&1 || true
}
trap cleanup EXIT

step() {
  local name="$1"
  shift
  log "── $name"
  local t0=$(date +%s)
  "$@"
  log "   $name: ok ($(($(date +%s) - t0)) s)"
}

ensure_chromium() {
  if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
    log "installing Debian's Chromium"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start_backstage() {
  for port in 3000 7007; do
    port_free "$port" || { log "port $port is in use: stop the running Backstage first"; return 1; }
  done
  rm -rf "$SCRATCH/sqlite" && mkdir -p "$SCRATCH/sqlite"
  # setsid: one process group, so cleanup stops the dev server and the backend together.
  setsid yarn start --config "$ROOT/app-config.yaml" --config "$ROOT/app-config.demo.yaml" --config "$ROOT/scripts/app-config.test.yaml" \
    >"$SCRATCH/backstage.log" 2>&1 &
  BACKSTAGE_PID=$!
  local deadline=$(($(date +%s) + 300))
  until curl -sf http://localhost:7007/.backstage/health/v1/readiness >/dev/null &&
    curl -sf http://localhost:3000 >/dev/null; do
    if [ "$(date +%s)" -gt "$deadline" ] || ! kill -0 "$BACKSTAGE_PID" 2>/dev/null; then
      tail -50 "$SCRATCH/backstage.log" >&2
      log "Backstage did not become ready"
      return 1
    fi
    sleep 2
  done
}

mkdir -p "$SCRATCH"
step "install" setup_all
cd "$ROOT"
step "type check" yarn tsc
step "lint" yarn lint:all
step "postgres" start_postgres
# A real kube-apiserver for the Kubernetes module's tests; the first run builds it from Go
# modules into ~/.cache/driftwatch (several minutes), later runs start it in seconds.
export DRIFTWATCH_KUBE_DIR="$SCRATCH/kube"
step "kubernetes control plane" bash "$ROOT/scripts/kube.sh" up
# helm and kustomize for the rendering tests, built next to the control plane when missing.
step "helm and kustomize" bash "$ROOT/scripts/kube.sh" build-renderers
export DRIFTWATCH_RENDER_BIN="$(bash "$ROOT/scripts/kube.sh" bin)"
export DRIFT_TEST_REQUIRE_POSTGRES=1
step "unit and database tests" yarn backstage-cli repo test --watchAll=false --ci --json --outputFile="$SCRATCH/jest.json"
step "api fuzz" bash "$ROOT/scripts/fuzz.sh"
if [ -f "$ROOT/../shared/corpus/score.mjs" ]; then
  for set in cases argo; do
    step "drift corpus: $set" node "$ROOT/../shared/corpus/score.mjs" \
      --cli "$ROOT/packages/cli/bin/driftwatch" --cases "$ROOT/../shared/corpus/$set"
  done
fi
step "chromium" ensure_chromium
step "start backstage" start_backstage
step "browser tests" env PLAYWRIGHT_JSON_OUTPUT_NAME="$SCRATCH/playwright.json" \
  yarn playwright test --reporter=list,json

node "$ROOT/scripts/lib/test-summary.mjs" "$SCRATCH/jest.json" "$SCRATCH/playwright.json"
log "all checks passed in $(($(date +%s) - started_at)) s"
