#!/usr/bin/env bash
# `imgclass predict` versus PyTorch (Debian python3-torch, shared/peers/torch_resnet_bench.py),
# ResNet-18 3x224x224, in one run, REPS interleaved repetitions, medians and ratios.
#
# Ours: a seeded fresh ResNet-18 (10 classes, as the peer), 320 real 500x375 JPEGs
# (bench-photo-jpeg) decoded and stretched to 224x224 by predict's own pipeline on 2 threads.
#   - throughput: --batch-size 32; the engine's steady state is predict's --timing line (median
#     forward pass after the first, per image), end to end = images / (first decode .. last line),
#     and the command's wall time includes JVM start-up and model loading;
#   - latency: --batch-size 1 on 40 images, median forward pass (steady state).
# Peer: torch_resnet_bench.py has no inference-only mode, and its --quick times only 2 batches
# after training for minutes, so this script imports the peer's own build() and bench_infer()
# (torchvision resnet18, 10 classes, eval + inference_mode, 2 threads, random inputs) and runs
# just those: batch 32 (2 warm-up + 8 timed passes, images/s) and batch 1 (5 + 40, median latency).
# Python start-up and model construction are excluded, as our JVM start-up is from "steady".
# Usage: bench/predict-bench.sh DATA_DIR    (env: REPS=3; IMGCLASS_PEERS=folder holding torch_resnet_bench.py)
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${1:-${IMGCLASS_DATA:-}}
REPS=${REPS:-3}
PEER=${IMGCLASS_PEERS:+$IMGCLASS_PEERS/torch_resnet_bench.py}
[ -n "$DATA" ] && [ -f "$PEER" ] || {
  echo "usage: IMGCLASS_PEERS=PEERS bench/predict-bench.sh DATA_DIR (PEERS must hold torch_resnet_bench.py; DATA_DIR bench-photo-jpeg/)" >&2; exit 2; }
SCRATCH=$(mktemp -d)
trap 'rm -rf "$SCRATCH"' EXIT
mkdir -p "$SCRATCH/b32" "$SCRATCH/b1"
find "$DATA/bench-photo-jpeg" -name '*.jpg' | sort | head -256 | while read -r f; do
  cp "$f" "$SCRATCH/b32/$(basename "$(dirname "$f")")_$(basename "$f")"
done
ls "$SCRATCH/b32" | head -40 | while read -r f; do cp "$SCRATCH/b32/$f" "$SCRATCH/b1/"; done
./imgclass --version >/dev/null
./imgclass model --num-layers 18 --image-shape 3,224,224 --num-classes 10 --init-out "$SCRATCH/r18.tar.gz" --seed 1 >/dev/null
echo "date: $(date -u +%FT%TZ)  machine: $(nproc --all) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)  load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "OMP_NUM_THREADS=${OMP_NUM_THREADS:-$(nproc)} (ours), torch --threads 2 (peer default)"
: >"$SCRATCH/results"
for rep in $(seq 1 "$REPS"); do
  s=$(date +%s.%N)
  ./imgclass predict --model "$SCRATCH/r18.tar.gz" --batch-size 32 --timing "$SCRATCH/b32" >/dev/null 2>"$SCRATCH/t32"
  e=$(date +%s.%N)
  ./imgclass predict --model "$SCRATCH/r18.tar.gz" --batch-size 1 --timing "$SCRATCH/b1" >/dev/null 2>"$SCRATCH/t1"
  /usr/bin/python3 - "$PEER" >"$SCRATCH/torch.json" <<'PY'
import importlib.util, json, sys, torch
spec = importlib.util.spec_from_file_location("peer", sys.argv[1])
peer = importlib.util.module_from_spec(spec)
spec.loader.exec_module(peer)  # defines the functions; main() runs only as a script
torch.manual_seed(0)
torch.set_num_threads(2)
torch.set_num_interop_threads(1)
m = peer.build(10, False)
print(json.dumps({"b32": peer.bench_infer(m, 224, 32, 2, 8), "b1": peer.bench_infer(m, 224, 1, 5, 40)}))
PY
  /usr/bin/python3 - "$SCRATCH" "$s" "$e" "$rep" <<'PY'
import json, re, sys
d, s, e, rep = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
t32 = [l for l in open(d + "/t32") if l.startswith("timing:")][0]
t1 = [l for l in open(d + "/t1") if l.startswith("timing:")][0]
steady32 = float(re.search(r"ms/image = ([0-9.]+) images/s", t32).group(1))
e2e32 = float(re.search(r"\(([0-9.]+) images/s end to end\)", t32).group(1))
lat1 = float(re.search(r"median pass ([0-9.]+) ms", t1).group(1))
load = float(re.search(r"model load ([0-9.]+) s", t32).group(1))
t = json.load(open(d + "/torch.json"))
b32 = [t["b32"]["images_per_s"]]
b1 = [t["b1"]["latency_ms_median"]]
row = dict(rep=int(rep), ours_b32_steady=steady32, ours_b32_e2e=e2e32, ours_b32_wall_s=e - s, ours_load_s=load,
           ours_b1_ms=lat1, torch_b32=b32[0] if b32 else None, torch_b1_ms=b1[0] if b1 else None)
print(json.dumps(row))
open(d + "/results", "a").write(json.dumps(row) + "\n")
PY
done
/usr/bin/python3 - "$SCRATCH/results" <<'PY'
import json, statistics as st, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
m = {k: st.median(r[k] for r in rows if r[k] is not None) for k in rows[0] if k != "rep"}
print("medians over %d reps:" % len(rows))
for k, v in m.items():
    print("  %-16s %.2f" % (k, v))
print("throughput ratio ours/torch (steady, b32): %.2f  (end to end incl. decode: %.2f)" % (m["ours_b32_steady"] / m["torch_b32"], m["ours_b32_e2e"] / m["torch_b32"]))
print("latency ratio ours/torch (b1 median):      %.2f" % (m["ours_b1_ms"] / m["torch_b1_ms"]))
PY
