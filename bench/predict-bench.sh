#!/usr/bin/env bash
# `imgclass predict` on each inference engine versus PyTorch (Debian python3-torch), ResNet-18
# 3x224x224, in one run: REPS alternating repetitions; ours as medians, the peer's BEST run.
#
# Ours: a seeded ResNet-18 (10 classes, as the peer), real 500x375 JPEGs (bench-photo-jpeg)
# decoded and stretched to 224x224 by predict's own pipeline.
#   - throughput: --batch-size 32 on 96 images; the engine's steady state is predict's --timing
#     line ("steady state ... = N images/s": median forward pass after the first, per image);
#   - latency: --batch-size 1 on 30 images, median forward pass (steady state).
#   Variants (ENGINES): mxnet, mxnet-mkldnn (MXNET_SUBGRAPH_BACKEND=MKLDNN), onnxruntime.
# Peer: torch_infer_bench.py (the team's shared peers folder) run as its own process exactly as its README runs it
# (/usr/bin/python3 torch_infer_bench.py; it sets OPENBLAS_NUM_THREADS=1 before importing torch,
# flushes denormals and trains three SGD steps before timing; batch 32 images/s = median of 8
# passes, batch 1 = median of 40). Its best run (highest images/s, lowest latency) is the baseline,
# as the peer is bimodal on this machine.
# Usage: bench/predict-bench.sh [DATA_DIR]   (env: REPS=3, ENGINES="mxnet mxnet-mkldnn onnxruntime",
#        IMGCLASS_PEERS=folder holding torch_infer_bench.py, or PEER=path/to/torch_infer_bench.py)
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${1:-${IMGCLASS_DATA:-}}
REPS=${REPS:-3}
ENGINES=${ENGINES:-mxnet mxnet-mkldnn onnxruntime}
PEER=${PEER:-${IMGCLASS_PEERS:+$IMGCLASS_PEERS/torch_infer_bench.py}}
[ -n "$DATA" ] && [ -f "${PEER:-}" ] || {
  echo "usage: IMGCLASS_PEERS=PEERS bench/predict-bench.sh DATA_DIR (PEERS must hold torch_infer_bench.py; DATA_DIR bench-photo-jpeg/)" >&2; exit 2; }
SCRATCH=$(mktemp -d)
trap 'rm -rf "$SCRATCH"' EXIT
mkdir -p "$SCRATCH/b32" "$SCRATCH/b1"
find "$DATA/bench-photo-jpeg" -name '*.jpg' | sort | head -96 | while read -r f; do
  cp "$f" "$SCRATCH/b32/$(basename "$(dirname "$f")")_$(basename "$f")"
done
ls "$SCRATCH/b32" | head -30 | while read -r f; do cp "$SCRATCH/b32/$f" "$SCRATCH/b1/"; done
./imgclass --version >/dev/null
./imgclass model --num-layers 18 --image-shape 3,224,224 --num-classes 10 --init-out "$SCRATCH/r18.tar.gz" --seed 1 >/dev/null
echo "date: $(date -u +%FT%TZ)  machine: $(nproc --all) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)  load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "OMP_NUM_THREADS=${OMP_NUM_THREADS:-$(nproc)} (ours), torch --threads 2 (peer default); engines: $ENGINES"
: >"$SCRATCH/results"
for rep in $(seq 1 "$REPS"); do
  for eng in $ENGINES; do
    env_extra=()
    engine=$eng
    if [ "$eng" = mxnet-mkldnn ]; then env_extra=(MXNET_SUBGRAPH_BACKEND=MKLDNN); engine=mxnet; fi
    l0=$(cut -d' ' -f1 /proc/loadavg)
    env "${env_extra[@]}" ./imgclass predict --engine "$engine" --model "$SCRATCH/r18.tar.gz" --batch-size 32 --timing "$SCRATCH/b32" >/dev/null 2>"$SCRATCH/t32"
    env "${env_extra[@]}" ./imgclass predict --engine "$engine" --model "$SCRATCH/r18.tar.gz" --batch-size 1 --timing "$SCRATCH/b1" >/dev/null 2>"$SCRATCH/t1"
    /usr/bin/python3 - "$SCRATCH" "$rep" "$eng" "$l0" <<'PY'
import json, re, sys
d, rep, eng, load = sys.argv[1], int(sys.argv[2]), sys.argv[3], float(sys.argv[4])
t32 = [l for l in open(d + "/t32") if l.startswith("timing:")][0]
t1 = [l for l in open(d + "/t1") if l.startswith("timing:")][0]
row = dict(rep=rep, who=eng, load=load,
           b32=float(re.search(r"ms/image = ([0-9.]+) images/s", t32).group(1)),
           b1_ms=float(re.search(r"median pass ([0-9.]+) ms", t1).group(1)))
print(json.dumps(row))
open(d + "/results", "a").write(json.dumps(row) + "\n")
PY
  done
  l0=$(cut -d' ' -f1 /proc/loadavg)
  /usr/bin/python3 "$PEER" >"$SCRATCH/torch.json"
  /usr/bin/python3 - "$SCRATCH" "$rep" "$l0" <<'PY'
import json, sys
d, rep, load = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
t = json.load(open(d + "/torch.json"))
row = dict(rep=rep, who="torch", load=load, b32=t["b32_images_per_s"], b1_ms=t["b1_ms"])
print(json.dumps(row))
open(d + "/results", "a").write(json.dumps(row) + "\n")
PY
done
/usr/bin/python3 - "$SCRATCH/results" <<'PY'
import json, statistics as st, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
torch = [r for r in rows if r["who"] == "torch"]
best32, best1 = max(r["b32"] for r in torch), min(r["b1_ms"] for r in torch)
print("load average (1 min) during the runs: %.1f .. %.1f" % (min(r["load"] for r in rows), max(r["load"] for r in rows)))
print("torch: b32 runs %s img/s (best %.2f); b1 runs %s ms (best %.2f)" % (
    [r["b32"] for r in torch], best32, [r["b1_ms"] for r in torch], best1))
for who in dict.fromkeys(r["who"] for r in rows if r["who"] != "torch"):
    rs = [r for r in rows if r["who"] == who]
    m32, m1 = st.median(r["b32"] for r in rs), st.median(r["b1_ms"] for r in rs)
    print("%-13s b32 median %.2f img/s (runs %s) = %.2fx torch best (goal >= 1.2); b1 median %.2f ms (runs %s) = %.2fx torch best (goal <= 0.8)" % (
        who, m32, [r["b32"] for r in rs], m32 / best32, m1, [r["b1_ms"] for r in rs], m1 / best1))
PY
