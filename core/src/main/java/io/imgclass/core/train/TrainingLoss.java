package io.imgclass.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.imgclass.core.ImgclassException;
import io.imgclass.core.data.Batch;
import io.imgclass.core.data.SampleSource;
import java.util.Arrays;

/**
 * The training loss and labels, in engine-neutral NDArray operations so that every engine
 * computes the same thing: softmax cross-entropy, or (multi-label) sigmoid cross-entropy with the
 * optional positive-class weights.
 */
final class TrainingLoss {
  private final int numClasses;
  private final boolean multiLabel;
  private final float[] posWeights;

  /**
   * @param posWeights per-class weights of the positive term (use_weighted_loss), or null
   */
  TrainingLoss(int numClasses, boolean multiLabel, float[] posWeights) {
    this.numClasses = numClasses;
    this.multiLabel = multiLabel;
    this.posWeights = posWeights;
  }

  /** Examples {@code from} (inclusive) to {@code to} of a batch's labels, checked, on m's device. */
  NDArray labels(NDManager m, Batch b, int from, int to) {
    int n = to - from;
    if (multiLabel) {
      float[] l = java.util.Arrays.copyOfRange(b.labels(), from * numClasses, to * numClasses);
      return m.create(l, new Shape(n, numClasses));
    }
    for (int i = from; i < Math.min(to, b.valid()); i++) {
      float l = b.labels()[i];
      if (l < 0 || l >= numClasses || l != Math.rint(l)) {
        throw new ImgclassException("label " + l + " is outside [0, num_classes=" + numClasses
            + ") or not a whole number (batch " + b.index() + ")");
      }
    }
    return m.create(java.util.Arrays.copyOfRange(b.labels(), from, to), new Shape(n));
  }

  /**
   * Checks a single-label batch's labels before the engine sees them, naming the example of a label
   * outside [0, num_classes) or not whole by its file and line or byte offset ({@code where}).
   */
  void checkLabels(Batch b, java.util.function.IntFunction<String> where) {
    if (multiLabel) {
      return;
    }
    for (int i = 0; i < b.valid(); i++) {
      float l = b.labels()[i];
      if (l < 0 || l >= numClasses || l != Math.rint(l)) {
        throw new ImgclassException(where.apply(i) + ": label " + l + " is outside [0, num_classes=" + numClasses
            + ") or not a whole number (batch " + b.index() + " of the epoch)");
      }
    }
  }

  /** All of a batch's labels. */
  NDArray labels(NDManager m, Batch b) {
    return labels(m, b, 0, b.size());
  }

  /** Mean over the batch of the per-example loss (summed over classes for multi-label). */
  NDArray loss(NDArray logits, NDArray y) {
    if (!multiLabel) {
      NDArray logp = logits.logSoftmax(1);
      NDArray picked = logp.mul(y.toType(DataType.INT64, false).oneHot(numClasses)).sum(new int[] {1});
      return picked.neg().mean();
    }
    // Numerically stable sigmoid cross-entropy: max(x,0) - x*y + log(1 + exp(-|x|)).
    NDArray relu = logits.maximum(0f);
    NDArray softplus = logits.abs().neg().exp().add(1f).log();
    NDArray posTerm = logits.neg().maximum(0f).add(softplus); // -log(sigmoid(x))
    NDArray negTerm = relu.add(softplus); // -log(1 - sigmoid(x))
    NDArray one = y.onesLike();
    NDArray pw = posWeights == null ? one : logits.getManager().create(posWeights).reshape(1, -1);
    NDArray l = y.mul(pw).mul(posTerm).add(one.sub(y).mul(negTerm));
    return l.sum(new int[] {1}).mean();
  }

  /**
   * use_weighted_loss: SageMaker does not publish its formula. Ours weights each class's positive
   * term by {@code negatives / positives} over the training set, clipped to [1, 100], so rare
   * labels are not drowned by absent ones (TensorFlow's pos_weight convention).
   */
  static float[] positiveWeights(SampleSource s, int numClasses, TrainingLog log) throws java.io.IOException {
    long[] pos = new long[numClasses];
    try (SampleSource.Cursor c = s.cursor()) {
      for (int i = 0; i < s.size(); i++) {
        float[] l = c.read(i).labels();
        for (int k = 0; k < pos.length && k < l.length; k++) {
          if (l[k] >= 0.5f) {
            pos[k]++;
          }
        }
      }
    }
    float[] w = new float[pos.length];
    for (int k = 0; k < w.length; k++) {
      double ratio = pos[k] == 0 ? 100 : (double) (s.size() - pos[k]) / pos[k];
      w[k] = (float) Math.max(1, Math.min(100, ratio));
    }
    log.info("use_weighted_loss: positive-class weights " + Arrays.toString(w));
    return w;
  }
}
