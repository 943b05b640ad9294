#!/usr/bin/env bash
# Sequential RecordIO read throughput from the page cache: our RecordIOReader vs `cat FILE > /dev/null`.
# Usage: bench/recordio-read.sh [SIZE_MB=1100] [REPEATS=5]   (env BENCH_JAVA_OPTS="opts1;opts2")
# Writes a random ~1.15 GB .rec under /tmp (payloads 10..200 KB, like encoded images; 1 in 50 split
# at a magic word) and deletes it at the end. Two measurements, both alternating with cat:
#  1. warm: one JVM, three warm-up passes, then REPEATS x (cat as a child process, our pass)
#  2. cold: REPEATS x (cat, a fresh `java` doing one pass), timed from outside incl. JVM start
set -euo pipefail
HERE=$(cd "$(dirname "$0")/.." && pwd)
SIZE_MB=${1:-1100}
REPEATS=${2:-5}
WORK=$(mktemp -d /tmp/recordio-read.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
FILE="$WORK/bench.rec"

mvn -o -q -B -f "$HERE/pom.xml" -pl recordio compile
mkdir -p "$WORK/classes"
javac -d "$WORK/classes" -cp "$HERE/recordio/target/classes" "$HERE/bench/RecordioReadBench.java"
CP="$WORK/classes:$HERE/recordio/target/classes"
# JVM option sets compared (override with BENCH_JAVA_OPTS="opts1;opts2"): the defaults (G1), and the
# throughput collector with a small fixed young generation, which recycles the same eden memory
# for the short-lived payload arrays instead of touching fresh heap pages.
IFS=';' read -r -a OPTSETS <<< "${BENCH_JAVA_OPTS:-;-XX:+UseParallelGC -Xmn64m}"

echo "date $(date -u +%Y-%m-%dT%H:%MZ); $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs);" \
  "$(java -version 2>&1 | head -1)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
java -cp "$CP" RecordioReadBench gen "$FILE" "$SIZE_MB" 1
cat "$FILE" > /dev/null; cat "$FILE" > /dev/null   # page cache

now() { date +%s.%N; }
calc() { awk "BEGIN{print $*}"; }
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END{print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
gb=$(calc "$(stat -c %s "$FILE") / 1e9")
for opts in "${OPTSETS[@]}"; do
  # shellcheck disable=SC2206
  JAVA=(java $opts -cp "$CP" RecordioReadBench)
  echo "=== JVM options: ${opts:-(defaults)}"
  echo "== warm: one JVM, cat as a child process"
  "${JAVA[@]}" alternate "$FILE" "$REPEATS"
  echo "== cold: a fresh JVM per pass, timed from outside (JVM start included)"
  cat_s=(); ours_s=()
  for i in $(seq "$REPEATS"); do
    t0=$(now); cat "$FILE" > /dev/null; t1=$(now); cat_s+=("$(calc "$t1 - $t0")")
    t0=$(now); "${JAVA[@]}" read "$FILE" > /dev/null; t1=$(now); ours_s+=("$(calc "$t1 - $t0")")
    echo "run $i: cat ${cat_s[-1]} s, ours ${ours_s[-1]} s" >&2
  done
  mc=$(median "${cat_s[@]}"); mo=$(median "${ours_s[@]}")
  printf 'cat                    median %.3f s  %.2f GB/s\n' "$mc" "$(calc "$gb / $mc")"
  printf 'ours (fresh JVM)       median %.3f s  %.2f GB/s  ratio ours/cat %.2f\n' "$mo" "$(calc "$gb / $mo")" "$(calc "$mc / $mo")"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
