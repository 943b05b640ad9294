package io.imgclass.core.image;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/** Generates small test images with fixed seeds (a smooth gradient plus noise, so JPEG is fair). */
public final class TestImages {
  private TestImages() {}

  /** A w x h RGB image. */
  public static BufferedImage rgb(int w, int h, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
    int phase = r.nextInt(256);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int red = (x * 255 / Math.max(1, w - 1) + phase) & 0xff;
        int green = (y * 255 / Math.max(1, h - 1)) & 0xff;
        int blue = r.nextInt(256);
        img.setRGB(x, y, (red << 16) | (green << 8) | blue);
      }
    }
    return img;
  }

  /** Writes an RGB JPEG. */
  public static Path jpeg(Path file, int w, int h, long seed) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    if (!ImageIO.write(rgb(w, h, seed), "jpeg", file.toFile())) {
      throw new IOException("no jpeg writer");
    }
    return file;
  }

  /** Writes an RGB PNG (lossless, so decoded pixels are known exactly). */
  public static Path png(Path file, BufferedImage img) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    ImageIO.write(img, "png", file.toFile());
    return file;
  }

  /** A 16-bit grey image whose 8-bit value at (x, y) is (x + 2y) & 0xff. */
  public static BufferedImage grey16(int w, int h) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY);
    WritableRaster r = img.getRaster();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int v8 = (x + 2 * y) & 0xff;
        r.setSample(x, y, 0, (v8 << 8) | 0x7f);
      }
    }
    return img;
  }

  /** A 4-colour palette image. */
  public static BufferedImage palette(int w, int h) {
    byte[] red = {(byte) 255, 0, 0, (byte) 200};
    byte[] green = {0, (byte) 255, 0, (byte) 100};
    byte[] blue = {0, 0, (byte) 255, 50};
    IndexColorModel cm = new IndexColorModel(2, 4, red, green, blue);
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_BINARY, cm);
    WritableRaster r = img.getRaster();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        r.setSample(x, y, 0, (x + y) % 4);
      }
    }
    return img;
  }

  /** An RGBA image with alpha = x. */
  public static BufferedImage rgba(int w, int h) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.setRGB(x, y, ((x & 0xff) << 24) | (10 << 16) | (20 << 8) | 30);
      }
    }
    return img;
  }
}
