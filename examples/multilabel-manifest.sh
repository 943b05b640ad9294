#!/usr/bin/env bash
# Multi-label training from an augmented manifest (SageMaker Ground Truth's format, class-id labels):
#   images -> manifest.jsonl -> validate-manifest -> train --multi-label 1 -> predict
# Data: Fashion-MNIST (Debian's dataset-fashion-mnist, MIT). Each image gets two real tags: its
# class (0-9) and its garment group (10 = top, 11 = bottom/dress, 12 = footwear, 13 = bag), so every
# line carries a list of class ids, as Ground Truth's multi-label jobs write.
#   examples/multilabel-manifest.sh [PER_CLASS=150] [EPOCHS=5]
set -euo pipefail
PER_CLASS=${1:-150}
EPOCHS=${2:-5}
HERE=$(cd "$(dirname "$0")/.." && pwd)
SCRATCH=${SCRATCH:-/tmp/imgclass-multilabel}
FMNIST=/usr/share/datasets/fashion-mnist
[ -f "$FMNIST/t10k-images-idx3-ubyte.gz" ] || { echo "needs: apt-get install dataset-fashion-mnist" >&2; exit 2; }
rm -rf "$SCRATCH" && mkdir -p "$SCRATCH"
java "$HERE/examples/IdxToPng.java" "$FMNIST/t10k-images-idx3-ubyte.gz" "$FMNIST/t10k-labels-idx1-ubyte.gz" \
  "$SCRATCH/images" "$PER_CLASS" c0 c1 c2 c3 c4 c5 c6 c7 c8 c9 >/dev/null

# class -> group: 0 T-shirt, 2 pullover, 4 coat, 6 shirt = top; 1 trouser, 3 dress = bottom/dress;
# 5 sandal, 7 sneaker, 9 ankle boot = footwear; 8 bag = bag.
group() { case $1 in 0|2|4|6) echo 10;; 1|3) echo 11;; 5|7|9) echo 12;; 8) echo 13;; esac; }
i=0
for d in "$SCRATCH"/images/c*; do
  c=${d##*/c}
  for f in "$d"/*.png; do
    rel=${f#"$SCRATCH/images/"}
    # every 5th image goes to validation
    if [ $((i % 5)) -eq 0 ]; then out=val; else out=train; fi
    printf '{"source-ref": "s3://my-bucket/fmnist/%s", "tags": [%d, %d], "tags-metadata": {"type": "groundtruth/image-classification-multilabel"}}\n' \
      "$rel" "$c" "$(group "$c")" >> "$SCRATCH/$out.manifest"
    i=$((i + 1))
  done
done
# shuffle the lines (the loader shuffles every epoch anyway; this makes the manifest look real)
shuf --random-source=<(yes) "$SCRATCH/train.manifest" -o "$SCRATCH/train.manifest"
MAP="s3://my-bucket/fmnist/=$SCRATCH/images"

echo "== imgclass validate-manifest (what a CI job would run before a SageMaker training job)"
"$HERE/imgclass" validate-manifest "$SCRATCH/train.manifest" --num-classes 14 --attribute-names source-ref,tags \
  --label-format class-id --s3-prefix-map "$MAP" --check-images --image-shape 1,28,28 --max-errors 5 || true

echo "== imgclass train --multi-label 1 from the manifest (no packing needed)"
"$HERE/imgclass" train --train-manifest "$SCRATCH/train.manifest" --validation-manifest "$SCRATCH/val.manifest" \
  --attribute-names source-ref,tags --label-format class-id --s3-prefix-map "$MAP" \
  --multi-label 1 --num-classes 14 --num-training-samples "$(wc -l < "$SCRATCH/train.manifest")" \
  --image-shape 1,28,28 --num-layers 20 --epochs "$EPOCHS" --mini-batch-size 64 --learning-rate 0.05 \
  --output "$SCRATCH/model"

echo "== imgclass predict: 14 independent (sigmoid) probabilities per image"
"$HERE/imgclass" predict --model "$SCRATCH/model/model.tar.gz" --accept application/jsonlines \
  "$SCRATCH/images/c7/$(ls "$SCRATCH/images/c7" | head -1)" | cut -c1-200
echo "(a sneaker: expect high probabilities for class 7 and group 12)"
echo "Model: $SCRATCH/model/model.tar.gz"
