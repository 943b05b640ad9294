"""Checks an ONNX export against real MXNet, without any imgclass code in the loop.

    /usr/bin/python3 onnx_crosscheck.py MODEL.tar.gz MODEL.onnx X0.npy [X1.npy ...]

1. onnx.checker.check_model(full_check=True) (Debian python3-onnx) accepts MODEL.onnx;
2. real MXNet 1.9.1 (the libmxnet.so DJL unpacks, loaded by mxnet_lib.py, c_predict_api) runs
   the model.tar.gz's symbol and params on each raw (1,C,H,W) input;
3. the ONNX graph is run by this file's own numpy interpreter of the operators imgclass writes
   (an evaluator independent of ONNX Runtime and of the Java code that wrote the file);
4. when the Python onnxruntime package is importable, ONNX Runtime runs it too.

Prints one JSON line per input: {"input", "mxnet", "numpy", "ort" (or null)} and exits 0; exits 1
with a message on stderr when a step fails (the checker's message included).
"""
import ctypes as C
import json
import re
import sys
import tarfile

import numpy as np
import onnx
from onnx import numpy_helper

import mxnet_lib


def mxnet_predict(model_tgz, inputs):
    with tarfile.open(model_tgz, "r:*") as tf:
        files = {m.name.lstrip("./"): m for m in tf.getmembers() if m.isfile()}
        symbol = tf.extractfile(files["image-classification-symbol.json"]).read()
        params = sorted((int(re.match(r"image-classification-(\d+)\.params$", n).group(1)), n)
                        for n in files if re.match(r"image-classification-(\d+)\.params$", n))
        pbytes = tf.extractfile(files[params[-1][1]]).read()
    loaded = mxnet_lib.load()
    if loaded is None:
        raise SystemExit(1)
    lib, check = loaded
    outs = []
    for x in inputs:
        shape = x.shape
        h = C.c_void_p()
        keys = (C.c_char_p * 1)(b"data")
        indptr = (C.c_uint32 * 2)(0, len(shape))
        dims = (C.c_uint32 * len(shape))(*shape)
        check(lib.MXPredCreate(C.c_char_p(symbol), C.c_char_p(pbytes), C.c_int(len(pbytes)), C.c_int(1), C.c_int(0),
                               C.c_uint32(1), keys, indptr, dims, C.byref(h)))
        xc = np.ascontiguousarray(x, dtype=np.float32)
        check(lib.MXPredSetInput(h, b"data", xc.ctypes.data_as(C.POINTER(C.c_float)), C.c_uint32(xc.size)))
        check(lib.MXPredForward(h))
        sd, nd = C.POINTER(C.c_uint32)(), C.c_uint32()
        check(lib.MXPredGetOutputShape(h, C.c_uint32(0), C.byref(sd), C.byref(nd)))
        out = np.empty(tuple(sd[i] for i in range(nd.value)), dtype=np.float32)
        check(lib.MXPredGetOutput(h, C.c_uint32(0), out.ctypes.data_as(C.POINTER(C.c_float)), C.c_uint32(out.size)))
        check(lib.MXPredFree(h))
        outs.append(out.reshape(-1))
    return outs


# --- a small numpy interpreter for the ONNX operators imgclass exports -------------------------

def _attrs(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def _windows(x, k, s, d, pads, fill, ceil=False):
    """(N,C,H,W) -> (N,C,OH,OW,kh,kw) strided windows, padded with `fill`."""
    n, c, h, w = x.shape
    ek = [(k[i] - 1) * d[i] + 1 for i in range(2)]
    extra = [0, 0]
    if ceil:
        for i, size in enumerate((h, w)):
            span = size + pads[i] + pads[i + 2] - ek[i]
            if span % s[i]:
                extra[i] = s[i] - span % s[i]
    xp = np.pad(x, ((0, 0), (0, 0), (pads[0], pads[2] + extra[0]), (pads[1], pads[3] + extra[1])),
                constant_values=fill)
    v = np.lib.stride_tricks.sliding_window_view(xp, tuple(ek), axis=(2, 3))
    return v[:, :, ::s[0], ::s[1], ::d[0], ::d[1]]


def _conv(x, w, b, a):
    k = a.get("kernel_shape", list(w.shape[2:]))
    s = a.get("strides", [1, 1])
    d = a.get("dilations", [1, 1])
    p = a.get("pads", [0, 0, 0, 0])
    g = a.get("group", 1)
    if g != 1:
        raise NotImplementedError("grouped Conv")
    v = _windows(x.astype(np.float64), k, s, d, p, 0.0)
    n, c, oh, ow = v.shape[:4]
    cols = v.transpose(0, 2, 3, 1, 4, 5).reshape(n * oh * ow, -1)
    y = cols @ w.astype(np.float64).reshape(w.shape[0], -1).T
    if b is not None:
        y = y + b
    return y.reshape(n, oh, ow, -1).transpose(0, 3, 1, 2)


def _pool(x, a, kind):
    k, s = a["kernel_shape"], a.get("strides", [1, 1])
    p = a.get("pads", [0, 0, 0, 0])
    ceil = a.get("ceil_mode", 0) == 1
    if kind == "max":
        return _windows(x, k, s, [1, 1], p, -np.inf, ceil).max(axis=(4, 5))
    if a.get("count_include_pad", 0):
        return _windows(x, k, s, [1, 1], p, 0.0, ceil).sum(axis=(4, 5)) / (k[0] * k[1])
    ones = np.ones((1, 1) + x.shape[2:])
    num = _windows(x, k, s, [1, 1], p, 0.0, ceil).sum(axis=(4, 5))
    den = _windows(ones, k, s, [1, 1], p, 0.0, ceil).sum(axis=(4, 5))
    return num / den


def _bcast(v, axis, ndim):
    shape = [1] * ndim
    shape[axis] = -1
    return v.reshape(shape)


def numpy_run(model, x):
    vals = {t.name: numpy_helper.to_array(t).astype(np.float64) if numpy_helper.to_array(t).dtype.kind == "f"
            else numpy_helper.to_array(t) for t in model.graph.initializer}
    vals[model.graph.input[0].name] = x.astype(np.float64)
    for node in model.graph.node:
        a = _attrs(node)
        i = [vals[n] if n else None for n in node.input]
        op = node.op_type
        if op == "Conv":
            y = _conv(i[0], i[1], i[2] if len(i) > 2 else None, a)
        elif op == "BatchNormalization":
            sc, bi, mu, var = (_bcast(t, 1, i[0].ndim) for t in i[1:5])
            y = (i[0] - mu) / np.sqrt(var + a.get("epsilon", 1e-5)) * sc + bi
        elif op == "Relu":
            y = np.maximum(i[0], 0)
        elif op == "Sigmoid":
            y = 1 / (1 + np.exp(-i[0]))
        elif op == "Tanh":
            y = np.tanh(i[0])
        elif op == "Softplus":
            y = np.log1p(np.exp(i[0]))
        elif op == "MaxPool":
            y = _pool(i[0], a, "max")
        elif op == "AveragePool":
            y = _pool(i[0], a, "avg")
        elif op == "GlobalAveragePool":
            y = i[0].mean(axis=(2, 3), keepdims=True)
        elif op == "GlobalMaxPool":
            y = i[0].max(axis=(2, 3), keepdims=True)
        elif op == "Flatten":
            ax = a.get("axis", 1)
            y = i[0].reshape(int(np.prod(i[0].shape[:ax])), -1)
        elif op == "Gemm":
            bm = i[1].T if a.get("transB", 0) else i[1]
            am = i[0].T if a.get("transA", 0) else i[0]
            y = a.get("alpha", 1.0) * (am @ bm)
            if len(i) > 2 and i[2] is not None:
                y = y + a.get("beta", 1.0) * i[2]
        elif op == "Add":
            y = i[0] + i[1]
        elif op == "Softmax":
            ax = a.get("axis", -1)
            e = np.exp(i[0] - i[0].max(axis=ax, keepdims=True))
            y = e / e.sum(axis=ax, keepdims=True)
        elif op == "Identity":
            y = i[0]
        elif op == "QuantizeLinear":
            ax = a.get("axis", 1)
            sc = i[1] if i[1].ndim == 0 else _bcast(i[1], ax, i[0].ndim)
            zp = i[2] if i[2].ndim == 0 else _bcast(i[2], ax, i[0].ndim)
            lo, hi = (-128, 127) if i[2].dtype == np.int8 else (0, 255)
            # round half to even, as the ONNX spec says
            y = np.clip(np.round(i[0] / sc) + zp.astype(np.int64), lo, hi).astype(i[2].dtype)
        elif op == "DequantizeLinear":
            ax = a.get("axis", 1)
            sc = i[1] if i[1].ndim == 0 else _bcast(i[1], ax, i[0].ndim)
            zp = i[2] if len(i) > 2 else np.zeros((), np.int64)
            zp = zp if zp.ndim == 0 else _bcast(zp, ax, i[0].ndim)
            y = (i[0].astype(np.int64) - zp.astype(np.int64)).astype(np.float64) * sc.astype(np.float64)
        else:
            raise NotImplementedError("op " + op)
        vals[node.output[0]] = y
    return vals[model.graph.output[0].name].reshape(-1)


def main():
    if len(sys.argv) < 4:
        print("usage: onnx_crosscheck.py MODEL.tar.gz MODEL.onnx X.npy...", file=sys.stderr)
        return 2
    tgz, path, npys = sys.argv[1], sys.argv[2], sys.argv[3:]
    model = onnx.load(path)
    try:
        onnx.checker.check_model(model, full_check=True)
    except Exception as e:  # the checker raises its own ValidationError types
        print("onnx.checker rejects %s: %s" % (path, e), file=sys.stderr)
        return 1
    xs = [np.load(p).astype(np.float32) for p in npys]
    xs = [x[None] if x.ndim == 3 else x for x in xs]
    mx = mxnet_predict(tgz, xs) if tgz != "-" else [None] * len(xs)
    try:
        import onnxruntime as ort
        sess = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    except ImportError:
        sess = None
    for p, x, m in zip(npys, xs, mx):
        ort_out = sess.run(None, {"data": x})[0].reshape(-1) if sess is not None else None
        print(json.dumps({"input": p, "mxnet": None if m is None else [float(v) for v in m],
                          "numpy": [float(v) for v in numpy_run(model, x)],
                          "ort": None if ort_out is None else [float(v) for v in ort_out]}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
