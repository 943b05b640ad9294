#!/usr/bin/env bash
# Incremental training, as SageMaker's "model" channel: train, then continue from the artifact
# with a lower learning rate (num_layers, image_shape and num_classes must match).
# Runs after examples/quickstart.sh (uses its RecordIO files).
#   examples/incremental.sh [EPOCHS=2]
set -euo pipefail
EPOCHS=${1:-2}
HERE=$(cd "$(dirname "$0")/.." && pwd)
Q=${SCRATCH:-/tmp/imgclass-quickstart}
[ -f "$Q/model/model.tar.gz" ] || { echo "run examples/quickstart.sh first" >&2; exit 2; }
ntrain=$(wc -l < "$Q/fmnist_train.lst")
# The same hyperparameters SageMaker would be given, as its hyperparameters.json (string values).
cat > "$Q/hyperparameters.json" <<JSON
{"num_classes": "10", "num_training_samples": "$ntrain", "image_shape": "1,28,28", "num_layers": "20",
 "mini_batch_size": "64", "epochs": "$EPOCHS", "learning_rate": "0.01", "augmentation_type": "crop"}
JSON
rm -rf "$Q/model2"
"$HERE/imgclass" train --hyperparameters "$Q/hyperparameters.json" \
  --train "$Q/fmnist_train.rec" --validation "$Q/fmnist_val.rec" \
  --model "$Q/model/model.tar.gz" --output "$Q/model2"
echo "first run:  $(grep -o '"validation:accuracy" : [0-9.]*' "$Q/model/metrics.json" | tail -1)"
echo "continued:  $(grep -o '"validation:accuracy" : [0-9.]*' "$Q/model2/metrics.json" | tail -1)"
echo "Model: $Q/model2/model.tar.gz"
