package io.imgclass.core.infer;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code task(0..count-1)} on a small thread pool and hands the outcomes back in index order.
 * At most {@code window} tasks are queued or running at once, so memory stays bounded however many
 * items there are (decoded 224×224 images are 600 KB each). A task that throws yields an outcome
 * with the error; the others go on.
 *
 * @param <T> what a task produces
 */
public final class OrderedPipeline<T> implements Iterator<OrderedPipeline.Outcome<T>>, AutoCloseable {
  /** One task's result or error. */
  public record Outcome<T>(int index, T value, Exception error) {
    /** Whether the task succeeded. */
    public boolean ok() {
      return error == null;
    }
  }

  /** A task that may fail. */
  @FunctionalInterface
  public interface Task<T> {
    T run(int index) throws Exception;
  }

  private final ExecutorService pool;
  private final Task<T> task;
  private final int count;
  private final int window;
  private final ArrayDeque<Future<T>> pending = new ArrayDeque<>();
  private int submitted;
  private int delivered;

  /**
   * @param threads worker threads (at least 1)
   * @param window tasks in flight at most (at least 1)
   */
  public OrderedPipeline(int count, Task<T> task, int threads, int window) {
    this.count = count;
    this.task = task;
    this.window = Math.max(1, window);
    this.pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
      Thread t = new Thread(r, "imgclass-decode");
      t.setDaemon(true);
      return t;
    });
    fill();
  }

  private void fill() {
    while (submitted < count && pending.size() < window) {
      int i = submitted++;
      pending.add(pool.submit(() -> task.run(i)));
    }
  }

  @Override
  public boolean hasNext() {
    return delivered < count;
  }

  @Override
  public Outcome<T> next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    Future<T> f = pending.poll();
    int i = delivered++;
    Outcome<T> o;
    try {
      o = new Outcome<>(i, f.get(), null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new io.imgclass.core.ImgclassException("interrupted while decoding images", e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      o = new Outcome<>(i, null, c instanceof Exception ex ? ex : new RuntimeException(c));
    }
    fill();
    return o;
  }

  @Override
  public void close() {
    pool.shutdownNow();
    try {
      pool.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
