"""Writes a .params file with real MXNet (the libmxnet.so DJL unpacks), for MxnetInteropTest.

Usage: mxnet_save_params.py OUT [--only-f32]

Creates NDArrays through MXNet's C API (MXNDArrayCreateEx, MXNDArraySyncCopyFromCPU) and saves
them with MXNDArraySave, the function mx.nd.save / save_checkpoint use (numpy shape semantics off,
so V2 records). Arrays (value i = flat index):
  arg:w_f32 float32 (2,3,1,2): i*0.5-3
  arg:b_f64 float64 (4,):      i/3
  aux:m_f16 float16 (3,2):     i*0.25-1
  arg:i_i32 int32   (5,):      i*1000-5
  arg:u_u8  uint8   (2,2):     i*50
With --only-f32, only arg:w_f32 is saved.
"""
import ctypes as C
import sys

import numpy as np

import mxnet_lib


def main():
    out = sys.argv[1]
    only = "--only-f32" in sys.argv[2:]
    loaded = mxnet_lib.load()
    if loaded is None:
        return 1
    lib, check = loaded

    # mshadow type flags: 0 f32, 1 f64, 2 f16, 3 u8, 4 i32
    specs = [("arg:w_f32", np.float32, 0, (2, 3, 1, 2), lambda i: i * 0.5 - 3),
             ("arg:b_f64", np.float64, 1, (4,), lambda i: i / 3.0),
             ("aux:m_f16", np.float16, 2, (3, 2), lambda i: i * 0.25 - 1),
             ("arg:i_i32", np.int32, 4, (5,), lambda i: i * 1000 - 5),
             ("arg:u_u8", np.uint8, 3, (2, 2), lambda i: i * 50)]
    if only:
        specs = specs[:1]
    handles, names = [], []
    for name, dtype, flag, shape, fn in specs:
        n = int(np.prod(shape))
        arr = np.array([fn(i) for i in range(n)], dtype=dtype).reshape(shape)
        h = C.c_void_p()
        dims = (C.c_uint32 * len(shape))(*shape)
        check(lib.MXNDArrayCreateEx(dims, C.c_uint32(len(shape)), 1, 0, 0, flag, C.byref(h)))
        check(lib.MXNDArraySyncCopyFromCPU(h, arr.ctypes.data_as(C.c_void_p), C.c_size_t(n)))
        handles.append(h)
        names.append(name.encode())
    harr = (C.c_void_p * len(handles))(*[h.value for h in handles])
    narr = (C.c_char_p * len(names))(*names)
    check(lib.MXNDArraySave(out.encode(), C.c_uint32(len(handles)), harr, narr))
    for h in handles:
        lib.MXNDArrayFree(h)
    return 0


if __name__ == "__main__":
    sys.exit(main())
