package io.imgclass.core.train;

import io.imgclass.core.ImgclassException;
import io.imgclass.core.data.BatchLoader;

/**
 * Which examples each worker of a distributed job reads, as MXNet's {@code ImageRecordIter} with
 * {@code num_parts}/{@code part_index} does: worker {@code r} of {@code W} owns the contiguous
 * range {@code [r·n/W, (r+1)·n/W)} of the record positions (the {@code .idx} order), shuffled anew
 * each epoch. So no record is read by two workers and none is left out. Every worker must run the
 * same number of steps (a synchronous push waits for all workers), so a range one record short of
 * {@code ceil(n/W)} repeats its first record, as MXNet's {@code round_batch} wraps around.
 */
public final class Sharding {
  private Sharding() {}

  /** The record positions worker {@code rank} visits in {@code epoch}, {@code ceil(n/workers)} long. */
  public static int[] order(int n, int rank, int workers, long seed, int epoch) {
    int[] range = range(n, rank, workers);
    int len = range[1] - range[0];
    if (len == 0) {
      throw new ImgclassException("the training channel has " + n + " examples, fewer than the " + workers
          + " workers: each worker needs at least one");
    }
    int perWorker = (int) ((n + (long) workers - 1) / workers);
    int[] perm = BatchLoader.shuffled(len, seed * 1_000_003L + epoch + 7_919L * rank);
    int[] out = new int[perWorker];
    for (int i = 0; i < perWorker; i++) {
      out[i] = range[0] + perm[i % len];
    }
    return out;
  }

  /** {@code [first, end)} of worker {@code rank}'s contiguous share of {@code n} positions. */
  public static int[] range(int n, int rank, int workers) {
    if (workers < 1 || rank < 0 || rank >= workers) {
      throw new IllegalArgumentException("rank " + rank + " of " + workers);
    }
    return new int[] {(int) ((long) n * rank / workers), (int) ((long) n * (rank + 1) / workers)};
  }
}
