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

  /**
   * A batch's images as one N·C·H·W array, the layout every engine takes; each image is checked
   * against the input shape.
   */
  static float[] flatten(float[][] images, ImageShape shape) {
    int size = shape.size();
    float[] flat = new float[images.length * size];
    for (int i = 0; i < images.length; i++) {
      if (images[i].length != size) {
        throw new IllegalArgumentException(
            "image " + i + " has " + images[i].length + " values, the model takes " + shape + " = " + size);
      }
      System.arraycopy(images[i], 0, flat, i * size, size);
    }
    return flat;
  }

  /** An engine's flat N·K output as one vector of K values per image. */
  static float[][] split(float[] all, int n, int k) {
    float[][] res = new float[n][k];
    for (int i = 0; i < n; i++) {
      System.arraycopy(all, i * k, res[i], 0, k);
    }
    return res;
  }
}
