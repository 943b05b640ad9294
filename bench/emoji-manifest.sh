#!/usr/bin/env bash
# The full real multi-label set (emoji-multilabel, 1,031 images, 16 tags; shared/peers/get-datasets.sh)
# as an augmented manifest: convert, validate with --check-images, show a broken copy's report,
# pack both layouts with ManifestPacker (bench/PackManifest.java), and cross-check the image-record
# .rec against the real MXNet library (reader, writer and ImageRecordIter).
#
#   bench/emoji-manifest.sh DATA     (or IMGCLASS_DATA=DATA; DATA/emoji-multilabel from the peers'
#   get-datasets.sh). The MXNet cross-check is the project's own test script.
set -euo pipefail
DATA=${1:-${IMGCLASS_DATA:-}}
[ -n "$DATA" ] || { echo "usage: bench/emoji-manifest.sh DATA (the folder holding emoji-multilabel/; or set IMGCLASS_DATA)" >&2; exit 2; }
HERE=$(cd "$(dirname "$0")/.." && pwd)
SRC="$DATA/emoji-multilabel"
CONVERT="$HERE/core/src/test/resources/io/imgclass/core/manifest/emoji/emoji_to_manifest.py"
[ -f "$SRC/labels.csv" ] || { echo "no $SRC/labels.csv: make it with the peers' get-datasets.sh $DATA" >&2; exit 2; }
WORK=$(mktemp -d /tmp/imgclass-emoji-manifest.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
MAP="s3://imgclass-emoji/=$SRC"

for fmt in class-id multi-hot; do
  /usr/bin/python3 "$CONVERT" "$SRC" "$WORK/$fmt.jsonl" --format "$fmt"
  echo "== validate-manifest ($fmt, $(wc -l < "$WORK/$fmt.jsonl") lines, --check-images)"
  start=$(date +%s.%N)
  "$HERE/imgclass" validate-manifest "$WORK/$fmt.jsonl" --num-classes 16 --s3-prefix-map "$MAP" \
    --check-images --image-shape 3,64,64 --format text | tail -9
  echo "exit ${PIPESTATUS[0]}, $(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN{printf "%.2f", e-s}') s"
done

echo "== the same manifest with a broken copy: one bad line per kind"
{
  head -5 "$WORK/class-id.jsonl"
  echo '{"source-ref": "s3://imgclass-emoji/images/1f004.png", "class": [16]}'
  echo '{"source-ref": "s3://imgclass-emoji/../etc/passwd", "class": [1]}'
  echo '{"source-ref": "s3://imgclass-emoji/images/none.png", "class": [1, 1]}'
  echo '{"source-ref": "s3://imgclass-emoji/images/1f004.png", "class": [1]'
} > "$WORK/broken.jsonl"
"$HERE/imgclass" validate-manifest "$WORK/broken.jsonl" --num-classes 16 --s3-prefix-map "$MAP" \
  --label-format class-id --max-errors 20 | grep -v class-without-examples | head -12 || true

echo "== pack with ManifestPacker (Pipe and image-record layouts) and MXNet cross-check"
"$HERE/imgclass" --version > /dev/null   # builds dist/target/lib if needed
for layout in PIPE IMAGE_RECORDS; do
  java -cp "$HERE/dist/target/lib/*" "$HERE/bench/PackManifest.java" "$WORK/class-id.jsonl" "$MAP" \
    "$WORK/emoji-$layout" "$layout" 16 class-id
done
# An im2rec-style .lst of the expected labels (from the multi-hot manifest, written independently of
# the packer) lets the cross-check compare what MXNet's ImageRecordIter returns, record by record.
/usr/bin/python3 - "$WORK/multi-hot.jsonl" "$WORK/emoji-IMAGE_RECORDS.lst" <<'PY'
import json, sys
with open(sys.argv[1]) as f, open(sys.argv[2], "w") as out:
    for i, line in enumerate(f):
        o = json.loads(line)
        out.write("\t".join([str(i)] + ["%f" % v for v in o["class"]] + [o["source-ref"].split("/", 3)[3]]) + "\n")
PY
PYDIR="$HERE/core/src/test/resources/io/imgclass/core/model"
/usr/bin/python3 "$PYDIR/mxnet_recordio_check.py" "$WORK/emoji-IMAGE_RECORDS" --iter 3,64,64 2>&1 | tail -12
