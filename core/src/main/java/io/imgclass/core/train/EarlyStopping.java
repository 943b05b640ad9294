package io.imgclass.core.train;

/**
 * SageMaker's early stopping (spec §1.1): after {@code minEpochs} epochs, stop once {@code patience}
 * epochs in a row brought no improvement, where an improvement is {@code (acc - best) / best >=
 * tolerance} (and, with no best yet or best 0, any higher accuracy).
 *
 * <p>Mutable on purpose: one instance follows one training run, epoch by epoch.
 */
public final class EarlyStopping {
  private final boolean enabled;
  private final int minEpochs;
  private final int patience;
  private final double tolerance;
  private double best = Double.NEGATIVE_INFINITY;
  private int bestEpoch = -1;
  private double stopBest = Double.NEGATIVE_INFINITY;
  private int stopBestEpoch = -1;
  private int sinceImprovement;

  public EarlyStopping(boolean enabled, int minEpochs, int patience, double tolerance) {
    this.enabled = enabled;
    this.minEpochs = minEpochs;
    this.patience = patience;
    this.tolerance = tolerance;
  }

  /** From a job's hyperparameters. */
  public static EarlyStopping of(TrainingHyperparameters hp) {
    return new EarlyStopping(hp.earlyStopping(), hp.earlyStoppingMinEpochs(), hp.earlyStoppingPatience(),
        hp.earlyStoppingTolerance());
  }

  /**
   * Records the validation accuracy of a finished epoch (0-based). Returns whether it is a new best
   * (strictly higher than every earlier epoch): the checkpoint to keep. Early stopping's own notion
   * of improvement also asks for the relative tolerance.
   */
  public boolean record(int epoch, double accuracy) {
    boolean improvedForStopping;
    if (stopBestEpoch < 0) {
      improvedForStopping = true;
    } else if (stopBest <= 0) {
      improvedForStopping = accuracy > stopBest;
    } else {
      improvedForStopping = accuracy > stopBest && (accuracy - stopBest) / stopBest >= tolerance;
    }
    if (improvedForStopping) {
      stopBest = accuracy;
      stopBestEpoch = epoch;
      sinceImprovement = 0;
    } else {
      sinceImprovement++;
    }
    boolean newBest = bestEpoch < 0 || accuracy > best;
    if (newBest) {
      best = accuracy;
      bestEpoch = epoch;
    }
    return newBest;
  }

  /** Whether training should stop after the epoch just recorded (0-based). */
  public boolean shouldStop(int epoch) {
    return enabled && epoch + 1 >= minEpochs && sinceImprovement >= patience;
  }

  /** The best accuracy so far. */
  public double best() {
    return best;
  }

  /** The 0-based epoch of the best accuracy, or -1. */
  public int bestEpoch() {
    return bestEpoch;
  }
}
