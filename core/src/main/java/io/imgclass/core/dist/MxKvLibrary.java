package io.imgclass.core.dist;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * The part of libmxnet's C API ({@code include/mxnet/c_api.h}, MXNet 1.9.1) that drives its
 * kvstore, which wraps ps-lite. Signatures follow the header: {@code mx_uint} is a 32-bit unsigned
 * int, handles are {@code void*}, {@code NDArrayHandle*} arrays are {@code Pointer[]}. Every call
 * returns 0 on success and -1 on failure, with the message in {@link #MXGetLastError()}.
 */
interface MxKvLibrary extends Library {
  /** {@code typedef void (MXKVStoreUpdater)(int key, NDArrayHandle recv, NDArrayHandle local, void *handle)}. */
  interface Updater extends Callback {
    void invoke(int key, Pointer recv, Pointer local, Pointer handle);
  }

  /** {@code typedef void (MXKVStoreServerController)(int head, const char *body, void *controller_handle)}. */
  interface Controller extends Callback {
    void invoke(int head, String body, Pointer handle);
  }

  String MXGetLastError();

  int MXKVStoreCreate(String type, PointerByReference out);

  int MXKVStoreFree(Pointer handle);

  int MXKVStoreInit(Pointer handle, int num, int[] keys, Pointer[] vals);

  int MXKVStorePush(Pointer handle, int num, int[] keys, Pointer[] vals, int priority);

  int MXKVStorePull(Pointer handle, int num, int[] keys, Pointer[] vals, int priority);

  int MXKVStoreSetUpdater(Pointer handle, Updater updater, Pointer updaterHandle);

  int MXKVStoreGetRank(Pointer handle, IntByReference ret);

  int MXKVStoreGetGroupSize(Pointer handle, IntByReference ret);

  int MXKVStoreIsWorkerNode(IntByReference ret);

  int MXKVStoreIsServerNode(IntByReference ret);

  int MXKVStoreIsSchedulerNode(IntByReference ret);

  int MXKVStoreBarrier(Pointer handle);

  int MXKVStoreSetBarrierBeforeExit(Pointer handle, int barrierBeforeExit);

  int MXKVStoreRunServer(Pointer handle, Controller controller, Pointer controllerHandle);

  int MXKVStoreSendCommmandToServers(Pointer handle, int cmdId, String cmdBody);

  int MXKVStoreGetNumDeadNode(Pointer handle, int nodeId, IntByReference number, int timeoutSec);

  int MXNDArrayWaitAll();
}
