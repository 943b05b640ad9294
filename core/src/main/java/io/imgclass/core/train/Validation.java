package io.imgclass.core.train;

import io.imgclass.core.data.Batch;
import io.imgclass.core.data.BatchLoader;
import io.imgclass.core.data.SampleSource;
import java.util.Arrays;

/** Accuracy from logits: per training batch, and over the validation channel. */
final class Validation {
  private Validation() {}

  static void addMetrics(TrainingHyperparameters hp, Accuracy acc, float[] flat, Batch b) {
    int k = hp.numClasses();
    int n = b.valid();
    float[][] rows = new float[n][k];
    for (int i = 0; i < n; i++) {
      System.arraycopy(flat, i * k, rows[i], 0, k);
    }
    if (hp.multiLabel()) {
      float[][] targets = new float[n][k];
      for (int i = 0; i < n; i++) {
        for (int c = 0; c < k; c++) {
          rows[i][c] = (float) (1 / (1 + Math.exp(-rows[i][c])));
        }
        System.arraycopy(b.labels(), i * k, targets[i], 0, k);
      }
      acc.addMultiLabel(rows, targets);
    } else {
      acc.addSingleLabel(rows, Arrays.copyOf(b.labels(), n));
    }
  }

  static double accuracy(TrainingHyperparameters hp, long seed, TrainBackend backend, SampleSource val, Augmenter aug,
      BatchLoader.Decoder decoder, int threads, int prefetch, int[] shape, KvWorker kv) {
    Accuracy acc = new Accuracy(0);
    // Distributed: each worker scores its share and the counts are added up, so every worker sees the
    // same accuracy and takes the same early-stopping and best-epoch decisions.
    int[] positions = BatchLoader.sequential(val.size());
    if (kv != null) {
      int[] r = Sharding.range(val.size(), kv.rank(), kv.workers());
      positions = Arrays.copyOfRange(positions, r[0], r[1]);
    }
    try (BatchLoader loader = new BatchLoader(val, positions, hp.miniBatchSize(), shape, aug,
        decoder, false, seed, threads, prefetch)) {
      while (loader.hasNext()) {
        Batch b = loader.next();
        addMetrics(hp, acc, backend.logits(b), b);
        if (kv != null) {
          kv.tick();
        }
      }
    }
    if (kv != null) {
      double[] sums = kv.sum(acc.accuracy() * acc.samples(), acc.samples());
      return sums[1] == 0 ? 0 : sums[0] / sums[1];
    }
    return acc.accuracy();
  }
}
