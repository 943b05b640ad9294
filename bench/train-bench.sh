#!/usr/bin/env bash
# Training throughput, side by side in one run (issue 6 benchmarks b and c):
#   (b) ResNet-18 3x224x224 batch 32: imgclass train on synthetic input (engine rate) vs
#       /usr/bin/python3 $IMGCLASS_PEERS/torch_resnet_bench.py (PyTorch on CPU, random input)
#   (c) imgclass train from a real .rec (bench-photo-jpeg packed at shorter side 256) with
#       augmentation_type crop_color vs the synthetic rate.
# Each measurement runs REPEAT times, alternating; medians and ratios are printed.
#   IMGCLASS_PEERS=PEERS bench/train-bench.sh DATA_DIR [REPEAT=3]   (DATA_DIR from the peers' get-datasets.sh)
# Needs: apt-get install python3-torch python3-torchvision libopenblas0
set -euo pipefail
DATA=${1:?usage: train-bench.sh DATA_DIR [REPEAT]}
REPEAT=${2:-3}
HERE=$(cd "$(dirname "$0")/.." && pwd)
PEERS=${IMGCLASS_PEERS:-}
[ -f "$PEERS/torch_resnet_bench.py" ] || { echo "set IMGCLASS_PEERS to the folder holding torch_resnet_bench.py" >&2; exit 2; }
SCRATCH=$(mktemp -d /tmp/train-bench.XXXXXX)
trap 'rm -rf "$SCRATCH"' EXIT
IMAGES=${IMAGES:-320}

"$HERE/imgclass" --version >/dev/null   # builds if needed
export DJL_OFFLINE=true OMP_NUM_THREADS=${OMP_NUM_THREADS:-$(nproc)}
CP="$HERE/dist/target/lib/*"

"$HERE/imgclass" make-lst "$SCRATCH/photo" "$DATA/bench-photo-jpeg" --recursive >/dev/null
"$HERE/imgclass" pack-recordio "$SCRATCH/photo.lst" "$DATA/bench-photo-jpeg" --resize 256 --quality 95 \
  --num-thread 2 --quiet >/dev/null

ours() { java -cp "$CP" "$HERE/bench/TrainBench.java" "$@" 2>/dev/null | tail -1; }
for i in $(seq "$REPEAT"); do
  echo "run $i: $(date -u +%H:%M:%S) load $(cut -d' ' -f1 /proc/loadavg)" >&2
  ours synthetic "$SCRATCH/photo.rec" 18 3,224,224 32 "$IMAGES" 2 none | tee -a "$SCRATCH/syn.jsonl"
  ours real "$SCRATCH/photo.rec" 18 3,224,224 32 "$IMAGES" 2 crop_color | tee -a "$SCRATCH/real.jsonl"
  /usr/bin/python3 "$PEERS/torch_resnet_bench.py" --threads "$(nproc)" 2>/dev/null \
    | /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); r=[e for e in d["results"] if e["input"][1]==224][0]; print(json.dumps({"peer": "torch", "train_224_ips": r["train"]["images_per_s"], "clean": r["train"]["clean"]}))' \
    | tee -a "$SCRATCH/torch.jsonl"
done
/usr/bin/python3 - "$SCRATCH" <<'PY'
import json, statistics, sys, os
d = sys.argv[1]
rate = lambda f: [json.loads(l)["samples_per_s"] for l in open(os.path.join(d, f))]
syn, real = rate("syn.jsonl"), rate("real.jsonl")
print("imgclass synthetic samples/s:", syn, "median", statistics.median(syn))
print("imgclass real crop_color samples/s:", real, "median", statistics.median(real))
print("real / synthetic: %.3f" % (statistics.median(real) / statistics.median(syn)))
torch = [json.loads(l)["train_224_ips"] for l in open(os.path.join(d, "torch.jsonl"))]
print("torch resnet18 224 train img/s:", torch, "median", statistics.median(torch))
print("imgclass synthetic / torch: %.3f" % (statistics.median(syn) / statistics.median(torch)))
print("imgclass real crop_color / torch: %.3f" % (statistics.median(real) / statistics.median(torch)))
PY
