package io.imgclass.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterServer;
import io.imgclass.core.dist.KvStore;
import io.imgclass.core.dist.Watchdog;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A worker's side of MXNet's kvstore ({@code dist_sync}, {@code dist_async}) for {@link TrainingJob}:
 * as MXNet's {@code Module} with {@code update_on_kvstore}, each step pushes every gradient and
 * pulls the weight back; the optimizer runs on the servers ({@link KvServerNode}). BatchNorm's
 * moving mean and variance (auxiliary states) are not exchanged: each worker keeps its own, as
 * MXNet does, and rank 0's are the ones saved.
 */
final class KvWorker implements AutoCloseable {
  private final KvStore kv;
  private final Watchdog watchdog;
  private final int rank;
  private final int workers;
  private int accumulatorKey = -1;
  private NDArray accumulator;
  private float[] accumulated;

  private final AtomicReference<KvStore> watched;

  private KvWorker(KvStore kv, Watchdog watchdog, AtomicReference<KvStore> watched) {
    this.watched = watched;
    this.kv = kv;
    this.watchdog = watchdog;
    this.rank = kv.rank();
    this.workers = kv.groupSize();
  }

  /** Joins the cluster described by the DMLC_* variables (blocks until every node is there). */
  static KvWorker connect(String type, Duration timeout) {
    AtomicReference<KvStore> ref = new AtomicReference<>();
    Watchdog w = Watchdog.start(timeout, "worker", Watchdog.deadPeers(ref, KvStore.Role.WORKER));
    try {
      KvStore kv = KvStore.create(type);
      ref.set(kv);
      return new KvWorker(kv, w, ref);
    } catch (RuntimeException e) {
      w.close();
      throw e;
    }
  }

  int rank() {
    return rank;
  }

  int workers() {
    return workers;
  }

  /** Progress: resets the watchdog. */
  void tick() {
    watchdog.tick();
  }

  /**
   * Sends the optimizer to the servers (rank 0), stores rank 0's initial weights under keys {@code
   * 0..n-1} and pulls them, so every worker starts from the same values.
   */
  void start(KvServerNode.Config config, List<NDArray> weights, NDManager manager) {
    if (rank == 0) {
      kv.sendCommandToServers(KvStore.COMMAND_CONTROLLER, config.toJson());
    }
    kv.barrier();
    int n = weights.size();
    int[] keys = new int[n + 1];
    NDArray[] values = new NDArray[n + 1];
    for (int i = 0; i < n; i++) {
      keys[i] = i;
      values[i] = weights.get(i);
    }
    accumulatorKey = n;
    accumulator = manager.zeros(new ai.djl.ndarray.types.Shape(2));
    accumulated = new float[2];
    keys[n] = n;
    values[n] = accumulator;
    kv.init(keys, values);
    kv.pull(keys, values, 0);
    kv.waitAll();
    tick();
  }

  /**
   * For DJL's ParameterStore, which must not update anything itself: {@link #update} does, in key
   * order. (The store walks a hash map whose order differs between processes; in dist_sync a worker
   * waiting on key 17 while another waits on key 42 would deadlock.)
   */
  ParameterServer parameterServer() {
    return new ParameterServer() {
      @Override
      public void init(String parameterId, NDArray[] value) {
        // Done once for all keys in start(): one barrier instead of one per parameter.
      }

      @Override
      public void update(String parameterId, NDArray[] grads, NDArray[] params) {
        throw new IllegalStateException("with a kvstore, KvWorker.update exchanges the gradients");
      }

      @Override
      public void close() {}
    };
  }

  /**
   * One step: pushes the gradient of every weight (key i = {@code weights.get(i)}) and pulls the
   * updated weight back into it. Both are queued on MXNet's engine; the next forward pass waits
   * for the pulled values.
   */
  void update(List<NDArray> weights) {
    int n = weights.size();
    int[] keys = new int[n];
    NDArray[] grads = new NDArray[n];
    NDArray[] values = weights.toArray(new NDArray[0]);
    for (int i = 0; i < n; i++) {
      keys[i] = i;
      grads[i] = values[i].getGradient();
    }
    try {
      kv.push(keys, grads, 0);
      kv.pull(keys, values, 0);
    } finally {
      for (NDArray g : grads) {
        g.close();
      }
    }
  }

  /** Adds up {@code (a, b)} over all workers, e.g. correct and total validation counts. */
  double[] sum(double a, double b) {
    float[] v = {(float) a, (float) b};
    try (NDArray x = accumulator.getManager().create(v)) {
      kv.push(new int[] {accumulatorKey}, new NDArray[] {x}, 0);
      kv.waitAll();
      // dist_async applies each push on arrival: wait until every worker's push is in.
      kv.barrier();
      kv.pull(new int[] {accumulatorKey}, new NDArray[] {accumulator}, 0);
      float[] total = accumulator.toFloatArray();
      kv.barrier();
      double[] out = {total[0] - accumulated[0], total[1] - accumulated[1]};
      accumulated = total;
      tick();
      return out;
    }
  }

  /**
   * A worker that fails cannot leave the job politely: freeing the store waits at a barrier for
   * workers that are themselves waiting for this one's next push. So it says why and ends the
   * process at once (exit code 1); the scheduler sees it gone and stops the rest (heartbeats), or
   * their --kv-timeout does.
   */
  void abandon(Throwable cause) {
    System.err.println("imgclass: train: worker rank " + rank + " failed, stopping it: " + cause.getMessage());
    if (cause.getMessage() == null || cause instanceof Error) {
      cause.printStackTrace(System.err);
    }
    Watchdog.exitNow();
  }

  /** Waits for pending exchanges; the last worker out lets rank 0 stop the servers. */
  @Override
  public void close() {
    try {
      kv.waitAll();
    } finally {
      // Freeing the store waits for the other workers: keep the progress limit, drop the heartbeat check.
      synchronized (watched) {
        watched.set(null);
      }
      try {
        kv.close();
      } finally {
        watchdog.close();
      }
    }
  }
}
