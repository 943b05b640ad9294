package io.imgclass.core.train;

import io.imgclass.recordio.ImageRecordHeader;
import io.imgclass.recordio.RecordIOWriter;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import javax.imageio.ImageIO;

/**
 * Real test data: Fashion-MNIST from Debian's {@code dataset-fashion-mnist} package (MIT, Zalando
 * SE), which {@code .ci/run} installs. Reads the idx files and packs the first images as PNG image
 * records, as {@code make-lst} + {@code pack-recordio --encoding .png --color 0} would.
 */
final class FashionMnist {
  static final Path DIR = Path.of("/usr/share/datasets/fashion-mnist");

  private FashionMnist() {}

  static boolean available() {
    return Files.isRegularFile(DIR.resolve("train-images-idx3-ubyte.gz"));
  }

  /** Packs images {@code [from, from+count)} of the train or t10k set into {@code rec}. */
  static void pack(String set, int from, int count, Path rec) throws IOException {
    byte[][] images = images(DIR.resolve(set + "-images-idx3-ubyte.gz"), from, count);
    byte[] labels = labels(DIR.resolve(set + "-labels-idx1-ubyte.gz"), from, count);
    Path idx = rec.resolveSibling(rec.getFileName().toString().replace(".rec", ".idx"));
    try (RecordIOWriter w = RecordIOWriter.create(rec, idx)) {
      for (int i = 0; i < count; i++) {
        BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setDataElements(0, 0, 28, 28, images[i]);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(img, "png", png);
        w.write(i, ImageRecordHeader.single(labels[i], i).encode(png.toByteArray()));
      }
    }
  }

  private static byte[][] images(Path file, int from, int count) throws IOException {
    try (DataInputStream in = open(file)) {
      if (in.readInt() != 0x00000803) {
        throw new IOException(file + ": not an idx3 image file");
      }
      int n = in.readInt();
      int rows = in.readInt();
      int cols = in.readInt();
      if (from + count > n || rows != 28 || cols != 28) {
        throw new IOException(file + ": unexpected size");
      }
      in.skipNBytes((long) from * 784);
      byte[][] out = new byte[count][784];
      for (int i = 0; i < count; i++) {
        in.readFully(out[i]);
      }
      return out;
    }
  }

  private static byte[] labels(Path file, int from, int count) throws IOException {
    try (DataInputStream in = open(file)) {
      if (in.readInt() != 0x00000801) {
        throw new IOException(file + ": not an idx1 label file");
      }
      in.readInt();
      in.skipNBytes(from);
      byte[] out = new byte[count];
      in.readFully(out);
      return out;
    }
  }

  private static DataInputStream open(Path file) throws IOException {
    InputStream raw = Files.newInputStream(file);
    return new DataInputStream(new java.io.BufferedInputStream(new GZIPInputStream(raw, 1 << 16)));
  }
}
