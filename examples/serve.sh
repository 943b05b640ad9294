#!/usr/bin/env bash
# Serve a model with SageMaker's inference contract and call it with curl.
# Runs after examples/quickstart.sh (uses its model and images).
#   examples/serve.sh [PORT=8080]
set -euo pipefail
PORT=${1:-8080}
HERE=$(cd "$(dirname "$0")/.." && pwd)
Q=${SCRATCH:-/tmp/imgclass-quickstart}
[ -f "$Q/model/model.tar.gz" ] || { echo "run examples/quickstart.sh first" >&2; exit 2; }
IMG=$(find "$Q/images" -name '*.png' -print -quit)
# One OpenMP thread per request: the server runs requests side by side (docs/inference.md).
OMP_NUM_THREADS=1 "$HERE/imgclass" serve --model "$Q/model/model.tar.gz" --port "$PORT" &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null || true' EXIT
for _ in $(seq 120); do curl -fs "http://127.0.0.1:$PORT/ping" >/dev/null 2>&1 && break; sleep 0.5; done
echo "== GET /ping"; curl -s -o /dev/null -w '%{http_code}\n' "http://127.0.0.1:$PORT/ping"
echo "== POST /invocations (no Accept: a bare JSON array, as SageMaker's endpoint answers)"
curl -s -H 'Content-Type: image/png' --data-binary @"$IMG" "http://127.0.0.1:$PORT/invocations"; echo
echo "== POST /invocations, Accept: application/jsonlines"
curl -s -H 'Content-Type: application/x-image' -H 'Accept: application/jsonlines' --data-binary @"$IMG" \
  "http://127.0.0.1:$PORT/invocations"; echo
echo "== an unsupported content type: 415"
curl -s -o /dev/null -w '%{http_code}\n' -H 'Content-Type: text/plain' --data 'hello' "http://127.0.0.1:$PORT/invocations"
