#!/usr/bin/env bash
# Installs what is missing (Node 22, dependencies, native builds) and starts Backstage with
# Driftwatch on SQLite and the demo catalog: backend on :7007, frontend on :3000.
source "$(dirname "$0")/lib/env.sh"
setup_all
mkdir -p "$ROOT/.scratch/sqlite"
cd "$ROOT"
log "starting Backstage: http://localhost:3000 (backend http://localhost:7007)"
# The demo (example catalog, guest sign-in, replayed demo cluster) lives in app-config.demo.yaml.
exec yarn start --config "$ROOT/app-config.yaml" --config "$ROOT/app-config.demo.yaml" "$@"
