#!/usr/bin/env bash
# Issue 6 benchmark (a): Fashion-MNIST end to end, make-lst -> pack-recordio -> train -> evaluate.
# Goal: >= 93 % test accuracy within 10 epochs; the wall time of every stage is printed.
#   bench/fmnist-train.sh DATA_DIR [OUT=/tmp/fmnist-train]   (DATA_DIR from the peers' get-datasets.sh)
set -euo pipefail
DATA=${1:?usage: fmnist-train.sh DATA_DIR [OUT]}
OUT=${2:-/tmp/fmnist-train}
HERE=$(cd "$(dirname "$0")/.." && pwd)
IC="$HERE/imgclass"
"$IC" --version >/dev/null
rm -rf "$OUT" && mkdir -p "$OUT" && cd "$OUT"
t0=$(date +%s)
"$IC" make-lst fm_train "$DATA/fashion-mnist/train" --recursive
"$IC" make-lst fm_test "$DATA/fashion-mnist/test" --recursive --no-shuffle
"$IC" pack-recordio fm_train.lst "$DATA/fashion-mnist/train" --encoding .png --color 0 --num-thread 2 --quiet
"$IC" pack-recordio fm_test.lst "$DATA/fashion-mnist/test" --encoding .png --color 0 --num-thread 2 --quiet
t1=$(date +%s)
"$IC" train --train fm_train.rec --validation fm_test.rec --num-classes 10 --num-training-samples 60000 \
  --image-shape 1,28,28 --num-layers 20 --epochs 10 --mini-batch-size 128 --learning-rate 0.1 \
  --lr-scheduler-step 6,9 --lr-scheduler-factor 0.1 --augmentation-type crop --log-interval 100 --output model
t2=$(date +%s)
"$IC" evaluate --model model/model.tar.gz fm_test.rec --format text | head -n 5
t3=$(date +%s)
echo "seconds: lists+pack $((t1 - t0)), train $((t2 - t1)), evaluate $((t3 - t2))"
