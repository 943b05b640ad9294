package io.imgclass.core.model;

import java.util.Arrays;

/**
 * A dense float32 array in C order: the in-memory form of one {@code .params} entry.
 *
 * @param shape dimensions
 * @param data values, {@code prod(shape)} of them
 */
public record Tensor(long[] shape, float[] data) {

  /** Checks that the data length matches the shape. */
  public Tensor {
    shape = shape.clone();
    if (ShapeInference.numel(shape) != data.length) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(shape) + " needs " + ShapeInference.numel(shape) + " values, got " + data.length);
    }
  }

  /** A tensor filled with one value. */
  public static Tensor filled(long[] shape, float value) {
    float[] d = new float[Math.toIntExact(ShapeInference.numel(shape))];
    Arrays.fill(d, value);
    return new Tensor(shape, d);
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Tensor t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "Tensor" + Arrays.toString(shape);
  }
}
