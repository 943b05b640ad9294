package io.imgclass.core.inspect;

import io.imgclass.recordio.ImageRecordHeader;
import io.imgclass.recordio.RecordIOWriter;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;

/** Tiny generated {@code .rec/.idx} fixtures for the inspect tests (also used by the CLI tests' copy). */
final class Fixtures {
  private Fixtures() {}

  /** An encoded image of the given size: JPEG (3 channels) or PNG (grey, 1 channel). */
  static byte[] image(Random rnd, String format, int width, int height) {
    int type = format.equals("png") ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR;
    BufferedImage img = new BufferedImage(width, height, type);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        img.setRGB(x, y, rnd.nextInt(0x1000000));
      }
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(img, format, bytes)) {
        throw new IllegalStateException("no ImageIO writer for " + format);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * {@code PREFIX.rec/.idx} with {@code n} single-label records: label {@code key % 3}, id = key,
   * JPEG 24x16 except every fifth record, which is a PNG 10x8 grey.
   */
  static long[] singleLabel(Path rec, Path idx, int n) throws IOException {
    Random rnd = new Random(99);
    long[] offsets = new long[n];
    try (RecordIOWriter w = RecordIOWriter.create(rec, idx)) {
      for (int key = 0; key < n; key++) {
        byte[] img = key % 5 == 4 ? image(rnd, "png", 10, 8) : image(rnd, "jpeg", 24, 16);
        byte[] payload = ImageRecordHeader.single(key % 3, key).encode(img);
        offsets[key] = idx == null ? w.write(payload) : w.write(key, payload);
      }
    }
    return offsets;
  }
}
