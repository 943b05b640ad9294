package io.imgclass.core.dist;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.mxnet.engine.MxNDManager;
import ai.djl.ndarray.NDManager;
import ai.djl.mxnet.jna.LibUtils;
import ai.djl.ndarray.NDArray;
import ai.djl.mxnet.engine.MxNDArray;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import io.imgclass.core.ImgclassException;

/**
 * One MXNet kvstore ({@code local}, {@code device}, {@code dist_sync}, {@code dist_async}, or {@code
 * dist} on servers and the scheduler), called through libmxnet's C API. For the {@code dist_*}
 * types this is ps-lite inside libmxnet: the process's role and the cluster come from the {@code
 * DMLC_*} environment variables, read when the store is created.
 *
 * <p>Not thread-safe: one thread drives a store, as in MXNet's Python frontend.
 */
public final class KvStore implements AutoCloseable {
  /** ps-lite command id that MXNet's server hands to the controller ({@code CommandType::kController}). */
  public static final int COMMAND_CONTROLLER = 0;

  private final MxKvLibrary lib;
  private final String type;
  private Pointer handle;
  // Callbacks must stay reachable while libmxnet may call them.
  private MxKvLibrary.Updater updater;
  private MxKvLibrary.Controller controller;

  private KvStore(MxKvLibrary lib, String type, Pointer handle) {
    this.lib = lib;
    this.type = type;
    this.handle = handle;
  }

  /**
   * Creates a store. For {@code dist_*} on a worker this blocks until every node of the cluster has
   * joined the scheduler (ps-lite's start barrier).
   */
  public static KvStore create(String type) {
    MxKvLibrary lib = library();
    PointerByReference out = new PointerByReference();
    check(lib, lib.MXKVStoreCreate(type, out), "create kvstore " + type);
    return new KvStore(lib, type, out.getValue());
  }

  /** This process's ps-lite role, as libmxnet sees it (from DMLC_ROLE). */
  public static Role role() {
    MxKvLibrary lib = library();
    IntByReference r = new IntByReference();
    check(lib, lib.MXKVStoreIsSchedulerNode(r), "role");
    if (r.getValue() != 0) {
      return Role.SCHEDULER;
    }
    check(lib, lib.MXKVStoreIsServerNode(r), "role");
    if (r.getValue() != 0) {
      return Role.SERVER;
    }
    return Role.WORKER;
  }

  /** ps-lite roles. */
  public enum Role { WORKER, SERVER, SCHEDULER }

  private static MxKvLibrary library() {
    // DJL extracts and loads libmxnet on first use of the engine; we bind the same file.
    Engine.getEngine("MXNet");
    return Native.load(LibUtils.getLibName(), MxKvLibrary.class);
  }

  public String type() {
    return type;
  }

  /** This worker's rank in [0, groupSize). */
  public int rank() {
    IntByReference r = new IntByReference();
    check(lib, lib.MXKVStoreGetRank(live(), r), "rank");
    return r.getValue();
  }

  /** Number of workers (on a worker node). */
  public int groupSize() {
    IntByReference r = new IntByReference();
    check(lib, lib.MXKVStoreGetGroupSize(live(), r), "group size");
    return r.getValue();
  }

  /** Registers initial values; for dist stores rank 0's values win and every worker waits at a barrier. */
  public void init(int[] keys, NDArray[] values) {
    check(lib, lib.MXKVStoreInit(live(), keys.length, keys, handles(values)), "init");
  }

  /** Pushes values (gradients) asynchronously: the engine orders later reads and writes. */
  public void push(int[] keys, NDArray[] values, int priority) {
    check(lib, lib.MXKVStorePush(live(), keys.length, keys, handles(values), priority), "push");
  }

  /** Pulls the stored values into {@code out}, asynchronously. */
  public void pull(int[] keys, NDArray[] out, int priority) {
    check(lib, lib.MXKVStorePull(live(), keys.length, keys, handles(out), priority), "pull");
  }

  /** Global barrier among workers. */
  public void barrier() {
    check(lib, lib.MXKVStoreBarrier(live()), "barrier");
  }

  /** ps-lite node groups, for {@link #deadNodes}. */
  public static final int SCHEDULER = 1;
  public static final int SERVERS = 2;
  public static final int WORKERS = 4;

  /**
   * How many nodes of the groups (a sum of {@link #SCHEDULER}, {@link #SERVERS}, {@link #WORKERS})
   * sent no heartbeat for {@code timeoutSec}; needs PS_HEARTBEAT_INTERVAL set on every node. The
   * scheduler watches workers and servers, the others watch the scheduler. Safe from another thread.
   */
  public int deadNodes(int groups, int timeoutSec) {
    Pointer h = handle;
    if (h == null) {
      return 0;
    }
    IntByReference n = new IntByReference();
    check(lib, lib.MXKVStoreGetNumDeadNode(h, groups, n, timeoutSec), "dead nodes");
    return n.getValue();
  }

  /** Seconds between ps-lite heartbeats (PS_HEARTBEAT_INTERVAL), 0 when they are off. */
  public static int heartbeatInterval() {
    try {
      return Math.max(0, Integer.parseInt(System.getenv().getOrDefault("PS_HEARTBEAT_INTERVAL", "0").trim()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** Waits until every pending engine operation (pushes and pulls included) has finished. */
  public void waitAll() {
    check(lib, lib.MXNDArrayWaitAll(), "wait");
  }

  /** Sends a command to every server's controller and waits for their answers. */
  public void sendCommandToServers(int head, String body) {
    check(lib, lib.MXKVStoreSendCommmandToServers(live(), head, body), "command to servers");
  }

  /** Merges a pushed value into the stored one, in place; runs on the thread inside {@link #runServer}. */
  @FunctionalInterface
  public interface Updater {
    void update(int key, NDArray received, NDArray stored);
  }

  /** Handles a command that a worker sent with {@link #sendCommandToServers}. */
  @FunctionalInterface
  public interface Controller {
    void command(int head, String body);
  }

  /**
   * Registers the updater (on a server this is only possible from the controller, while {@link
   * #runServer} runs: before that libmxnet has no server object to give it to).
   */
  public void setUpdater(Updater u) {
    MxNDManager manager = (MxNDManager) NDManager.newBaseManager(Device.cpu(), "MXNet");
    this.updater = (key, recv, local, h) -> {
      // c_api.h: the updater owns the two handles (copies sharing the stored memory) and frees them.
      // Both live on the long-lived manager, so state that an optimizer derives from them (zerosLike)
      // outlives this call; the two handles themselves are freed right after.
      try (MxNDArray r = manager.create(recv); MxNDArray l = manager.create(local)) {
        u.update(key, r, l);
      } catch (Throwable e) {
        fatal("updater for key " + key, e);
      }
    };
    check(lib, lib.MXKVStoreSetUpdater(live(), updater, null), "set updater");
  }

  /** Runs this server or scheduler until the workers finish (blocks); commands go to {@code c}. */
  public void runServer(Controller c) {
    this.controller = (head, body, h) -> {
      try {
        c.command(head, body);
      } catch (Throwable e) {
        fatal("command " + head, e);
      }
    };
    check(lib, lib.MXKVStoreRunServer(live(), controller, null), "run server");
  }

  /**
   * A failure inside a callback happens on libmxnet's server thread, which cannot be unwound from
   * Java; carrying on would leave every worker waiting for an answer forever, so the process ends.
   */
  private static void fatal(String what, Throwable e) {
    System.err.println("imgclass: parameter server " + what + " failed: " + e);
    e.printStackTrace(System.err);
    Watchdog.exitNow();
  }

  /** Frees the handle; on dist workers this waits for the others and rank 0 stops the servers. */
  @Override
  public void close() {
    if (handle != null) {
      Pointer h = handle;
      handle = null;
      check(lib, lib.MXKVStoreFree(h), "free");
    }
    updater = null;
    controller = null;
  }

  private Pointer live() {
    if (handle == null) {
      throw new IllegalStateException("kvstore closed");
    }
    return handle;
  }

  private static Pointer[] handles(NDArray[] a) {
    Pointer[] p = new Pointer[a.length];
    for (int i = 0; i < a.length; i++) {
      p[i] = ((MxNDArray) a[i]).getHandle();
    }
    return p;
  }

  private static void check(MxKvLibrary lib, int rc, String what) {
    if (rc != 0) {
      throw new ImgclassException("MXNet kvstore: " + what + " failed: " + lib.MXGetLastError());
    }
  }
}
