#!/usr/bin/env bash
# imgclass quick start: a real labelled data set -> im2rec lists -> MXNet RecordIO, in a couple of
# minutes on a fresh Debian/Ubuntu machine with JDK 17 and Maven (root for apt-get; registries
# reachable). Scratch data goes to $SCRATCH (default /tmp/imgclass-quickstart), never the repo.
#
#   examples/quickstart.sh [PER_CLASS=50]
#
# Data: Fashion-MNIST from Debian's dataset-fashion-mnist package (MIT, Zalando SE): the first
# PER_CLASS test images of each of the 10 classes, written as 28x28 grey PNGs in class folders.
set -euo pipefail
PER_CLASS=${1:-50}
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

echo "== imgclass pack-recordio (im2rec: every fmnist*.lst -> .rec + .idx, shorter side 32)"
"$HERE/imgclass" pack-recordio "$SCRATCH/fmnist" "$SCRATCH/images" --resize 32 --num-thread 2

if "$HERE/imgclass" --help 2>/dev/null | grep -qw inspect; then
  echo "== imgclass inspect"
  "$HERE/imgclass" inspect "$SCRATCH/fmnist_train.rec" || true
fi

echo
echo "Outputs in $SCRATCH:"
ls -l "$SCRATCH"/fmnist* | awk '{print "  " $NF "  (" $5 " bytes)"}'
