#!/usr/bin/env bash
# Loopback load test of `imgclass serve`: a small ResNet (ResNet-20, 3x28x28, 10 classes, seeded
# fresh weights) answering Fashion-MNIST test PNGs. First compares the concurrency strategies
# (interleaved, REPS rounds of CLIENTS x SHORT requests each), then runs the default strategy
# with CLIENTS x REQUESTS requests. Every server is the real CLI in its own JVM, stopped by SIGTERM.
# Usage: bench/serve-load.sh DATA_DIR    (env: CLIENTS=8 REQUESTS=2000 SHORT=300 REPS=3 ENGINE=mxnet)
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${1:-${IMGCLASS_DATA:-}}
[ -n "$DATA" ] || { echo "usage: bench/serve-load.sh DATA_DIR (the folder holding fashion-mnist/test; or set IMGCLASS_DATA)" >&2; exit 2; }
IMAGES="$DATA/fashion-mnist/test"
CLIENTS=${CLIENTS:-8}
REQUESTS=${REQUESTS:-2000}
SHORT=${SHORT:-300}
REPS=${REPS:-3}
ENGINE=${ENGINE:-mxnet}
SCRATCH=$(mktemp -d)
trap 'rm -rf "$SCRATCH"' EXIT
[ -d "$IMAGES" ] || { echo "no $IMAGES (the peers' get-datasets.sh makes it)" >&2; exit 2; }
./imgclass --version >/dev/null
./imgclass model --num-layers 20 --image-shape 3,28,28 --num-classes 10 --init-out "$SCRATCH/m.tar.gz" --seed 1 >/dev/null
echo "date: $(date -u +%FT%TZ)  machine: $(nproc --all) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)  load: $(cut -d' ' -f1-3 /proc/loadavg)"

run() { # LABEL OMP_THREADS N SERVE_ARGS...
  local label=$1 omp=$2 n=$3
  shift 3
  OMP_NUM_THREADS=$omp ./imgclass serve --engine "$ENGINE" --model "$SCRATCH/m.tar.gz" --port 0 "$@" >"$SCRATCH/out" 2>"$SCRATCH/err" &
  local pid=$!
  local port=""
  for _ in $(seq 1 300); do
    port=$(grep -o '127.0.0.1:[0-9]*' "$SCRATCH/out" 2>/dev/null | cut -d: -f2 || true)
    [ -n "$port" ] && break
    sleep 0.1
  done
  [ -n "$port" ] || { cat "$SCRATCH/err" >&2; kill "$pid"; exit 1; }
  # Warm-up (MXNet sets up its graph on the first passes), not counted.
  java bench/ServeLoad.java "http://127.0.0.1:$port/invocations" "$IMAGES" "$CLIENTS" 20 >/dev/null
  echo "$label $(java bench/ServeLoad.java "http://127.0.0.1:$port/invocations" "$IMAGES" "$CLIENTS" "$n")"
  kill -TERM "$pid"
  wait "$pid" || true
}

# MXNet's OpenMP threads per forward pass matter as much as the strategy: on a busy machine a
# 2-thread pass stalls whenever one of its threads is descheduled.
for rep in $(seq 1 "$REPS"); do
  run "pool  workers=1 omp=2" 2 "$SHORT" --strategy pool --workers 1
  run "pool  workers=2 omp=1" 1 "$SHORT" --strategy pool --workers 2
  run "batch workers=1 omp=2" 2 "$SHORT" --strategy batch --workers 1
  run "batch workers=1 omp=1" 1 "$SHORT" --strategy batch --workers 1
done
echo "engine $ENGINE; defaults (OMP_NUM_THREADS as the launcher sets it: ${OMP_NUM_THREADS:-$(nproc)}), $CLIENTS clients x $REQUESTS requests:"
run "default" "${OMP_NUM_THREADS:-$(nproc)}" "$REQUESTS"
