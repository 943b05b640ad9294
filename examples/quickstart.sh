#!/usr/bin/env bash
# imgclass quick start, the main job end to end on a real labelled data set:
#   images -> make-lst -> pack-recordio -> inspect -> train -> predict
# in a few minutes on a fresh Debian/Ubuntu machine with JDK 17 and Maven (root for apt-get;
# registries reachable). Scratch data goes to $SCRATCH (default /tmp/imgclass-quickstart), never the repo.
#
#   examples/quickstart.sh [PER_CLASS=200] [EPOCHS=6]
#
# Data: Fashion-MNIST from Debian's dataset-fashion-mnist package (MIT, Zalando SE): the first
# PER_CLASS test images of each of the 10 classes, written as 28x28 grey PNGs in class folders.
set -euo pipefail
PER_CLASS=${1:-200}
EPOCHS=${2:-6}
HERE=$(cd "$(dirname "$0")/.." && pwd)
SCRATCH=${SCRATCH:-/tmp/imgclass-quickstart}
FMNIST=/usr/share/datasets/fashion-mnist
mkdir -p "$SCRATCH"

# dataset-fashion-mnist: the data (31 MB). libturbojpeg0 (optional, 0.2 MB): pack-recordio then
# codes JPEGs with libjpeg-turbo, as OpenCV does, instead of the JDK's slower libjpeg.
need=()
[ -f "$FMNIST/t10k-images-idx3-ubyte.gz" ] || need+=(dataset-fashion-mnist)
dpkg -s libturbojpeg0 >/dev/null 2>&1 || need+=(libturbojpeg0)
if [ ${#need[@]} -gt 0 ]; then
  echo "== apt-get install ${need[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null 2>&1 \
    || { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null; }
fi

echo "== writing $PER_CLASS PNGs per class to $SCRATCH/images"
rm -rf "$SCRATCH/images"
java "$HERE/examples/IdxToPng.java" "$FMNIST/t10k-images-idx3-ubyte.gz" "$FMNIST/t10k-labels-idx1-ubyte.gz" \
  "$SCRATCH/images" "$PER_CLASS" \
  0_T-shirt_top 1_Trouser 2_Pullover 3_Dress 4_Coat 5_Sandal 6_Shirt 7_Sneaker 8_Bag 9_Ankle_boot

echo "== imgclass make-lst (im2rec --list: shuffled with im2rec's seed, 80/20 train/val)"
"$HERE/imgclass" make-lst "$SCRATCH/fmnist" "$SCRATCH/images" --recursive --train-ratio 0.8

echo "== imgclass pack-recordio (im2rec: every fmnist*.lst -> .rec + .idx; grey, lossless PNG records)"
"$HERE/imgclass" pack-recordio "$SCRATCH/fmnist" "$SCRATCH/images" --color 0 --encoding .png --num-thread 2

echo "== imgclass inspect"
"$HERE/imgclass" inspect "$SCRATCH/fmnist_train.rec"

ntrain=$(wc -l < "$SCRATCH/fmnist_train.lst")
echo "== imgclass train (SageMaker hyperparameters: ResNet-20 for 28x28 grey, $EPOCHS epochs)"
rm -rf "$SCRATCH/model"
"$HERE/imgclass" train --train "$SCRATCH/fmnist_train.rec" --validation "$SCRATCH/fmnist_val.rec" \
  --num-classes 10 --num-training-samples "$ntrain" --image-shape 1,28,28 --num-layers 20 \
  --epochs "$EPOCHS" --mini-batch-size 64 --learning-rate 0.05 --lr-scheduler-step 4 --augmentation-type crop \
  --output "$SCRATCH/model"

echo "== imgclass predict (five validation images; SageMaker's JSON lines with the top 2 classes)"
head -n 5 "$SCRATCH/fmnist_val.lst" | cut -f3 | sed "s|^|$SCRATCH/images/|" > "$SCRATCH/predict-inputs.txt"
# shellcheck disable=SC2046
"$HERE/imgclass" predict --model "$SCRATCH/model/model.tar.gz" --accept application/jsonlines --top-k 2 \
  --output "$SCRATCH/predictions.jsonl" $(cat "$SCRATCH/predict-inputs.txt")
paste <(sed -e "s/.*\/images\///" -e "s/\", \"prediction.*\"top_k\"/  top_k/" "$SCRATCH/predictions.jsonl" | cut -c1-150) <(head -n 5 "$SCRATCH/fmnist_val.lst" | cut -f2 | sed 's/^/   true label: /')

echo
echo "Done. In $SCRATCH:"
echo "  lists and RecordIO:  $SCRATCH/fmnist_train.lst .rec .idx, fmnist_val.*, fmnist-classes.json"
echo "  model:               $SCRATCH/model/model.tar.gz (+ metrics.json, training-curve.png)"
echo "  predictions:         $SCRATCH/predictions.jsonl"
