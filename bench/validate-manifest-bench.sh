#!/usr/bin/env bash
# validate-manifest vs `jq empty` on the same generated augmented manifest, side by side in one run.
#
#   bench/validate-manifest-bench.sh [LINES=10000000] [RUNS=3] [CLASSES=16]
#
# Generates a Ground Truth style manifest of LINES lines in a temporary folder under /tmp (deleted on
# exit), warms the page cache, then alternates `jq empty MANIFEST` and
# `./imgclass validate-manifest MANIFEST --num-classes K --attribute-names source-ref,class` RUNS
# times each (no --check-images). Prints per-run wall time, user+sys CPU, max RSS and the CPU other
# processes used meanwhile (foreign_cpu_s, from /proc/stat), then medians and the jq/imgclass ratio.
# Needs jq (apt-get install -y jq) and GNU time (/usr/bin/time).
set -euo pipefail
LINES=${1:-10000000}
RUNS=${2:-3}
K=${3:-16}
HERE=$(cd "$(dirname "$0")/.." && pwd)
command -v jq >/dev/null || { echo "needs jq: apt-get install -y jq" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "needs GNU time: apt-get install -y time" >&2; exit 2; }
WORK=$(mktemp -d /tmp/imgclass-vm-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
M="$WORK/manifest.jsonl"

echo "generating $LINES lines, $K classes ..." >&2
awk -v n="$LINES" -v k="$K" 'BEGIN {
  for (i = 0; i < n; i++) {
    c = (i * 7919) % k
    printf "{\"source-ref\":\"s3://bench-bucket/train/images/img%09d.jpg\",\"class\":%d,\"class-metadata\":{\"class-name\":\"c%d\",\"confidence\":0.93,\"type\":\"groundtruth/image-classification\"}}\n", i, c, c
  }
}' > "$M"
SIZE=$(stat -c %s "$M")
"$HERE/imgclass" --version >/dev/null   # builds the launcher's jars first if needed; not timed
cat "$M" > /dev/null                     # warm the page cache for both tools

busy_ticks() { awk '/^cpu /{print $2+$3+$4+$6+$7+$8}' /proc/stat; }
HZ=$(getconf CLK_TCK)

measure() { # name, command...
  local name=$1; shift
  local before after tf
  tf="$WORK/time.$name"
  before=$(busy_ticks)
  /usr/bin/time -f "%e %U %S %M" -o "$tf" "$@" > "$WORK/out.$name" 2> "$WORK/err.$name" || {
    echo "$name failed (exit $?):" >&2; tail -5 "$WORK/err.$name" "$WORK/out.$name" >&2; exit 1; }
  after=$(busy_ticks)
  read -r wall user sys rss < <(tail -1 "$tf")
  foreign=$(awk -v a="$after" -v b="$before" -v hz="$HZ" -v u="$user" -v s="$sys" \
    'BEGIN { f = (a - b) / hz - u - s; if (f < 0) f = 0; printf "%.2f", f }')
  printf '%-9s run %d: wall %7.2f s  cpu %6.2f s  maxrss %7d KB  foreign_cpu_s %6s\n' \
    "$name" "$run" "$wall" "$(awk -v u="$user" -v s="$sys" 'BEGIN{print u+s}')" "$rss" "$foreign"
  echo "$wall" >> "$WORK/walls.$name"
}

echo "manifest: $LINES lines, $SIZE bytes; $(nproc) CPUs; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "jq: $(jq --version); java: $(java -version 2>&1 | head -1)"
for run in $(seq 1 "$RUNS"); do
  measure jq jq empty "$M"
  measure imgclass "$HERE/imgclass" validate-manifest "$M" --num-classes "$K" --attribute-names source-ref,class
done
tail -3 "$WORK/out.imgclass"
median() { sort -g "$1" | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
JQ=$(median "$WORK/walls.jq")
OURS=$(median "$WORK/walls.imgclass")
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
awk -v j="$JQ" -v o="$OURS" -v n="$LINES" -v s="$SIZE" 'BEGIN {
  printf "median wall: jq empty %.2f s (%.0f lines/s, %.0f MB/s); imgclass validate-manifest %.2f s (%.0f lines/s, %.0f MB/s)\n", j, n/j, s/j/1e6, o, n/o, s/o/1e6
  printf "ratio jq/imgclass: %.2fx (%s)\n", j/o, (o < j) ? "imgclass faster" : "jq faster"
}'
