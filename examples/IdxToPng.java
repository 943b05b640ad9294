import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import javax.imageio.ImageIO;

/**
 * Writes the first PER_CLASS images of each class of an MNIST-style idx pair (images idx3, labels
 * idx1, gzipped or not) as grey PNGs in one folder per class. Used by quickstart.sh:
 *
 * <pre>java examples/IdxToPng.java IMAGES.gz LABELS.gz OUT PER_CLASS [name0 name1 ...]</pre>
 */
public class IdxToPng {
  public static void main(String[] a) throws IOException {
    byte[] images = read(Path.of(a[0]));
    byte[] labels = read(Path.of(a[1]));
    Path out = Path.of(a[2]);
    int perClass = Integer.parseInt(a[3]);
    int n = readInt(images, 4);
    int rows = readInt(images, 8);
    int cols = readInt(images, 12);
    if (readInt(images, 0) != 0x803 || readInt(labels, 0) != 0x801 || readInt(labels, 4) != n) {
      throw new IOException("not an idx3/idx1 pair: " + a[0] + ", " + a[1]);
    }
    int[] written = new int[256];
    int total = 0;
    for (int i = 0; i < n; i++) {
      int label = labels[8 + i] & 0xff;
      if (written[label] >= perClass) {
        continue;
      }
      String name = 4 + label < a.length ? a[4 + label] : Integer.toString(label);
      Path dir = Files.createDirectories(out.resolve(name));
      BufferedImage img = new BufferedImage(cols, rows, BufferedImage.TYPE_BYTE_GRAY);
      img.getRaster().setDataElements(0, 0, cols, rows, java.util.Arrays.copyOfRange(images, 16 + i * rows * cols, 16 + (i + 1) * rows * cols));
      ImageIO.write(img, "png", dir.resolve(String.format("%05d.png", i)).toFile());
      written[label]++;
      total++;
    }
    System.out.println("wrote " + total + " PNGs under " + out);
  }

  private static byte[] read(Path p) throws IOException {
    try (var in = p.toString().endsWith(".gz") ? new GZIPInputStream(Files.newInputStream(p)) : Files.newInputStream(p)) {
      return in.readAllBytes();
    }
  }

  private static int readInt(byte[] b, int off) {
    return ((b[off] & 0xff) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
  }
}
