#!/usr/bin/env bash
# Whole-process packing benchmark (issue 16): the complete `imgclass pack-recordio` process, JVM
# start-up included, against the OpenCV im2rec-style peer's own packing rate
# (shared/peers/opencv_pack_bench.py, run as its own process as its README says; its Python
# start-up and imports are not counted, its pool start is).
#
#   bench/pack-bench-whole.sh RUNS DATA SHARED [SCRATCH=/tmp/pack-bench-whole]
#   (DATA: the datasets folder, or IMGCLASS_DATA; SHARED: the folder holding peers/, or IMGCLASS_SHARED)
#   SETS="photo4x big"   which sets (default both)
#   THREADS=2            --num-thread / --workers
#   BIG_RUNS=RUNS        repetitions for the 12 MP set (the peer takes minutes per run there)
#   SCALING="1 2 3 4"    also time ours alone at these thread counts on photo4x, SCALING_RUNS=3 each
#
# Sets (made under DATA when missing):
#   photo4x : bench-photo-4x = 4 hard-linked copies of bench-photo-jpeg (4,000 JPEGs 500x375),
#             --resize 256 --quality 95, the default path. Checked: byte-identical to the peer's
#             JPEGs (bench/rec-payload-parity.py) and read by MXNet (mxnet_recordio_crosscheck.py).
#   big     : bench-12mp = bench/make-12mp.py's 112 JPEGs 4032x3024, --resize 256 --quality 95;
#             ours with --scaled-decode (timed) and without (untimed, must be byte-identical to the
#             peer's). Prints how far the scaled pixels are from the default path's.
# The two tools alternate RUNS times per set; printed per run: the 1-minute load average, both
# rates and their ratio, and the CPU milliseconds each spent per image; then medians. Wall time of
# ours = the whole process, from fork to exit. On a machine shared with other work the CPU per
# image is the steadier figure: the wall-clock ratio then also measures who got the cores.
set -euo pipefail
RUNS=${1:-5}
DATA=${2:-${IMGCLASS_DATA:-}}
SHARED=${3:-${IMGCLASS_SHARED:-}}
[ -n "$DATA" ] && [ -f "$SHARED/peers/opencv_pack_bench.py" ] || {
  echo "usage: bench/pack-bench-whole.sh RUNS DATA_DIR SHARED_DIR (SHARED_DIR/peers/opencv_pack_bench.py must exist)" >&2; exit 2; }
export IMGCLASS_PEERS="$SHARED/peers" # rec-payload-parity.py reads the peer's RecordIO reader from there
SCRATCH=${4:-/tmp/pack-bench-whole}
THREADS=${THREADS:-2}
HERE=$(cd "$(dirname "$0")/.." && pwd)
PY=/usr/bin/python3
mkdir -p "$SCRATCH"
"$HERE/imgclass" --version >/dev/null   # builds if needed, outside the timings
# ... and makes the launcher's class-data archive (first pack-recordio run after a build).
: > "$SCRATCH/empty.lst"
"$HERE/imgclass" pack-recordio -q --allow-empty "$SCRATCH/empty.lst" "$SCRATCH"

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
load() { cut -d' ' -f1 /proc/loadavg; }

if [ ! -d "$DATA/bench-photo-4x" ]; then
  mkdir -p "$DATA/bench-photo-4x.tmp"
  for k in 1 2 3 4; do
    for c in "$DATA"/bench-photo-jpeg/*/; do cp -al "$c" "$DATA/bench-photo-4x.tmp/$(basename "$c")-$k"; done
  done
  mv "$DATA/bench-photo-4x.tmp" "$DATA/bench-photo-4x"
fi
[ -d "$DATA/bench-12mp" ] || $PY "$HERE/bench/make-12mp.py" "$DATA/bench-photo-jpeg" "$DATA/bench-12mp"

echo "date: $(date -u +%FT%TZ)  host: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "java: $(java -version 2>&1 | head -1)   peer: $($PY -c 'import cv2; print("OpenCV", cv2.__version__)')"
echo "uptime: $(uptime)"

# ours SET ROOT EXTRA... : one whole process; prints images/s (wall), the tool's own figure and
# the process's CPU milliseconds per image (user + sys, JVM start-up included).
ours() {
  local set=$1 root=$2; shift 2
  local n t0 t1 out
  n=$(wc -l < "$SCRATCH/ours-$set.lst")
  t0=$(date +%s.%N)
  out=$(/usr/bin/time -f 'CPU %U %S' -o "$SCRATCH/time.txt" \
    "$HERE/imgclass" pack-recordio "$SCRATCH/ours-$set.lst" "$root" --resize 256 --quality 95 "$@")
  t1=$(date +%s.%N)
  echo "$(echo "$n / ($t1 - $t0)" | bc -l) $(echo "$out" | sed -n 's/.*(\([0-9.]*\) img\/s)$/\1/p')" \
    "$(awk -v n="$n" '/^CPU/ {print 1000 * ($2 + $3) / n}' "$SCRATCH/time.txt")"
}
# The peer's packing rate and the CPU milliseconds per image its pack phase used (own_cpu_s: the
# parent and the pool workers, measured by the peer itself).
peer() {
  local set=$1 root=$2
  $PY "$SHARED/peers/opencv_pack_bench.py" "$root" "$SCRATCH/peer-$set" --repeat 1 --resize 256 --quality 95 \
    --workers "$THREADS" | $PY -c 'import json,sys; d=json.load(sys.stdin); p=d["pack"]
print(p["images_per_s"], 1000 * p["best"]["own_cpu_s"] / d["images"])'
}

for set in ${SETS:-photo4x big}; do
  case $set in
    photo4x) root="$DATA/bench-photo-4x"; flags=() ;;
    big) root="$DATA/bench-12mp"; flags=(--scaled-decode) ;;
    *) echo "unknown set $set" >&2; exit 2 ;;
  esac
  "$HERE/imgclass" make-lst "$SCRATCH/ours-$set" "$root" --recursive -q
  peers=() walls=() tools=() ratios=() loads=() pcpus=() ocpus=()
  reps=$RUNS
  [ "$set" = big ] && reps=${BIG_RUNS:-$RUNS}
  for ((i = 1; i <= reps; i++)); do
    l=$(load)
    read -r p pc < <(peer "$set" "$root")
    read -r w t oc < <(ours "$set" "$root" --num-thread "$THREADS" "${flags[@]}")
    peers+=("$p") walls+=("$w") tools+=("$t") loads+=("$l") pcpus+=("$pc") ocpus+=("$oc")
    ratios+=("$(echo "$w / $p" | bc -l)")
    printf '%s run %d (load %s): peer %.1f img/s | ours %.1f img/s whole process (%.1f tool) | ratio %.2f | CPU ms/image peer %.2f, ours %.2f\n' \
      "$set" "$i" "$l" "$p" "$w" "$t" "${ratios[-1]}" "$pc" "$oc"
  done
  printf 'CPU %s: median ms of CPU per image: peer (pack phase) %.2f, ours (whole process) %.2f, ratio %.2f\n' "$set" \
    "$(printf '%s\n' "${pcpus[@]}" | median)" "$(printf '%s\n' "${ocpus[@]}" | median)" \
    "$(echo "$(printf '%s\n' "${pcpus[@]}" | median) / $(printf '%s\n' "${ocpus[@]}" | median)" | bc -l)"
  mp=$(printf '%s\n' "${peers[@]}" | median)
  mw=$(printf '%s\n' "${walls[@]}" | median)
  mt=$(printf '%s\n' "${tools[@]}" | median)
  mr=$(printf '%s\n' "${ratios[@]}" | median)
  printf 'RESULT %s %s: peer median %.1f img/s, ours median %.1f img/s whole process (tool %.1f); ratio of medians %.2f, median of per-run ratios %.2f; per-run ratios %s; loads %s\n' \
    "$set" "${flags[*]:-default}" "$mp" "$mw" "$mt" "$(echo "$mw / $mp" | bc -l)" "$mr" \
    "$(printf '%.2f ' "${ratios[@]}")" "${loads[*]}"
  if [ "$set" = big ]; then
    # The scaled output against the peer's (full decode) pixels, then the default path's bytes.
    IMGCLASS_SHARED="$SHARED" $PY "$HERE/bench/scaled-diff.py" "$SCRATCH/ours-$set" "$SCRATCH/peer-$set" "$root"
    "$HERE/imgclass" pack-recordio -q "$SCRATCH/ours-$set.lst" "$root" --resize 256 --quality 95 --num-thread "$THREADS"
  fi
  echo "PARITY $set (default path): $(IMGCLASS_PEERS="$SHARED/peers" $PY "$HERE/bench/rec-payload-parity.py" "$SCRATCH/ours-$set" "$SCRATCH/peer-$set" | head -2 | tr '\n' ' ')"
  if [ "$set" = photo4x ]; then
    lib=${MXNET_LIB:-$(find "$HERE/dist/target/imgclass/native/mxnet" "$HOME/.djl.ai" -name libmxnet.so 2>/dev/null | head -1 || true)}
    if [ -n "$lib" ]; then
      echo "MXNET $set: $($PY "$SHARED/peers/mxnet_recordio_crosscheck.py" "$SCRATCH/ours-$set" --lib "$lib" 2>/dev/null \
        | $PY -c 'import json,sys; print(json.dumps(json.load(sys.stdin)))' || echo FAILED)"
    else
      echo "MXNET $set: no libmxnet.so found (set MXNET_LIB)"
    fi
  fi
done

if [ -n "${SCALING:-}" ]; then
  set=photo4x
  for th in $SCALING; do
    r=()
    for ((i = 1; i <= ${SCALING_RUNS:-3}; i++)); do
      read -r w t c < <(ours "$set" "$DATA/bench-photo-4x" --num-thread "$th")
      r+=("$(printf "%.0f/%.0f/%.2f" "$w" "$t" "$c")")
    done
    echo "SCALING $set --num-thread $th: whole img/s / tool img/s / CPU ms per image, per run: ${r[*]} (load $(load))"
  done
fi
