"""Loads the libmxnet.so that DJL unpacks, for the test scripts beside this file.

load() returns (lib, check): the ctypes library (MXGetLastError typed) and a function that raises
RuntimeError with MXNet's last error when a C API call returns non-zero; None when no library is
found (the message is printed to stderr).
"""
import ctypes as C
import glob
import os
import sys


def load():
    try:
        import cv2  # noqa: F401  (load order: cv2 before libmxnet, see peers/README.md)
    except ImportError:
        pass
    env = os.environ.get("MXNET_LIBRARY_PATH")
    cands = ([env] if env else []) + sorted(glob.glob(os.path.expanduser("~/.djl.ai/mxnet/*/libmxnet.so")), reverse=True)
    cands = [c for c in cands if os.path.isfile(c)]
    if not cands:
        print("libmxnet.so not found (MXNET_LIBRARY_PATH or ~/.djl.ai/mxnet)", file=sys.stderr)
        return None
    lib = C.CDLL(cands[0], mode=C.RTLD_LOCAL)
    lib.MXGetLastError.restype = C.c_char_p

    def check(rc):
        if rc != 0:
            raise RuntimeError(lib.MXGetLastError().decode())

    return lib, check
