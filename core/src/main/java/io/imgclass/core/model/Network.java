package io.imgclass.core.model;

/**
 * A loaded network for inference on one engine: a batch of CHW float arrays (raw 0–255 values;
 * {@code bn_data} normalises inside the network) in, one output vector per image out (the
 * symbol head's probabilities: softmax, or sigmoid for multi-label). This is the seam between the
 * inference code above (predict, evaluate, serve) and the engines below; {@link Networks#open}
 * picks the implementation. Implementations are not thread-safe: use one per thread.
 */
public interface Network extends AutoCloseable {
  /** Number of outputs per image. */
  int numClasses();

  /**
   * Runs one batch.
   *
   * @param images each a C·H·W float array in CHW order, raw 0–255 values
   * @return one probability vector per image
   */
  float[][] predict(float[][] images);

  /** Frees the engine's memory. */
  @Override
  void close();
}
