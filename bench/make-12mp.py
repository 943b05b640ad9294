#!/usr/bin/python3
"""Makes 12-megapixel test photos (4032x3024 JPEG, q90, 4:2:0) for bench/pack-bench-12mp.sh.

    /usr/bin/python3 bench/make-12mp.py SRC_ROOT OUT_ROOT [--count 112] [--seed 16]

SRC_ROOT is bench-photo-jpeg (500x375 crops of real photographs). Each output is a 5x5 grid of
those crops, each enlarged 2x with cv2.INTER_CUBIC (1000x750; the grid is cut to 4032x3024), so
the pictures carry photo detail at about the density of a phone camera's JPEG (3-5 MB each at
q90), not the flat areas a single upscaled photo would have. Output folders: 4 "classes" of
count/4 images, so the list has labels 0-3. Seeded: the same seed gives the same files.
"""
import argparse
import os
import random

import cv2
import numpy as np

p = argparse.ArgumentParser()
p.add_argument("src")
p.add_argument("out")
p.add_argument("--count", type=int, default=112)
p.add_argument("--seed", type=int, default=16)
a = p.parse_args()
srcs = sorted(os.path.join(d, f) for d, _, fs in os.walk(a.src) for f in fs if f.endswith(".jpg"))
rng = random.Random(a.seed)
W, H = 4032, 3024
for i in range(a.count):
    cls = os.path.join(a.out, "c%d" % (i * 4 // a.count))
    os.makedirs(cls, exist_ok=True)
    dst = os.path.join(cls, "p%04d.jpg" % i)
    if os.path.exists(dst):
        continue
    canvas = np.zeros((3750, 5000, 3), np.uint8)
    for ty in range(5):
        for tx in range(5):
            tile = cv2.imread(rng.choice(srcs), cv2.IMREAD_COLOR)
            if rng.random() < 0.5:
                tile = tile[:, ::-1]
            tile = cv2.resize(tile, (1000, 750), interpolation=cv2.INTER_CUBIC)
            canvas[ty * 750:(ty + 1) * 750, tx * 1000:(tx + 1) * 1000] = tile
    ok, buf = cv2.imencode(".jpg", canvas[:H, :W], [cv2.IMWRITE_JPEG_QUALITY, 90])
    assert ok
    tmp = dst + ".tmp"
    with open(tmp, "wb") as f:
        f.write(buf.tobytes())
    os.replace(tmp, dst)
