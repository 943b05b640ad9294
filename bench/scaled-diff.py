#!/usr/bin/python3
"""How far two packings' images are apart in pixels, matched by image path.

    /usr/bin/python3 bench/scaled-diff.py OURS_PREFIX PEER_PREFIX [IMAGE_ROOT]

For pack-recordio --scaled-decode against the full-decode path (the peer's, or ours without the
option: both are im2rec's bytes). Prints the shapes' agreement, the mean and the largest absolute
sample difference, the share of samples more than 8 levels apart and the PSNR over all images.
With IMAGE_ROOT, also how far each is from an anti-aliased reference: the original decoded in
full and shrunk with cv2.INTER_AREA (pixel averaging) to the same size. INTER_LINEAR, which
im2rec uses, reads only 2x2 source pixels per output pixel, so at a 12x reduction it aliases.
"""
import importlib.util
import math
import os
import sys

import cv2
import numpy as np

spec = importlib.util.spec_from_file_location("parity", os.path.join(os.path.dirname(__file__), "rec-payload-parity.py"))
parity = importlib.util.module_from_spec(spec)
spec.loader.exec_module(parity)


class Stats:
    def __init__(self):
        self.total = self.abs_sum = self.sq_sum = self.worst = self.over8 = 0

    def add(self, x, y):
        d = np.abs(x - y)
        self.total += d.size
        self.abs_sum += int(d.sum())
        self.sq_sum += int((d * d).sum())
        self.worst = max(self.worst, int(d.max()))
        self.over8 += int((d > 8).sum())

    def __str__(self):
        n = max(self.total, 1)
        mse = self.sq_sum / n
        psnr = float("inf") if mse == 0 else 10 * math.log10(255 * 255 / mse)
        return (f"mean abs diff {self.abs_sum / n:.3f}, max {self.worst}, samples > 8 apart "
                f"{100 * self.over8 / n:.3f} %, PSNR {psnr:.2f} dB")


def main():
    a, b = parity.by_path(sys.argv[1]), parity.by_path(sys.argv[2])
    root = sys.argv[3] if len(sys.argv) > 3 else None
    ref_a, ref_b = Stats(), Stats()
    same_shape = 0
    total = 0
    abs_sum = 0
    sq_sum = 0
    worst = 0
    over8 = 0
    for p, x in a.items():
        if p not in b:
            continue
        x = cv2.imdecode(np.frombuffer(x, np.uint8), cv2.IMREAD_UNCHANGED).astype(np.int32)
        y = cv2.imdecode(np.frombuffer(b[p], np.uint8), cv2.IMREAD_UNCHANGED).astype(np.int32)
        if x.shape != y.shape:
            continue
        same_shape += 1
        if root:
            full = cv2.imread(os.path.join(root, p), cv2.IMREAD_COLOR)
            ref = cv2.resize(full, (x.shape[1], x.shape[0]), interpolation=cv2.INTER_AREA)
            ref = cv2.imdecode(cv2.imencode(".jpg", ref, [cv2.IMWRITE_JPEG_QUALITY, 95])[1], cv2.IMREAD_UNCHANGED).astype(np.int32)
            ref_a.add(x, ref)
            ref_b.add(y, ref)
        d = np.abs(x - y)
        total += d.size
        abs_sum += int(d.sum())
        sq_sum += int((d * d).sum())
        worst = max(worst, int(d.max()))
        over8 += int((d > 8).sum())
    mse = sq_sum / max(total, 1)
    psnr = float("inf") if mse == 0 else 10 * math.log10(255 * 255 / mse)
    print(f"PIXELS scaled vs full decode: {same_shape} of {len(a)} images the same size; mean abs diff "
          f"{abs_sum / max(total, 1):.3f}, max {worst}, samples > 8 apart {100 * over8 / max(total, 1):.3f} %, "
          f"PSNR {psnr:.2f} dB")
    if root:
        print(f"PIXELS vs INTER_AREA reference (q95 like both): first (scaled): {ref_a}; second (full decode): {ref_b}")
    return 0 if same_shape == len(a) else 1


if __name__ == "__main__":
    sys.exit(main())
