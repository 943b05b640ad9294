package io.imgclass.core.eval;

import java.util.List;

/**
 * Metrics of one evaluation.
 *
 * @param source what was evaluated (for reports)
 * @param preprocessing how images were prepared, in words
 * @param multiLabel whether the model has a multi-label (LogisticRegressionOutput) head
 * @param classes class names by index (the artifact's, or the index as text)
 * @param evaluated images evaluated
 * @param skipped images that could not be used (listed on the error stream)
 * @param accuracy top-1 accuracy; multi-label: accuracy over every (image, class) decision at 0.5
 * @param topK k of {@code topKAccuracy}, or 0 when not asked for (always 0 for multi-label)
 * @param topKAccuracy share of images whose label is among the k highest scores
 * @param exactMatch multi-label: share of images with every class decided right; single-label:
 *     equal to accuracy
 * @param perClass precision/recall/F1 per class (multi-label: decisions at threshold 0.5)
 * @param confusion single-label: {@code confusion[true][predicted]} counts; empty for multi-label
 */
public record EvaluationResult(
    String source,
    String preprocessing,
    boolean multiLabel,
    List<String> classes,
    long evaluated,
    long skipped,
    double accuracy,
    int topK,
    double topKAccuracy,
    double exactMatch,
    List<ClassMetrics> perClass,
    long[][] confusion) {

  /**
   * One class's counts and metrics. Precision is 0 when nothing was predicted as the class,
   * recall 0 when the class has no examples (and F1 0 when both are 0), as scikit-learn's
   * {@code zero_division=0}.
   *
   * @param index class index
   * @param name class name
   * @param truePositives tp
   * @param falsePositives fp
   * @param falseNegatives fn
   * @param support examples of the class (tp + fn)
   */
  public record ClassMetrics(int index, String name, long truePositives, long falsePositives, long falseNegatives,
      long support) {
    /** tp / (tp + fp). */
    public double precision() {
      return truePositives + falsePositives == 0 ? 0 : (double) truePositives / (truePositives + falsePositives);
    }

    /** tp / (tp + fn). */
    public double recall() {
      return support == 0 ? 0 : (double) truePositives / support;
    }

    /** Harmonic mean of precision and recall. */
    public double f1() {
      double p = precision();
      double r = recall();
      return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }
  }

  /** Unweighted mean of the per-class precision. */
  public double macroPrecision() {
    return perClass.stream().mapToDouble(ClassMetrics::precision).average().orElse(0);
  }

  /** Unweighted mean of the per-class recall. */
  public double macroRecall() {
    return perClass.stream().mapToDouble(ClassMetrics::recall).average().orElse(0);
  }

  /** Unweighted mean of the per-class F1. */
  public double macroF1() {
    return perClass.stream().mapToDouble(ClassMetrics::f1).average().orElse(0);
  }
}
