"""Infers argument/aux/output shapes of symbol JSON files with real MXNet, for ResNetShapesTest.

Usage: mxnet_infer_shapes.py SYMBOL.json N,C,H,W [SYMBOL.json N,C,H,W ...]

For each pair, loads the symbol with MXSymbolCreateFromJSON (libmxnet.so that DJL unpacks) and
runs MXSymbolInferShape with data of that shape. Prints one JSON line per symbol:
{"symbol": PATH, "args": {name: shape}, "aux": {name: shape}, "outputs": [shape],
 "resaved": the symbol as MXNet itself saves it again (MXSymbolSaveToJSON)}
"""
import ctypes as C
import json
import sys

import mxnet_lib


def main():
    loaded = mxnet_lib.load()
    if loaded is None:
        return 1
    lib, check = loaded

    args = sys.argv[1:]
    for i in range(0, len(args), 2):
        path, dshape = args[i], [int(d) for d in args[i + 1].split(",")]
        with open(path, "rb") as f:
            js = f.read()
        sym = C.c_void_p()
        check(lib.MXSymbolCreateFromJSON(C.c_char_p(js), C.byref(sym)))
        keys = (C.c_char_p * 1)(b"data")
        ind = (C.c_uint32 * 2)(0, len(dshape))
        data = (C.c_uint32 * len(dshape))(*dshape)
        sizes = [C.c_uint32() for _ in range(3)]
        ndims = [C.POINTER(C.c_uint32)() for _ in range(3)]
        datas = [C.POINTER(C.POINTER(C.c_uint32))() for _ in range(3)]
        complete = C.c_int()
        check(lib.MXSymbolInferShape(sym, C.c_uint32(1), keys, ind, data,
                                     C.byref(sizes[0]), C.byref(ndims[0]), C.byref(datas[0]),
                                     C.byref(sizes[1]), C.byref(ndims[1]), C.byref(datas[1]),
                                     C.byref(sizes[2]), C.byref(ndims[2]), C.byref(datas[2]),
                                     C.byref(complete)))
        shapes = [[[datas[k][j][d] for d in range(ndims[k][j])] for j in range(sizes[k].value)] for k in range(3)]
        n, names = C.c_uint32(), C.POINTER(C.c_char_p)()
        check(lib.MXSymbolListArguments(sym, C.byref(n), C.byref(names)))
        arg_names = [names[j].decode() for j in range(n.value)]
        check(lib.MXSymbolListAuxiliaryStates(sym, C.byref(n), C.byref(names)))
        aux_names = [names[j].decode() for j in range(n.value)]
        saved = C.c_char_p()
        check(lib.MXSymbolSaveToJSON(sym, C.byref(saved)))
        print(json.dumps({"symbol": path, "args": dict(zip(arg_names, shapes[0])),
                          "aux": dict(zip(aux_names, shapes[2])), "outputs": shapes[1],
                          "resaved": saved.value.decode()}), flush=True)
        lib.MXSymbolFree(sym)
    return 0


if __name__ == "__main__":
    sys.exit(main())
