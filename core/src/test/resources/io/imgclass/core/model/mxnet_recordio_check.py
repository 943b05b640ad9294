"""Checks a .rec/.idx pair with real MXNet's RecordIO code (the libmxnet.so DJL unpacks).

Usage: mxnet_recordio_check.py PREFIX [--iter C,H,W --batch N]

1. Reader: for each "key<TAB>offset" line of PREFIX.idx, MXRecordIOReaderSeek + ReadRecord (dmlc's
   reader, which joins the parts of a record split at the magic word) must return what the plain
   framing rules below give; the image header's id must be the key, and when PREFIX.lst exists its
   labels (float32) must equal the header's (flag 0: one label; flag k: k floats after the header).
2. Writer: the payloads written again through MXRecordIOWriterWriteRecord must give a file equal
   byte for byte to PREFIX.rec, with MXRecordIOWriterTell before each record equal to its offset.
3. With --iter: MXNet's ImageRecordIter (the C++ iterator its training reads .rec files with)
   decodes every record at C,H,W, no shuffle; its labels in order must equal the .lst's.
Prints a JSON summary on stdout; exit 0 when all holds, 1 with the reason on stderr otherwise.
"""
import ctypes as C
import json
import os
import struct
import sys

import mxnet_lib

MAGIC = 0xCED7230A


def plain_read(f, offset):
    """One record by the framing rules: [magic u32][cflag<<29 | length u32][data][pad to 4]."""
    f.seek(offset)
    parts = []
    while True:
        magic, word = struct.unpack("<II", f.read(8))
        if magic != MAGIC:
            raise RuntimeError(f"offset {f.tell() - 8}: no magic word")
        flag, length = word >> 29, word & ((1 << 29) - 1)
        parts.append(f.read(length))
        f.read(-length % 4)
        if flag in (0, 3):
            return struct.pack("<I", MAGIC).join(parts)


def labels_of(payload):
    flag, label = struct.unpack("<If", payload[:8])
    if flag == 0:
        return [label]
    return list(struct.unpack(f"<{flag}f", payload[24:24 + 4 * flag]))


def f32(x):
    return struct.unpack("<f", struct.pack("<f", x))[0]


def iter_labels(lib, check, params):
    n, creators = C.c_uint32(), C.POINTER(C.c_void_p)()
    check(lib.MXListDataIters(C.byref(n), C.byref(creators)))
    creator = None
    for i in range(n.value):
        name, desc, na = C.c_char_p(), C.c_char_p(), C.c_uint32()
        an, at, ad = C.POINTER(C.c_char_p)(), C.POINTER(C.c_char_p)(), C.POINTER(C.c_char_p)()
        check(lib.MXDataIterGetIterInfo(C.c_void_p(creators[i]), C.byref(name), C.byref(desc), C.byref(na),
                                        C.byref(an), C.byref(at), C.byref(ad)))
        if name.value == b"ImageRecordIter":
            creator = C.c_void_p(creators[i])
    keys = (C.c_char_p * len(params))(*[k.encode() for k in params])
    vals = (C.c_char_p * len(params))(*[str(v).encode() for v in params.values()])
    it = C.c_void_p()
    check(lib.MXDataIterCreateIter(creator, C.c_uint32(len(params)), keys, vals, C.byref(it)))
    out, more = [], C.c_int()
    while True:
        check(lib.MXDataIterNext(it, C.byref(more)))
        if not more.value:
            break
        label, pad = C.c_void_p(), C.c_int()
        check(lib.MXDataIterGetLabel(it, C.byref(label)))
        check(lib.MXDataIterGetPadNum(it, C.byref(pad)))
        ndim, shape = C.c_uint32(), C.POINTER(C.c_uint32)()
        check(lib.MXNDArrayGetShape(label, C.byref(ndim), C.byref(shape)))
        rows = shape[0]
        width = shape[1] if ndim.value > 1 else 1
        buf = (C.c_float * (rows * width))()
        check(lib.MXNDArraySyncCopyToCPU(label, buf, C.c_size_t(rows * width)))
        for r in range(rows - pad.value):
            out.append(list(buf[r * width:(r + 1) * width]))
        lib.MXNDArrayFree(label)
    lib.MXDataIterFree(it)
    return out


def main():
    args = sys.argv[1:]
    prefix = args[0]
    shape = args[args.index("--iter") + 1] if "--iter" in args else None
    batch = int(args[args.index("--batch") + 1]) if "--batch" in args else 16
    loaded = mxnet_lib.load()
    if loaded is None:
        return 1
    lib, check = loaded
    rec, idx, lst = prefix + ".rec", prefix + ".idx", prefix + ".lst"
    index = []
    with open(idx) as f:
        for line in f:
            k, o = line.split("\t")
            index.append((int(k), int(o)))
    expected = {}
    if os.path.exists(lst):
        with open(lst) as f:
            for line in f:
                cols = line.rstrip("\n").split("\t")
                expected[int(cols[0])] = [f32(float(x)) for x in cols[1:-1]]

    reader = C.c_void_p()
    check(lib.MXRecordIOReaderCreate(rec.encode(), C.byref(reader)))
    payloads = []
    with open(rec, "rb") as f:
        for key, offset in index:
            check(lib.MXRecordIOReaderSeek(reader, C.c_size_t(offset)))
            buf, size = C.c_char_p(), C.c_size_t()
            check(lib.MXRecordIOReaderReadRecord(reader, C.byref(buf), C.byref(size)))
            got = C.string_at(buf, size.value)
            if got != plain_read(f, offset):
                raise RuntimeError(f"key {key} at {offset}: MXNet's reader returns other bytes")
            rid = struct.unpack("<Q", got[8:16])[0]
            if rid != key:
                raise RuntimeError(f"key {key} at {offset}: header id {rid}")
            if expected and labels_of(got) != expected[key]:
                raise RuntimeError(f"key {key}: labels {labels_of(got)}, the .lst has {expected[key]}")
            payloads.append(got)
    lib.MXRecordIOReaderFree(reader)

    again = prefix + ".mxnet-written.rec"
    writer, tell, tells = C.c_void_p(), C.c_size_t(), []
    check(lib.MXRecordIOWriterCreate(again.encode(), C.byref(writer)))
    for p in payloads:
        check(lib.MXRecordIOWriterTell(writer, C.byref(tell)))
        tells.append(tell.value)
        check(lib.MXRecordIOWriterWriteRecord(writer, C.c_char_p(p), C.c_size_t(len(p))))
    lib.MXRecordIOWriterFree(writer)
    with open(again, "rb") as a, open(rec, "rb") as b:
        same = a.read() == b.read()
    os.remove(again)
    if not same:
        raise RuntimeError("MXNet's writer gives other bytes for the same payloads")
    if tells != [o for _, o in index]:
        raise RuntimeError("MXNet's writer puts records at other offsets than the .idx")
    summary = {"records": len(index), "reader_identical": True, "writer_identical": True}

    if shape:
        c, h, w = shape.split(",")
        width = len(next(iter(expected.values()))) if expected else 1
        params = {"path_imgrec": rec, "path_imgidx": idx, "data_shape": f"({c},{h},{w})",
                  "batch_size": batch, "shuffle": 0, "round_batch": 0, "label_width": width,
                  "preprocess_threads": 1, "resize": min(int(h), int(w))}
        got = iter_labels(lib, check, params)
        # MXNet 1.9.1 fills a short last batch with earlier records and reports pad 0 for it with
        # round_batch=0: keep the first len(index) rows.
        if not len(index) <= len(got) < len(index) + batch:
            raise RuntimeError(f"ImageRecordIter gave {len(got)} rows for {len(index)} records")
        got = got[:len(index)]
        if expected:
            want = [expected[k] for k, _ in index]
            if got != want:
                raise RuntimeError("ImageRecordIter labels differ from the .lst")
        summary["image_record_iter_records"] = len(got)
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (RuntimeError, OSError, ValueError, struct.error) as e:
        print(f"{type(e).__name__}: {e}", file=sys.stderr)
        sys.exit(1)
