#!/usr/bin/env python3
"""Converts the emoji-multilabel set (shared/peers/get-datasets.sh) to a SageMaker augmented manifest.

    python3 emoji_to_manifest.py DATA/emoji-multilabel OUT.jsonl [--every N] [--format class-id|multi-hot]
                                 [--bucket s3://imgclass-emoji/]

Input: labels.csv ("path,tag1;tag2") and tags.txt (one tag per line; the line index is the class id).
Output: one JSON object per image in the form Ground Truth writes for multi-label image
classification: {"source-ref": "s3://BUCKET/images/X.png", "class": [ids...], "class-metadata": {...}}.
--every N keeps rows 0, N, 2N, ... (the committed test sample is --every 20). Standard library only.
"""
import argparse
import csv
import json
import os


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("src")
    ap.add_argument("out")
    ap.add_argument("--every", type=int, default=1)
    ap.add_argument("--format", choices=["class-id", "multi-hot"], default="class-id")
    ap.add_argument("--bucket", default="s3://imgclass-emoji/")
    a = ap.parse_args()
    with open(os.path.join(a.src, "tags.txt"), encoding="utf-8") as f:
        tags = [t.strip() for t in f if t.strip()]
    index = {t: i for i, t in enumerate(tags)}
    with open(os.path.join(a.src, "labels.csv"), encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    with open(a.out, "w", encoding="utf-8", newline="\n") as out:
        for n, row in enumerate(rows):
            if n % a.every:
                continue
            ids = sorted(index[t] for t in row["tags"].split(";"))
            label = ids if a.format == "class-id" else [1 if i in ids else 0 for i in range(len(tags))]
            line = {
                "source-ref": a.bucket + row["path"],
                "class": label,
                "class-metadata": {
                    "class-map": {str(i): tags[i] for i in ids},
                    "type": "groundtruth/image-classification-multilabel",
                },
            }
            out.write(json.dumps(line) + "\n")


if __name__ == "__main__":
    main()
