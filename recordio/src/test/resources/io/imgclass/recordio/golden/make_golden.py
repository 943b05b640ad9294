#!/usr/bin/python3
"""Regenerates the golden RecordIO files next to it with the REAL dmlc writer (libmxnet 1.9.1).

    /usr/bin/python3 make_golden.py [--lib PATH/libmxnet.so]

libmxnet.so comes from DJL's ai.djl.mxnet:mxnet-native-mkl jar, unpacked to ~/.djl.ai/mxnet/ the
first time the DJL MXNet engine starts (run the core tests once). The outputs are committed; the
tests compare our writer's bytes and our reader's records against them (RecordIOGoldenTest).

  spec-example.rec/.idx  spec §2.1: five 8-byte payloads "record_0".."record_4", keys 0..4
  magic-split.rec/.idx   payloads holding the magic word 0x0A23D7CE at aligned and unaligned
                         offsets (spec §2.2: cflag 1/2/3 parts), plus an empty payload
"""
import argparse
import ctypes as C
import glob
import os
import sys

MAGIC = bytes([0x0A, 0x23, 0xD7, 0xCE])

SPEC_EXAMPLE = [b"record_%d" % i for i in range(5)]
MAGIC_SPLIT = [
    MAGIC,                          # the whole payload is the magic: parts 1(len 0), 3(len 0)
    b"abcd" + MAGIC + b"efg",       # aligned at 4: parts 1(4), 3(3) + 1 byte padding
    MAGIC + MAGIC,                  # consecutive: 1(0), 2(0), 3(0)
    b"x" + MAGIC + b"yz",           # unaligned at 1: no split
    b"",                            # empty: one part of length 0
    b"12345678" + MAGIC,            # magic as the last word: 1(8), 3(0)
    b"ab" + MAGIC + b"cd" + MAGIC,  # unaligned at 2, aligned at 8: 1(8), 3(0)
]


def find_lib(explicit):
    cands = ([explicit] if explicit else []) + sorted(
        glob.glob(os.path.expanduser("~/.djl.ai/mxnet/*/libmxnet.so")), reverse=True)
    for c in cands:
        if os.path.exists(c):
            return c
    sys.exit("libmxnet.so not found: run the core tests once (DJL unpacks it) or pass --lib")


def write(lib, path, payloads):
    h, pos = C.c_void_p(), C.c_size_t()
    assert lib.MXRecordIOWriterCreate(path.encode(), C.byref(h)) == 0
    offsets = []
    for p in payloads:
        assert lib.MXRecordIOWriterTell(h, C.byref(pos)) == 0
        offsets.append(pos.value)
        assert lib.MXRecordIOWriterWriteRecord(h, C.c_char_p(p), C.c_size_t(len(p))) == 0
    assert lib.MXRecordIOWriterFree(h) == 0
    with open(path[:-4] + ".idx", "w") as f:  # MXIndexedRecordIO.write_idx: key\toffset\n
        for key, off in enumerate(offsets):
            f.write("%d\t%d\n" % (key, off))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lib")
    args = ap.parse_args()
    lib = C.CDLL(find_lib(args.lib))
    here = os.path.dirname(os.path.abspath(__file__))
    write(lib, os.path.join(here, "spec-example.rec"), SPEC_EXAMPLE)
    write(lib, os.path.join(here, "magic-split.rec"), MAGIC_SPLIT)


if __name__ == "__main__":
    main()
