package io.imgclass.core.train;

import java.util.Arrays;
import java.util.List;

/**
 * MXNet's {@code MultiFactorScheduler} as {@code example/image-classification/common/fit.py} sets it
 * up (spec §1.1): the rate is {@code baseLr × factor^k}, where k counts the step boundaries that the
 * update number has passed ({@code numUpdate > step}). Boundaries are {@code epochSize × e} for each
 * {@code e} in lr_scheduler_step.
 *
 * @param baseLr learning_rate
 * @param factor lr_scheduler_factor
 * @param steps update-count boundaries, increasing
 */
public record LrSchedule(float baseLr, float factor, long[] steps) {

  public LrSchedule {
    steps = steps.clone();
  }

  /** The schedule for a job: {@code epochSize} updates per epoch, boundaries at the given epochs. */
  public static LrSchedule multiFactor(float baseLr, float factor, List<Integer> stepEpochs, long epochSize) {
    long[] steps = stepEpochs.stream().filter(e -> e > 0).mapToLong(e -> e * epochSize).toArray();
    return new LrSchedule(baseLr, factor, steps);
  }

  /** A constant rate. */
  public static LrSchedule constant(float lr) {
    return new LrSchedule(lr, 1f, new long[0]);
  }

  /**
   * fit.py's epoch size: {@code ceil(floor(numTrainingSamples / numWorkers) / batchSize)}.
   */
  public static long epochSize(long numTrainingSamples, int numWorkers, int batchSize) {
    long perWorker = numTrainingSamples / numWorkers;
    return (perWorker + batchSize - 1) / batchSize;
  }

  /** The rate for the {@code numUpdate}-th update (1-based, as MXNet's optimizer counts). */
  public float lr(long numUpdate) {
    double lr = baseLr;
    for (long s : steps) {
      if (numUpdate > s) {
        // MXNet multiplies in float64 Python arithmetic and hands the result on as a float.
        lr *= factor;
      }
    }
    return (float) lr;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LrSchedule s && s.baseLr == baseLr && s.factor == factor && Arrays.equals(s.steps, steps);
  }

  @Override
  public int hashCode() {
    return Float.hashCode(baseLr) * 31 + Arrays.hashCode(steps);
  }

  @Override
  public String toString() {
    return "LrSchedule[baseLr=" + baseLr + ", factor=" + factor + ", steps=" + Arrays.toString(steps) + "]";
  }
}
