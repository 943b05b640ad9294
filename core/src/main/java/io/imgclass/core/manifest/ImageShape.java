package io.imgclass.core.manifest;

import io.imgclass.core.UsageException;

/**
 * SageMaker's {@code image_shape} hyperparameter, {@code channels,height,width} (e.g. {@code
 * 3,224,224}).
 */
public record ImageShape(int channels, int height, int width) {
  /** Checks that all three are positive. */
  public ImageShape {
    if (channels <= 0 || height <= 0 || width <= 0) {
      throw new UsageException("image shape must be three positive numbers, got " + channels + "," + height + "," + width);
    }
  }

  /** Parses {@code C,H,W}. */
  public static ImageShape parse(String s) {
    String[] p = s.split(",");
    if (p.length != 3) {
      throw new UsageException("--image-shape wants channels,height,width (e.g. 3,224,224), got '" + s + "'");
    }
    try {
      return new ImageShape(Integer.parseInt(p[0].strip()), Integer.parseInt(p[1].strip()), Integer.parseInt(p[2].strip()));
    } catch (NumberFormatException e) {
      throw new UsageException("--image-shape wants channels,height,width (e.g. 3,224,224), got '" + s + "'");
    }
  }

  @Override
  public String toString() {
    return channels + "," + height + "," + width;
  }
}
