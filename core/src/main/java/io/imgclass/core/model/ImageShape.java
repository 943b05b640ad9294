package io.imgclass.core.model;

import io.imgclass.core.UsageException;

/**
 * The network input geometry, {@code channels,height,width} as SageMaker's {@code image_shape}
 * hyperparameter spells it.
 *
 * @param channels number of channels (1 grey, 3 RGB)
 * @param height image height in pixels
 * @param width image width in pixels
 */
public record ImageShape(int channels, int height, int width) {

  /** Checks that every dimension is positive. */
  public ImageShape {
    if (channels <= 0 || height <= 0 || width <= 0) {
      throw new UsageException(
          "image_shape must be three positive integers C,H,W, got " + channels + "," + height + "," + width);
    }
  }

  /** Parses {@code "3,224,224"} (spaces around the commas are allowed). */
  public static ImageShape parse(String text) {
    String[] parts = text.split(",", -1);
    if (parts.length != 3) {
      throw new UsageException("image_shape must be C,H,W (three comma-separated integers), got '" + text + "'");
    }
    int[] v = new int[3];
    for (int i = 0; i < 3; i++) {
      try {
        v[i] = Integer.parseInt(parts[i].strip());
      } catch (NumberFormatException e) {
        throw new UsageException("image_shape must be C,H,W (three comma-separated integers), got '" + text + "'");
      }
    }
    return new ImageShape(v[0], v[1], v[2]);
  }

  /** The shape as {@code long[]{C, H, W}}. */
  public long[] chw() {
    return new long[] {channels, height, width};
  }

  /** Number of floats in one image. */
  public int size() {
    return channels * height * width;
  }

  @Override
  public String toString() {
    return channels + "," + height + "," + width;
  }
}
