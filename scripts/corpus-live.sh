#!/usr/bin/env bash
# Gives drift test cases real live objects: applies each case's desired.yaml to a real
# kube-apiserver (scripts/kube.sh) and writes what the server returns as live.yaml beside it.
#
#   yarn corpus:live <folder>   a case folder (with desired.yaml) or a folder of case folders
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[ $# -eq 1 ] && [ -d "$1" ] || { echo "usage: yarn corpus:live <folder with desired.yaml, or of case folders>" >&2; exit 2; }
eval "$(bash "$ROOT/scripts/kube.sh" up | tail -1)"

capture() { # <case folder>
  local desired="$1/desired.yaml" namespaces
  namespaces="$(kubectl create --dry-run=client -o jsonpath='{.metadata.namespace}{"\n"}' -f "$desired" 2>/dev/null |
    sort -u | grep -v '^$' || true)"
  for ns in $namespaces; do
    kubectl get namespace "$ns" >/dev/null 2>&1 || kubectl create namespace "$ns" >/dev/null
  done
  if ! kubectl apply -f "$desired" >/dev/null; then
    echo "$1: the API server rejected desired.yaml (see above); live.yaml left as it was" >&2
    return 1
  fi
  kubectl get -f "$desired" -o yaml --show-managed-fields >"$1/live.yaml"
  kubectl delete -f "$desired" --wait=false >/dev/null
  echo "$1/live.yaml"
}

failed=0
if [ -f "$1/desired.yaml" ]; then
  capture "$1" || failed=1
else
  for dir in "$1"/*/; do
    [ -f "$dir/desired.yaml" ] && { capture "${dir%/}" || failed=1; }
  done
fi
exit $failed
