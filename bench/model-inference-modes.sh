#!/usr/bin/env bash
# Compares NetworkRunner's two execution modes (MXNet CachedOp over the symbol JSON vs DJL
# imperative ops over the graph) on the same network and weights, interleaved, medians.
# Usage: bench/model-inference-modes.sh [LAYERS C,H,W BATCH REPS]...
set -euo pipefail
cd "$(dirname "$0")/.."
CP_FILE=core/target/bench.classpath
# In one reactor run, so the sibling module resolves; core (built last) writes the file last.
mvn -o -q -B test-compile dependency:build-classpath -pl core -am -Dmdep.outputFile="$PWD/$CP_FILE" -Dmdep.includeScope=test >/dev/null
ARGS=("$@")
if [ ${#ARGS[@]} -eq 0 ]; then
  ARGS=(20 3,28,28 1 40  20 3,28,28 32 10  18 3,32,32 1 40  18 3,32,32 32 10  18 3,224,224 1 20  18 3,224,224 32 5)
fi
echo "date: $(date -u +%FT%TZ)  machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)  load: $(cut -d' ' -f1-3 /proc/loadavg)"
DJL_OFFLINE=true OMP_NUM_THREADS="${OMP_NUM_THREADS:-2}" java -cp "core/target/classes:core/target/test-classes:$(cat "$CP_FILE")" \
  io.imgclass.core.model.InferenceModeBench "${ARGS[@]}"
