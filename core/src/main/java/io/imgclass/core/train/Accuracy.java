package io.imgclass.core.train;

/**
 * Running accuracy counters as MXNet's metrics compute them: top-1 {@code accuracy} (argmax equals
 * the label), {@code top_k_accuracy} (the label is among the k highest scores), and for multi-label
 * the accuracy over every (sample, class) decision at threshold 0.5, i.e. averaged over classes.
 *
 * <p>Mutable: one instance per epoch and split, reset between epochs.
 */
public final class Accuracy {
  private final int topK;
  private long samples;
  private long correct;
  private long correctTopK;
  private long decisions;
  private long correctDecisions;

  /** {@code topK <= 1} turns the top-k counter off. */
  public Accuracy(int topK) {
    this.topK = topK;
  }

  /** Adds one batch of single-label scores (row per sample) and integer labels. */
  public void addSingleLabel(float[][] scores, float[] labels) {
    for (int i = 0; i < scores.length; i++) {
      float[] s = scores[i];
      int label = (int) labels[i];
      int arg = 0;
      int higher = 0;
      for (int c = 1; c < s.length; c++) {
        if (s[c] > s[arg]) {
          arg = c;
        }
      }
      for (int c = 0; c < s.length; c++) {
        // MXNet's top-k takes the k largest by argsort; ties with the label's score are rare with floats.
        if (label >= 0 && label < s.length && s[c] > s[label]) {
          higher++;
        }
      }
      samples++;
      if (arg == label) {
        correct++;
      }
      if (topK > 1 && label >= 0 && label < s.length && higher < topK) {
        correctTopK++;
      }
    }
  }

  /** Adds one batch of multi-label probabilities and 0/1 targets. */
  public void addMultiLabel(float[][] probabilities, float[][] targets) {
    for (int i = 0; i < probabilities.length; i++) {
      samples++;
      boolean exact = true;
      for (int c = 0; c < probabilities[i].length; c++) {
        boolean predicted = probabilities[i][c] >= 0.5f;
        boolean actual = targets[i][c] >= 0.5f;
        decisions++;
        if (predicted == actual) {
          correctDecisions++;
        } else {
          exact = false;
        }
      }
      if (exact) {
        correct++;
      }
    }
  }

  /** Top-1 accuracy, or for multi-label the per-class decision accuracy. */
  public double accuracy() {
    if (decisions > 0) {
      return (double) correctDecisions / decisions;
    }
    return samples == 0 ? 0 : (double) correct / samples;
  }

  /** Top-k accuracy (single-label). */
  public double topKAccuracy() {
    return samples == 0 ? 0 : (double) correctTopK / samples;
  }

  /** Multi-label exact-match ratio; for single label the same as {@link #accuracy()}. */
  public double exactMatch() {
    return samples == 0 ? 0 : (double) correct / samples;
  }

  /** Samples seen. */
  public long samples() {
    return samples;
  }

  /** Clears the counters. */
  public void reset() {
    samples = 0;
    correct = 0;
    correctTopK = 0;
    decisions = 0;
    correctDecisions = 0;
  }
}
