#!/usr/bin/python3
"""Compares the images of two im2rec-style .rec files record by record, matched by image path.

    /usr/bin/python3 bench/rec-payload-parity.py OURS_PREFIX PEER_PREFIX

Each PREFIX names PREFIX.lst, PREFIX.rec and PREFIX.idx (imgclass pack-recordio's output and
shared/peers/opencv_pack_bench.py's). Records are read through the .idx with the peer's own
dmlc-framing reader (from the folder IMGCLASS_PEERS names), the 24-byte IRHeader (and any packed labels) is skipped, and the image bytes
of the record whose .lst path matches are compared. Prints how many are byte-identical; for the
first that is not, the largest pixel difference after decoding both (needs cv2 and numpy).
"""
import os
import struct
import sys

PEERS = os.environ.get("IMGCLASS_PEERS")
if not PEERS or not os.path.isfile(os.path.join(PEERS, "opencv_pack_bench.py")):
    sys.exit("set IMGCLASS_PEERS to the folder holding opencv_pack_bench.py (the peer whose reader is used)")
sys.path.insert(0, PEERS)
from opencv_pack_bench import read_record  # noqa: E402  (the peer's dmlc RecordIO reader)


def lst(path):
    out = {}
    for line in open(path):
        cols = line.rstrip("\n").split("\t")
        if len(cols) >= 3:
            out[int(cols[0])] = cols[-1]
    return out


def images(prefix):
    """Image bytes by .idx key: each record's payload less its IRHeader and packed labels."""
    out = {}
    with open(prefix + ".rec", "rb") as f:
        for line in open(prefix + ".idx"):
            key, off = line.split("\t")
            f.seek(int(off))
            payload = read_record(f)
            flag = struct.unpack("<I", payload[:4])[0]
            out[int(key)] = payload[24 + 4 * flag:]
    return out


def by_path(prefix):
    imgs = images(prefix)
    return {path: imgs[key] for key, path in lst(prefix + ".lst").items() if key in imgs}


def main():
    a, b = by_path(sys.argv[1]), by_path(sys.argv[2])
    same = [p for p in a if b.get(p) == a[p]]
    print(f"identical images: {len(same)} of {len(a)} (peer has {len(b)})")
    differing = [p for p in a if p in b and b[p] != a[p]]
    if differing:
        import cv2
        import numpy as np
        p = differing[0]
        x = cv2.imdecode(np.frombuffer(a[p], np.uint8), cv2.IMREAD_UNCHANGED).astype(int)
        y = cv2.imdecode(np.frombuffer(b[p], np.uint8), cv2.IMREAD_UNCHANGED).astype(int)
        print(f"first difference: {p}: {x.shape} vs {y.shape}, max pixel difference "
              f"{abs(x - y).max() if x.shape == y.shape else 'n/a'}")
    return 0 if len(same) == len(a) == len(b) else 1


if __name__ == "__main__":
    sys.exit(main())
