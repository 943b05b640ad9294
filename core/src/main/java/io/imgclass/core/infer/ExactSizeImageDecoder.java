package io.imgclass.core.infer;

import io.imgclass.core.ImgclassException;
import io.imgclass.core.model.ImageShape;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * TEMPORARY decoder for {@code imgclass predict}: javax.imageio, images must already be exactly
 * the model's image_shape (no resizing). To be replaced by the shared decode path of
 * {@code io.imgclass.core.image} (OpenCV-style bilinear stretch to image_shape) once it lands.
 *
 * <p>Output: CHW float32 with raw 0–255 values, RGB order (grey for 1-channel models, as
 * ITU-R 601 luma rounded like PIL's "L" conversion); alpha is ignored.
 */
public final class ExactSizeImageDecoder {
  private final ImageShape shape;

  /** A decoder for images of this shape. */
  public ExactSizeImageDecoder(ImageShape shape) {
    if (shape.channels() != 1 && shape.channels() != 3) {
      throw new ImgclassException("images need 1 or 3 channels; the model takes " + shape);
    }
    this.shape = shape;
  }

  /** Decodes one file. */
  public float[] decode(Path file) throws IOException {
    BufferedImage img = ImageIO.read(file.toFile());
    if (img == null) {
      throw new ImgclassException(file + ": not a decodable image (javax.imageio found no reader)");
    }
    if (img.getWidth() != shape.width() || img.getHeight() != shape.height()) {
      throw new ImgclassException(file + ": image is " + img.getWidth() + "x" + img.getHeight()
          + ", the model takes " + shape.width() + "x" + shape.height()
          + " (resizing is not wired into predict yet)");
    }
    int h = shape.height();
    int w = shape.width();
    int plane = h * w;
    float[] out = new float[shape.size()];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int rgb = img.getRGB(x, y);
        int r = (rgb >> 16) & 0xFF;
        int g = (rgb >> 8) & 0xFF;
        int b = rgb & 0xFF;
        int i = y * w + x;
        if (shape.channels() == 1) {
          // PIL "L": (R*299 + G*587 + B*114 + 500) / 1000, integer
          out[i] = (r * 299 + g * 587 + b * 114 + 500) / 1000;
        } else {
          out[i] = r;
          out[plane + i] = g;
          out[2 * plane + i] = b;
        }
      }
    }
    return out;
  }
}
