package io.imgclass.core.manifest;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes images with javax.imageio (TwelveMonkeys adds CMYK and other JPEG variants the JDK
 * rejects) to prove they are readable, and reports their size.
 */
final class ImageChecker {
  /** A decoded image's size, or why it could not be decoded. */
  record Result(int width, int height, String format, String error) {}

  private ImageChecker() {}

  static Result decode(Path file) {
    try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
      if (in == null) {
        return new Result(0, 0, null, "cannot open " + file);
      }
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        return new Result(0, 0, null, "not a recognised image format: " + file);
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        if (!io.imgclass.core.image.ImageLimits.allows(reader.getWidth(0), reader.getHeight(0))) {
          return new Result(0, 0, null, "cannot decode " + file + ": " + new io.imgclass.core.image.ImageTooLargeException(
              reader.getWidth(0), reader.getHeight(0), io.imgclass.core.image.ImageLimits.maxPixels()).getMessage());
        }
        BufferedImage img = reader.read(0);
        return new Result(img.getWidth(), img.getHeight(), reader.getFormatName().toLowerCase(java.util.Locale.ROOT), null);
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
      return new Result(0, 0, null, "cannot decode " + file + ": " + m);
    }
  }
}
