package io.imgclass.core.data;

import io.imgclass.core.ImgclassException;
import io.imgclass.core.image.Pixels;
import io.imgclass.core.train.Augmenter;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Decodes and augments one epoch of batches on worker threads and hands them out in order, in one
 * of two modes:
 *
 * <ul>
 *   <li>prefetch (&gt; 0): each batch is built by one worker, a few batches ahead of the trainer,
 *       while the engine computes. Right when the workers have cores of their own.
 *   <li>on demand (prefetch 0): {@link #next()} builds the batch then, its samples split across
 *       the workers, while the engine waits. Right when the engine's OpenMP threads already use
 *       every core: a worker running beside them preempts one, and the others spin at the next
 *       barrier until it is back, so a millisecond of decoding costs the engine several. Measured
 *       on 2 cores (docs/benchmarks.md, train): real crop_color data at 0.86 of the synthetic
 *       rate with prefetch, 0.94 on demand.
 * </ul>
 *
 * <p>Every sample has its own random generator, seeded from (seed, batch index, position in the
 * batch): the result is the same whatever the mode, thread count or timing. The order of examples
 * is a permutation of the whole source (a global shuffle, not per-chunk as MXNet's iterator does).
 * Training wraps around to fill the last batch, as MXNet's {@code round_batch}; validation pads it
 * and marks the padding in {@link Batch#valid()}.
 */
public final class BatchLoader implements Iterator<Batch>, AutoCloseable {
  /** Decodes image bytes into pixels with the channel count the network wants. */
  @FunctionalInterface
  public interface Decoder {
    Pixels decode(byte[] encoded, String where) throws IOException;
  }

  private final SampleSource source;
  private final int[] order;
  private final int batchSize;
  private final int sampleSize;
  private final Augmenter augmenter;
  private final Decoder decoder;
  private final boolean wrap;
  private final long seed;
  private final int numBatches;
  private final ExecutorService pool;
  private final ThreadLocal<SampleSource.Cursor> cursors;
  private final List<SampleSource.Cursor> opened = new ArrayList<>();
  private final ArrayDeque<Future<Batch>> pending = new ArrayDeque<>();
  private final int prefetch;
  private final int threads;
  private int submitted;
  private int delivered;

  /**
   * @param order the example positions of this epoch, in order
   * @param shape {@code [c, h, w]}
   * @param wrap fill the last batch from the start (training) instead of padding (validation)
   * @param seed this epoch's seed
   * @param threads decoding threads
   * @param prefetch batches prepared ahead, or 0 to build each batch in {@link #next()}
   */
  public BatchLoader(SampleSource source, int[] order, int batchSize, int[] shape, Augmenter augmenter,
      Decoder decoder, boolean wrap, long seed, int threads, int prefetch) {
    this.source = source;
    this.order = order.clone();
    this.batchSize = batchSize;
    this.sampleSize = shape[0] * shape[1] * shape[2];
    this.augmenter = augmenter;
    this.decoder = decoder;
    this.wrap = wrap;
    this.seed = seed;
    this.numBatches = (order.length + batchSize - 1) / batchSize;
    this.prefetch = Math.max(0, prefetch);
    this.threads = Math.max(1, threads);
    this.pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
      Thread t = new Thread(r, "imgclass-decode");
      t.setDaemon(true);
      return t;
    });
    this.cursors = ThreadLocal.withInitial(this::openCursor);
    fill();
  }

  /** A shuffled order of {@code 0..n-1} (Fisher–Yates with a seeded generator). */
  public static int[] shuffled(int n, long seed) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
    }
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = n - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }

  /** {@code 0..n-1} in order. */
  public static int[] sequential(int n) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
    }
    return a;
  }

  /** Batches in this epoch. */
  public int numBatches() {
    return numBatches;
  }

  private SampleSource.Cursor openCursor() {
    try {
      SampleSource.Cursor c = source.cursor();
      synchronized (opened) {
        opened.add(c);
      }
      return c;
    } catch (IOException e) {
      throw new ImgclassException(source.describe() + ": " + e.getMessage(), e);
    }
  }

  private void fill() {
    while (submitted < numBatches && pending.size() < prefetch) {
      int b = submitted++;
      pending.add(pool.submit(() -> build(b)));
    }
  }

  /** One whole batch on the calling (worker) thread. */
  private Batch build(int b) throws IOException {
    float[] data = new float[batchSize * sampleSize];
    float[] labels = new float[batchSize * source.labelWidth()];
    fillSamples(b, 0, batchSize, data, labels);
    return batch(b, data, labels);
  }

  private Batch batch(int b, float[] data, float[] labels) {
    int valid = Math.min(batchSize, order.length - b * batchSize);
    return new Batch(b, data, labels, batchSize, wrap ? batchSize : valid);
  }

  /** Samples {@code [from, to)} of batch {@code b}. */
  private void fillSamples(int b, int from, int to, float[] data, float[] labels) throws IOException {
    SampleSource.Cursor cursor = cursors.get();
    int start = b * batchSize;
    for (int k = from; k < to; k++) {
      int pos = start + k;
      if (pos >= order.length) {
        if (!wrap) {
          break;
        }
        pos %= order.length;
      }
      SplittableRandom rng = new SplittableRandom((seed * 1_000_003L + b) * 1_000_033L + k);
      Sample s = cursor.read(order[pos]);
      Pixels px = decoder.decode(s.image(), s.where());
      augmenter.apply(px, rng, data, k * sampleSize);
      System.arraycopy(s.labels(), 0, labels, k * source.labelWidth(), source.labelWidth());
    }
  }

  /** On-demand mode: batch {@code b} now, its samples split across the workers. */
  private Batch buildNow(int b) throws InterruptedException, ExecutionException {
    float[] data = new float[batchSize * sampleSize];
    float[] labels = new float[batchSize * source.labelWidth()];
    int parts = Math.min(threads, batchSize);
    List<Future<?>> fs = new ArrayList<>(parts);
    for (int i = 0; i < parts; i++) {
      int from = batchSize * i / parts;
      int to = batchSize * (i + 1) / parts;
      fs.add(pool.submit(() -> {
        fillSamples(b, from, to, data, labels);
        return null;
      }));
    }
    for (Future<?> f : fs) {
      f.get();
    }
    return batch(b, data, labels);
  }

  @Override
  public boolean hasNext() {
    return delivered < numBatches;
  }

  @Override
  public Batch next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    try {
      Batch b = prefetch == 0 ? buildNow(delivered) : pending.poll().get();
      delivered++;
      fill();
      return b;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ImgclassException("interrupted while loading data", e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof ImgclassException ie) {
        throw ie;
      }
      throw new ImgclassException(c.getMessage() == null ? c.toString() : c.getMessage(), c);
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
    try {
      pool.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (opened) {
      for (SampleSource.Cursor c : opened) {
        try {
          c.close();
        } catch (IOException ignored) {
          // Read-only files; nothing to lose.
        }
      }
    }
  }
}
