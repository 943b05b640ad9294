#!/usr/bin/env bash
# Distributed training throughput on this machine: one process (kv_store device) against a local
# parameter-server cluster (imgclass launch: scheduler + 1 server + 2 workers, dist_sync), on the
# same Fashion-MNIST images, ResNet-20, 1 epoch, several repetitions; medians of images/s.
# Also the bytes per step: what each worker's log states (gradients pushed, weights pulled) and
# what crossed the loopback interface during the run (/proc/net/dev "lo", every byte incl. TCP/IP
# and ps-lite headers; other programs on lo are counted too, so it is an upper bound).
#
# Usage: FASHION_MNIST_PNG=DIR bench/distributed_bench.sh [IMAGES=1024] [REPS=3]
set -euo pipefail
HERE=$(cd "$(dirname "$0")/.." && pwd)
N=${1:-1024}
REPS=${2:-3}
W=$(mktemp -d /tmp/imgclass-distbench.XXXXXX)
trap 'rm -rf "$W"' EXIT
SRC=${FASHION_MNIST_PNG:-}
[ -n "$SRC" ] && [ -d "$SRC" ] || { echo "set FASHION_MNIST_PNG to a folder of Fashion-MNIST training PNGs, one sub-folder per class (the peers' get-datasets.sh makes DATA/fashion-mnist/train)" >&2; exit 2; }
PER=$(( (N + 9) / 10 ))
for d in "$SRC"/*/; do
  c=$(basename "$d"); mkdir -p "$W/img/$c"
  # (a sorted list read whole: head closing the pipe early would trip pipefail)
  mapfile -t files < <(ls "$d")
  for f in "${files[@]:0:$PER}"; do ln -s "$d/$f" "$W/img/$c/$f"; done
done
IMG="$HERE/imgclass"
"$IMG" make-lst -q --recursive "$W/fm" "$W/img"
"$IMG" pack-recordio -q --pass-through "$W/fm" "$W/img"
COUNT=$(wc -l < "$W/fm.lst")
COMMON=(--train "$W/fm.rec" --num-classes 10 --num-training-samples "$COUNT" --image-shape 1,28,28
  --num-layers 20 --epochs 1 --seed 7 --threads 1 --log-interval 1000)

lo_bytes() { awk '$1=="lo:"{print $2}' /proc/net/dev; }
epoch_secs() { grep -o 'Epoch\[0\] Time cost=[0-9.]*' "$1" | head -1 | sed 's/.*=//'; }

echo "date: $(date -u +%FT%TZ)  machine: $(nproc) cores, $(uname -m)  load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "images: $COUNT (Fashion-MNIST train, 28x28 grey), ResNet-20, 1 epoch, reps: $REPS"
declare -A RES
for rep in $(seq 1 "$REPS"); do
  # one process, batch 32, with 1 OpenMP thread and with one per core
  for th in 1 "$(nproc)"; do
    OMP_NUM_THREADS=$th "$IMG" train "${COMMON[@]}" --mini-batch-size 32 -o "$W/one$th" > "$W/one$th.log" 2>&1
    t=$(epoch_secs "$W/one$th.log"); RES[one$th]+="$(echo "$COUNT / $t" | bc -l) "
  done
  # two workers, batch 16 each (the same 32 images per step), cores shared out by launch
  for b in 16 32; do
    lo0=$(lo_bytes)
    "$IMG" launch -n 2 -s 1 -- train "${COMMON[@]}" --mini-batch-size "$b" --kv-store dist_sync -o "$W/d$b" > "$W/d$b.log" 2>&1
    lo1=$(lo_bytes)
    t=$(grep '\[worker' "$W/d$b.log" | grep -o 'Epoch\[0\] Time cost=[0-9.]*' | sed 's/.*=//' | sort -n | tail -1)
    RES[d$b]+="$(echo "$COUNT / $t" | bc -l) "
    steps=$(( (COUNT / 2 + b - 1) / b ))
    RES[lo$b]+="$(( (lo1 - lo0) / steps )) "
  done
  last() { echo "${RES[$1]}" | awk '{printf "%.1f", $NF}'; }
  echo "rep $rep: one(OMP 1)=$(last one1) one(OMP $(nproc))=$(last one$(nproc)) 2x16=$(last d16) 2x32=$(last d32) img/s  load $(cut -d' ' -f1 /proc/loadavg)"
done
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
ONE=$(echo "${RES[one1]}" | median); ONEN=$(echo "${RES[one$(nproc)]}" | median); D16=$(echo "${RES[d16]}" | median); D32=$(echo "${RES[d32]}" | median)
printf 'median images/s: 1 process batch 32: %.1f with OMP 1, %.1f with OMP %d | 2 workers x 16: %.1f (ratio to OMP 1: %.2f) | 2 workers x 32: %.1f (ratio %.2f)\n' \
  "$ONE" "$ONEN" "$(nproc)" "$D16" "$(echo "$D16 / $ONE" | bc -l)" "$D32" "$(echo "$D32 / $ONE" | bc -l)"
grep -m1 -o 'kvstore: .*' "$W/d16.log"
echo "loopback bytes per step (all nodes, counted once, median): x16: $(echo "${RES[lo16]}" | median)  x32: $(echo "${RES[lo32]}" | median)"
