"""Runs a model.tar.gz through real MXNet (the libmxnet.so DJL unpacks), for the interop tests.

Usage: mxnet_run_model.py MODEL.tar.gz INPUT [INPUT ...]

INPUT is FILE.npy (float32 C,H,W or 1,C,H,W, fed as it is) or an image file, decoded here with PIL
(mode "L" for 1 channel, else "RGB") and fed as raw 0..255 values; images must already have the
model's height and width (this script does not resize, so no resampling filter is compared).
The archive's symbol and .params bytes go to MXNet's predict API (MXPredCreate, MXPredSetInput,
MXPredForward, MXPredGetOutput); the input shape is the "data" entry of model-shapes.json.
Before that, every argument and auxiliary state the symbol lists (except data and the label)
must be a key of the .params as MXNDArrayLoadFromBuffer reads it: MXPredCreate would leave a
missing one uninitialised without a word.
Prints one JSON line per input: {"input": INPUT, "prediction": [output 0, flattened]}.
Exit 0, or 1 with the error on stderr.
"""
import ctypes as C
import json
import sys
import tarfile

import numpy as np

import mxnet_lib


def members(path):
    out = {}
    with tarfile.open(path, "r:gz") as tar:
        for m in tar.getmembers():
            if m.isfile():
                out[m.name.removeprefix("./")] = tar.extractfile(m).read()
    return out


def str_list(lib, check, fn, handle):
    n, names = C.c_uint32(), C.POINTER(C.c_char_p)()
    check(getattr(lib, fn)(handle, C.byref(n), C.byref(names)))
    return [names[i].decode() for i in range(n.value)]


def main():
    loaded = mxnet_lib.load()
    if loaded is None:
        return 1
    lib, check = loaded
    files = members(sys.argv[1])
    symbol = files["image-classification-symbol.json"]
    params = files[sorted(k for k in files if k.endswith(".params"))[-1]]
    shape = next(e["shape"] for e in json.loads(files["model-shapes.json"]) if e["name"] == "data")
    c, h, w = (int(x) for x in shape[1:])

    # Which names the .params holds, as MXNet reads them.
    n, handles, nn, names = C.c_uint32(), C.POINTER(C.c_void_p)(), C.c_uint32(), C.POINTER(C.c_char_p)()
    check(lib.MXNDArrayLoadFromBuffer(C.c_char_p(params), C.c_size_t(len(params)),
                                      C.byref(n), C.byref(handles), C.byref(nn), C.byref(names)))
    keys = {names[i].decode() for i in range(nn.value)}
    for i in range(n.value):
        lib.MXNDArrayFree(C.c_void_p(handles[i]))
    sym = C.c_void_p()
    check(lib.MXSymbolCreateFromJSON(C.c_char_p(symbol), C.byref(sym)))
    need = ["arg:" + a for a in str_list(lib, check, "MXSymbolListArguments", sym)
            if a != "data" and not a.endswith("_label")]
    need += ["aux:" + a for a in str_list(lib, check, "MXSymbolListAuxiliaryStates", sym)]
    missing = [k for k in need if k not in keys]
    if missing:
        print("params lack " + ", ".join(missing), file=sys.stderr)
        return 1

    pred = C.c_void_p()
    in_keys = (C.c_char_p * 1)(b"data")
    ind = (C.c_uint32 * 2)(0, 4)
    dims = (C.c_uint32 * 4)(1, c, h, w)
    check(lib.MXPredCreate(C.c_char_p(symbol), C.c_char_p(params), C.c_int(len(params)),
                           C.c_int(1), C.c_int(0), C.c_uint32(1), in_keys, ind, dims, C.byref(pred)))
    for arg in sys.argv[2:]:
        if arg.endswith(".npy"):
            x = np.load(arg).astype(np.float32).reshape(c, h, w)
        else:
            from PIL import Image
            img = Image.open(arg).convert("L" if c == 1 else "RGB")
            if img.size != (w, h):
                print(f"{arg}: {img.size[0]}x{img.size[1]}, the model takes {w}x{h}", file=sys.stderr)
                return 1
            x = np.asarray(img, dtype=np.float32).reshape(h, w, c).transpose(2, 0, 1)
        x = np.ascontiguousarray(x, dtype=np.float32)
        check(lib.MXPredSetInput(pred, b"data", x.ctypes.data_as(C.POINTER(C.c_float)), C.c_uint32(x.size)))
        check(lib.MXPredForward(pred))
        odim, oshape = C.c_uint32(), C.POINTER(C.c_uint32)()
        check(lib.MXPredGetOutputShape(pred, C.c_uint32(0), C.byref(oshape), C.byref(odim)))
        size = int(np.prod([oshape[i] for i in range(odim.value)]))
        out = np.zeros(size, dtype=np.float32)
        check(lib.MXPredGetOutput(pred, C.c_uint32(0), out.ctypes.data_as(C.POINTER(C.c_float)), C.c_uint32(size)))
        print(json.dumps({"input": arg, "prediction": [float(v) for v in out]}))
    lib.MXPredFree(pred)
    lib.MXSymbolFree(sym)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (RuntimeError, KeyError, OSError, tarfile.TarError) as e:
        print(f"{type(e).__name__}: {e}", file=sys.stderr)
        sys.exit(1)
