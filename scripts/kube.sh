#!/usr/bin/env bash
# A real Kubernetes control plane on loopback: etcd, kube-apiserver and kube-controller-manager
# built from Go modules, with an `admin` and a read-only `driftwatch` identity.
#
#   bash scripts/kube.sh up      build what is missing, start, print the export line
#   bash scripts/kube.sh down    stop everything and remove its data
#   bash scripts/kube.sh build   only build the binaries (also helm and kustomize)
#   bash scripts/kube.sh status  say whether it runs
#
# The binaries are cached outside the repo, keyed by version, in
# ${DRIFTWATCH_CACHE:-$HOME/.cache/driftwatch}/kube-<version>; the state lives in
# ${DRIFTWATCH_KUBE_DIR:-<repo>/.scratch/kube}.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
KUBE_VERSION="${DRIFTWATCH_KUBE_VERSION:-v1.35.4}"
ETCD_VERSION="v3.6.16"
HELM_VERSION="v3.22.0"
KUSTOMIZE_VERSION="v5.8.2"
CACHE="${DRIFTWATCH_CACHE:-$HOME/.cache/driftwatch}"
BIN="$CACHE/kube-$KUBE_VERSION/bin"
STATE="${DRIFTWATCH_KUBE_DIR:-$ROOT/.scratch/kube}"

log() { printf '\033[1;34m[kube]\033[0m %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

# ── build ────────────────────────────────────────────────────────────────────────────────────
go_build() { # <module dir> <output> <package> [ldflags]
  (cd "$1" && CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath -ldflags "-s -w ${4:-}" -o "$2" "$3")
}

build_kubernetes() {
  local want=()
  for b in kube-apiserver kubectl kube-controller-manager; do [ -x "$BIN/$b" ] || want+=("$b"); done
  [ ${#want[@]} -gt 0 ] || return 0
  local mod="$CACHE/build/kubernetes-$KUBE_VERSION" minor
  minor="${KUBE_VERSION#v1.}"
  minor="${minor%%.*}"
  mkdir -p "$mod" "$BIN"
  if [ ! -f "$mod/go.sum" ]; then
    log "resolving k8s.io/kubernetes $KUBE_VERSION"
    # k8s.io/kubernetes requires its staging modules at v0.0.0 and replaces them with paths that
    # the module download lacks: point each at its published v0.<minor>.<patch> instead.
    local gomod
    gomod="$(cd "$mod" && go mod download -json "k8s.io/kubernetes@$KUBE_VERSION" |
      sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')"
    [ -f "$gomod" ] || die "could not download k8s.io/kubernetes@$KUBE_VERSION's go.mod"
    {
      echo "module driftwatch.local/kube"
      echo "go 1.24"
      echo "require k8s.io/kubernetes $KUBE_VERSION"
      sed -n 's#^[[:space:]]*\(k8s.io/[a-z0-9-]*\) => ./staging/src/.*#\1#p' "$gomod" |
        grep -v '^k8s.io/sample-' |
        while read -r m; do echo "replace $m => $m v0.${KUBE_VERSION#v1.}"; done
    } >"$mod/go.mod"
    printf 'package kube\n\nimport (\n\t_ "k8s.io/kubernetes/cmd/kube-apiserver/app"\n\t_ "k8s.io/kubernetes/cmd/kube-controller-manager/app"\n\t_ "k8s.io/kubectl/pkg/cmd"\n)\n' >"$mod/deps.go"
    (cd "$mod" && go mod tidy >"$mod/tidy.log" 2>&1) || { cat "$mod/tidy.log" >&2; die "go mod tidy failed"; }
  fi
  local ld="" pkg
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ld+=" -X $pkg.gitVersion=$KUBE_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
  done
  for b in "${want[@]}"; do
    log "building $b $KUBE_VERSION$([ "$b" = kube-apiserver ] && echo ' (the first build takes 4 to 8 minutes on 2 cores)')"
    local t0=$SECONDS
    go_build "$mod" "$BIN/$b.tmp" "k8s.io/kubernetes/cmd/$b" "$ld"
    mv "$BIN/$b.tmp" "$BIN/$b"
    log "built $b in $((SECONDS - t0)) s"
  done
}

build_small() { # <binary> <module> <version> <package>
  [ -x "$BIN/$1" ] && return 0
  local mod="$CACHE/build/$1-$3"
  mkdir -p "$mod" "$BIN"
  if [ ! -f "$mod/go.sum" ]; then
    printf 'module driftwatch.local/%s\n\ngo 1.24\n\nrequire %s %s\n' "$1" "$2" "$3" >"$mod/go.mod"
    printf 'package main\n\nimport _ "%s"\n' "$4" >"$mod/deps.go"
    (cd "$mod" && go mod tidy >"$mod/tidy.log" 2>&1) || { cat "$mod/tidy.log" >&2; die "go mod tidy for $1 failed"; }
  fi
  log "building $1 $3"
  local t0=$SECONDS
  go_build "$mod" "$BIN/$1.tmp" "$4"
  mv "$BIN/$1.tmp" "$BIN/$1"
  log "built $1 in $((SECONDS - t0)) s"
}

build_control_plane() {
  command -v go >/dev/null || die "Go is needed to build the control plane (go.dev toolchain 1.24 or later)"
  build_small etcd go.etcd.io/etcd/server/v3 "$ETCD_VERSION" go.etcd.io/etcd/server/v3
  build_kubernetes
}

build_renderers() {
  build_small helm helm.sh/helm/v3 "$HELM_VERSION" helm.sh/helm/v3/cmd/helm
  build_small kustomize sigs.k8s.io/kustomize/kustomize/v5 "$KUSTOMIZE_VERSION" sigs.k8s.io/kustomize/kustomize/v5
}

# ── run ──────────────────────────────────────────────────────────────────────────────────────
free_port() {
  python3 - <<'PY'
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
PY
}

alive() { [ -f "$STATE/$1.pid" ] && kill -0 "$(cat "$STATE/$1.pid")" 2>/dev/null; }

export_line() {
  echo "export KUBECONFIG=$STATE/admin.kubeconfig; export DRIFTWATCH_KUBECONFIG=$STATE/driftwatch.kubeconfig; export PATH=$BIN:\$PATH"
}

wait_for() { # <what> <seconds> <command...>
  local what="$1" deadline=$((SECONDS + $2))
  shift 2
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.3
  done
}

write_kubeconfig() { # <file> <user> <token>
  cat >"$1" <<EOF
apiVersion: v1
kind: Config
clusters:
  - name: driftwatch-test
    cluster:
      server: https://127.0.0.1:$(cat "$STATE/apiserver.port")
      certificate-authority: $STATE/certs/apiserver.crt
users:
  - name: $2
    user:
      token: $3
contexts:
  - name: $2
    context: { cluster: driftwatch-test, user: $2 }
current-context: $2
EOF
}

start_etcd() {
  local client peer
  client="$(free_port)"
  peer="$(free_port)"
  echo "$client" >"$STATE/etcd.port"
  setsid "$BIN/etcd" --name default --data-dir "$STATE/etcd" --unsafe-no-fsync \
    --listen-client-urls "http://127.0.0.1:$client" --advertise-client-urls "http://127.0.0.1:$client" \
    --listen-peer-urls "http://127.0.0.1:$peer" --initial-advertise-peer-urls "http://127.0.0.1:$peer" \
    --initial-cluster "default=http://127.0.0.1:$peer" --log-level warn \
    >"$STATE/etcd.log" 2>&1 </dev/null 9>&- &
  echo $! >"$STATE/etcd.pid"
  wait_for etcd 20 curl -sf "http://127.0.0.1:$client/health" || { tail -20 "$STATE/etcd.log" >&2; die "etcd did not start"; }
}

# The token file is re-read only at start: `restart` after editing it simulates a revoked token.
start_apiserver() {
  local port
  # A restart keeps its port, so clients configured with the URL reach it again.
  port="$(cat "$STATE/apiserver.port" 2>/dev/null || free_port)"
  echo "$port" >"$STATE/apiserver.port"
  setsid "$BIN/kube-apiserver" \
    --etcd-servers "http://127.0.0.1:$(cat "$STATE/etcd.port")" \
    --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$port" \
    --cert-dir "$STATE/certs" --tls-cert-file "$STATE/certs/apiserver.crt" --tls-private-key-file "$STATE/certs/apiserver.key" \
    --service-account-issuer https://kubernetes.default.svc \
    --service-account-key-file "$STATE/certs/sa.pub" --service-account-signing-key-file "$STATE/certs/sa.key" \
    --token-auth-file "$STATE/tokens.csv" --authorization-mode RBAC \
    --allow-privileged=true --disable-admission-plugins ServiceAccount \
    --service-cluster-ip-range 10.96.0.0/16 --enable-priority-and-fairness=false \
    >"$STATE/apiserver.log" 2>&1 </dev/null 9>&- &
  echo $! >"$STATE/apiserver.pid"
  wait_for apiserver 60 curl -sf --cacert "$STATE/certs/apiserver.crt" "https://127.0.0.1:$port/readyz" ||
    { tail -30 "$STATE/apiserver.log" >&2; die "kube-apiserver did not become ready"; }
  write_kubeconfig "$STATE/admin.kubeconfig" admin "$(cat "$STATE/admin.token")"
  write_kubeconfig "$STATE/driftwatch.kubeconfig" driftwatch "$(cat "$STATE/driftwatch.token")"
}

start_controller_manager() {
  setsid "$BIN/kube-controller-manager" \
    --kubeconfig "$STATE/admin.kubeconfig" --leader-elect=false \
    --bind-address 127.0.0.1 --secure-port 0 \
    --service-account-private-key-file "$STATE/certs/sa.key" --root-ca-file "$STATE/certs/apiserver.crt" \
    --use-service-account-credentials=false --controllers '*,-nodeipam,-nodelifecycle,-cloud-node-lifecycle' \
    >"$STATE/controller-manager.log" 2>&1 </dev/null 9>&- &
  echo $! >"$STATE/controller-manager.pid"
}

stop_one() {
  alive "$1" || { rm -f "$STATE/$1.pid"; return 0; }
  local pid
  pid="$(cat "$STATE/$1.pid")"
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$STATE/$1.pid"
}

prepare_state() {
  rm -rf "$STATE"
  mkdir -p "$STATE/certs"
  openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=kube-apiserver" \
    -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
    -keyout "$STATE/certs/apiserver.key" -out "$STATE/certs/apiserver.crt" >/dev/null 2>&1
  openssl genrsa -out "$STATE/certs/sa.key" 2048 >/dev/null 2>&1
  openssl rsa -in "$STATE/certs/sa.key" -pubout -out "$STATE/certs/sa.pub" >/dev/null 2>&1
  head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$STATE/admin.token"
  head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$STATE/driftwatch.token"
  write_tokens
}

write_tokens() {
  {
    echo "$(cat "$STATE/admin.token"),admin,admin,system:masters"
    echo "$(cat "$STATE/driftwatch.token"),driftwatch,driftwatch"
  } >"$STATE/tokens.csv"
}

# The read-only identity gets exactly the ClusterRole the Kubernetes module's README documents.
apply_rbac() {
  local role="$ROOT/plugins/drift-backend-module-kubernetes/rbac/driftwatch-reader.yaml"
  KUBECONFIG="$STATE/admin.kubeconfig" "$BIN/kubectl" apply -f "$role" >/dev/null
  KUBECONFIG="$STATE/admin.kubeconfig" "$BIN/kubectl" create clusterrolebinding driftwatch-reader \
    --clusterrole driftwatch-reader --user driftwatch >/dev/null
}

up() {
  # Test files started in parallel may all ask for the control plane: one starts it. The
  # daemons are started without the lock descriptor (9>&-), so it ends with this script.
  mkdir -p "$(dirname "$STATE")"
  exec 9>"$STATE.lock"
  flock 9
  if alive apiserver && alive etcd; then
    export_line
    return
  fi
  down_quiet
  build_control_plane
  prepare_state
  local t0=$SECONDS
  start_etcd
  start_apiserver
  start_controller_manager
  apply_rbac
  log "control plane $KUBE_VERSION ready on https://127.0.0.1:$(cat "$STATE/apiserver.port") in $((SECONDS - t0)) s"
  export_line
}

# Restart the API server, re-reading the token file; the data in etcd stays.
restart_apiserver() {
  alive etcd || die "not running: bash scripts/kube.sh up first"
  stop_one apiserver
  start_apiserver
  export_line
}

# Revoke or restore the read-only identity's token (the API server reads the file at start).
revoke() {
  grep -v ',driftwatch,driftwatch$' "$STATE/tokens.csv" >"$STATE/tokens.csv.new" || true
  mv "$STATE/tokens.csv.new" "$STATE/tokens.csv"
  restart_apiserver
}
restore() {
  write_tokens
  restart_apiserver
}

down_quiet() {
  stop_one controller-manager
  stop_one apiserver
  stop_one etcd
  rm -rf "$STATE"
}

case "${1:-}" in
  up) up ;;
  down) down_quiet; log "stopped" ;;
  build) build_control_plane; build_renderers; log "binaries in $BIN" ;;
  build-renderers) build_renderers ;;
  restart-apiserver) restart_apiserver ;;
  stop-apiserver) stop_one apiserver ;;
  revoke-token) revoke ;;
  restore-token) restore ;;
  bin) echo "$BIN" ;;
  status) if alive apiserver; then export_line; else echo "not running"; exit 1; fi ;;
  *) echo "usage: bash scripts/kube.sh up|down|build|status|bin|restart-apiserver|stop-apiserver|revoke-token|restore-token" >&2; exit 2 ;;
esac
