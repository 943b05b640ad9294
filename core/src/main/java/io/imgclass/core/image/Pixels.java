package io.imgclass.core.image;

/**
 * An 8-bit image, rows top to bottom, channels interleaved: 1 = grey, 3 = RGB, 4 = RGBA.
 *
 * <p>Channel order is RGB (not OpenCV's BGR): DJL and the network expect RGB, and keeping one
 * order everywhere means packing, training and inference treat an image the same way.
 *
 * @param width columns
 * @param height rows
 * @param channels 1, 3 or 4
 * @param data {@code height * width * channels} bytes
 */
public record Pixels(int width, int height, int channels, byte[] data) {
  public Pixels {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("empty image " + width + "x" + height);
    }
    if (channels != 1 && channels != 3 && channels != 4) {
      throw new IllegalArgumentException("channels must be 1, 3 or 4, got " + channels);
    }
    if (data.length != (long) width * height * channels) {
      throw new IllegalArgumentException(
          "expected " + (long) width * height * channels + " bytes, got " + data.length);
    }
  }

  /** The sample at (x, y, c) as 0..255. */
  public int get(int x, int y, int c) {
    return data[(y * width + x) * channels + c] & 0xff;
  }

  /** im2rec's {@code --center-crop}: a centred square of side min(h, w), margin floor(diff/2). */
  public Pixels centerCrop() {
    if (width == height) {
      return this;
    }
    int side = Math.min(width, height);
    int x0 = (width - side) / 2;
    int y0 = (height - side) / 2;
    byte[] out = new byte[side * side * channels];
    int rowBytes = side * channels;
    for (int y = 0; y < side; y++) {
      System.arraycopy(data, ((y0 + y) * width + x0) * channels, out, y * rowBytes, rowBytes);
    }
    return new Pixels(side, side, channels, out);
  }
}
