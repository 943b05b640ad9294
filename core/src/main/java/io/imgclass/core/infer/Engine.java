package io.imgclass.core.infer;

import io.imgclass.core.model.ModelArtifact;
import io.imgclass.core.model.Network;
import io.imgclass.core.model.Networks;
import io.imgclass.core.model.RunOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs single images through the network for many threads at once. {@link Network} is not
 * thread-safe, so concurrency comes from one of two strategies (measured in docs/benchmarks.md,
 * "serve"):
 *
 * <ul>
 *   <li>{@link Strategy#POOL}: N runners; each request borrows one for its forward pass.
 *   <li>{@link Strategy#BATCH}: one runner on its own thread takes every request waiting in the
 *       queue (up to {@code maxBatch}) and runs them as one batch. It never waits for more
 *       requests to arrive, so a lone request is not delayed.
 * </ul>
 */
public abstract sealed class Engine implements AutoCloseable {
  /** Concurrency strategy. */
  public enum Strategy {
    /** A pool of runners, one request per forward pass. */
    POOL,
    /** One runner, the waiting requests batched together. */
    BATCH;

    /** Parses {@code pool} or {@code batch}. */
    public static Strategy parse(String s) {
      try {
        return valueOf(s.strip().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new io.imgclass.core.UsageException("strategy must be pool or batch, got '" + s + "'");
      }
    }
  }

  /**
   * Builds an engine.
   *
   * @param workers runners in the pool (POOL), or the largest batch / 8 (BATCH: {@code 8 * workers})
   */
  public static Engine create(ModelArtifact a, Strategy strategy, int workers, RunOptions options) {
    if (workers < 1) {
      throw new io.imgclass.core.UsageException("--workers must be >= 1, got " + workers);
    }
    return create(() -> runner(a, options), strategy, workers);
  }

  /**
   * Builds an engine whose runners {@code factory} opens (e.g. ONNX Runtime sessions of an
   * {@code .onnx} file).
   *
   * @param workers runners in the pool (POOL), or the largest batch / 8 (BATCH: {@code 8 * workers})
   */
  public static Engine create(java.util.function.Supplier<Network> factory, Strategy strategy, int workers) {
    if (workers < 1) {
      throw new io.imgclass.core.UsageException("--workers must be >= 1, got " + workers);
    }
    return strategy == Strategy.POOL ? new Pool(factory, workers) : new Batching(factory, 8 * workers);
  }

  /** One probability vector for one CHW image (raw 0–255). */
  public abstract float[] predict(float[] chw) throws InterruptedException;

  /** Frees the runners; call only when no prediction is running. */
  @Override
  public abstract void close();

  private static Network runner(ModelArtifact a, RunOptions options) {
    return Networks.open(a.graph(), a.params(), a.imageShape(), options);
  }

  static final class Pool extends Engine {
    private final BlockingQueue<Network> idle;
    private final List<Network> all = new ArrayList<>();

    Pool(java.util.function.Supplier<Network> factory, int n) {
      idle = new ArrayBlockingQueue<>(n);
      try {
        for (int i = 0; i < n; i++) {
          Network r = factory.get();
          all.add(r);
          idle.add(r);
        }
      } catch (RuntimeException e) {
        close();
        throw e;
      }
    }

    @Override
    public float[] predict(float[] chw) throws InterruptedException {
      Network r = idle.take();
      try {
        return r.predict(new float[][] {chw})[0];
      } finally {
        idle.add(r);
      }
    }

    @Override
    public void close() {
      all.forEach(Network::close);
    }
  }

  static final class Batching extends Engine {
    private record Job(float[] input, CompletableFuture<float[]> result) {}

    private final LinkedBlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    private final int maxBatch;
    private final Network runner;
    private final Thread thread;
    private volatile boolean closing;

    Batching(java.util.function.Supplier<Network> factory, int maxBatch) {
      this.maxBatch = maxBatch;
      this.runner = factory.get();
      this.thread = new Thread(this::loop, "imgclass-batcher");
      thread.setDaemon(true);
      thread.start();
    }

    private void loop() {
      List<Job> batch = new ArrayList<>();
      while (!closing || !queue.isEmpty()) {
        try {
          Job first = queue.poll(100, TimeUnit.MILLISECONDS);
          if (first == null) {
            continue;
          }
          batch.add(first);
          queue.drainTo(batch, maxBatch - 1);
          float[][] in = new float[batch.size()][];
          for (int i = 0; i < in.length; i++) {
            in[i] = batch.get(i).input();
          }
          try {
            float[][] out = runner.predict(in);
            for (int i = 0; i < out.length; i++) {
              batch.get(i).result().complete(out[i]);
            }
          } catch (RuntimeException e) {
            batch.forEach(j -> j.result().completeExceptionally(e));
          }
          batch.clear();
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    @Override
    public float[] predict(float[] chw) throws InterruptedException {
      CompletableFuture<float[]> f = new CompletableFuture<>();
      queue.add(new Job(chw, f));
      try {
        return f.get();
      } catch (ExecutionException e) {
        if (e.getCause() instanceof RuntimeException re) {
          throw re;
        }
        throw new IllegalStateException(e.getCause());
      }
    }

    @Override
    public void close() {
      closing = true;
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      runner.close();
    }
  }
}
