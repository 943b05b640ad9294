#!/usr/bin/env bash
# Side-by-side packing benchmark: imgclass pack-recordio vs the OpenCV im2rec-style peer
# (shared/peers/opencv_pack_bench.py), same JPEGs, --resize 256 --quality 95, 2 workers each.
#
#   bench/pack-bench.sh RUNS DATA PEERS [SCRATCH=/tmp/pack-bench]
#   (DATA holds bench-photo-jpeg/ and bench-fmnist-jpeg/; PEERS is the folder of the peer scripts,
#   opencv_pack_bench.py; or set IMGCLASS_DATA / IMGCLASS_PEERS)
#   (SETS="bench-photo-jpeg" to run one data set only)
#
# For each data set the two tools run alternately RUNS times. Reported per tool: median images/s.
#   peer        : opencv_pack_bench.py's own "pack" timing (Pool start + decode/resize/encode/write;
#                 Python start-up and imports excluded), one timed run per invocation.
#   ours (wall) : the whole `imgclass pack-recordio` process, JVM start-up and list check included.
#   ours (tool) : the packing pass as the tool's own summary reports it (after JVM start-up).
# Also printed: the 1-minute load average before each run (2-core machine: > 0.5 means other work),
# and whether our packed JPEGs are byte-identical to the peer's (bench/rec-payload-parity.py).
set -euo pipefail
RUNS=${1:-5}
DATA=${2:-${IMGCLASS_DATA:-}}
PEERS=${3:-${IMGCLASS_PEERS:-}}
[ -n "$DATA" ] && [ -f "$PEERS/opencv_pack_bench.py" ] || {
  echo "usage: bench/pack-bench.sh RUNS DATA PEERS (or IMGCLASS_DATA, IMGCLASS_PEERS): PEERS must hold opencv_pack_bench.py" >&2; exit 2; }
SCRATCH=${4:-/tmp/pack-bench}
HERE=$(cd "$(dirname "$0")/.." && pwd)
PY=/usr/bin/python3
mkdir -p "$SCRATCH"
"$HERE/imgclass" --version >/dev/null   # builds if needed, outside the timings

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

echo "date: $(date -u +%FT%TZ)  host: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "java: $(java -version 2>&1 | head -1)   peer: $($PY -c 'import cv2; print("OpenCV", cv2.__version__)')"
for set in ${SETS:-bench-photo-jpeg bench-fmnist-jpeg}; do
  root="$DATA/$set"
  n=$(find "$root" -name '*.jpg' | wc -l)
  "$HERE/imgclass" make-lst "$SCRATCH/ours-$set" "$root" --recursive -q
  peer=() wall=() tool=() loads=()
  for ((i = 1; i <= RUNS; i++)); do
    loads+=("$(cut -d' ' -f1 /proc/loadavg)")
    p=$($PY "$PEERS/opencv_pack_bench.py" "$root" "$SCRATCH/peer-$set" --repeat 1 --resize 256 --quality 95 --workers 2 \
        | $PY -c 'import json,sys; print(json.load(sys.stdin)["pack"]["images_per_s"])')
    peer+=("$p")
    loads+=("$(cut -d' ' -f1 /proc/loadavg)")
    t0=$(date +%s.%N)
    out=$("$HERE/imgclass" pack-recordio "$SCRATCH/ours-$set.lst" "$root" --resize 256 --quality 95 --num-thread 2)
    t1=$(date +%s.%N)
    wall+=("$(echo "$n / ($t1 - $t0)" | bc -l)")
    tool+=("$(echo "$out" | sed -n 's/.*(\([0-9.]*\) img\/s)$/\1/p')")
    printf '%s run %d: peer %.0f img/s | ours %.0f img/s wall, %.0f img/s tool\n' "$set" "$i" "$p" "${wall[-1]}" "${tool[-1]}"
  done
  mp=$(printf '%s\n' "${peer[@]}" | median)
  mw=$(printf '%s\n' "${wall[@]}" | median)
  mt=$(printf '%s\n' "${tool[@]}" | median)
  printf 'RESULT %s (%d images): peer %.0f img/s, ours %.0f img/s wall (ratio %.2f), %.0f img/s tool (ratio %.2f); load avg %s\n' \
    "$set" "$n" "$mp" "$mw" "$(echo "$mw / $mp" | bc -l)" "$mt" "$(echo "$mt / $mp" | bc -l)" "$(printf '%s ' "${loads[@]}")"
  # Not timed: are the packed JPEGs the same bytes as the peer's (im2rec's OpenCV pipeline)?
  echo "PARITY $set: $(IMGCLASS_PEERS="$PEERS" $PY "$HERE/bench/rec-payload-parity.py" "$SCRATCH/ours-$set" "$SCRATCH/peer-$set" | head -2 | tr '\n' ' ')"
done
