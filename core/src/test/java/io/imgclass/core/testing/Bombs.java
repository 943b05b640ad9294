package io.imgclass.core.testing;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;

/** Small crafted files that claim huge sizes (decompression bombs), written by the tests. */
public final class Bombs {
  private Bombs() {}

  /**
   * A real, complete all-zero greyscale PNG of {@code side}×{@code side} pixels: each row is a
   * filter byte and {@code side} zero bytes, deflated (30000² gives an 875 KB file of 900 MB).
   */
  public static Path zeroPng(Path file, int side) throws IOException {
    byte[] idat = zeroZlib((long) side * (side + 1), side + 1);
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
    ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(side).putInt(side).put((byte) 8).put((byte) 0)
        .put((byte) 0).put((byte) 0).put((byte) 0);
    chunk(png, "IHDR", ihdr.array());
    chunk(png, "IDAT", idat);
    chunk(png, "IEND", new byte[0]);
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.write(file, png.toByteArray());
    return file;
  }

  /**
   * A zlib stream of {@code n} zero bytes ({@code n} a multiple of {@code unit}), made quickly:
   * blocks of zeros are deflated once and ended with a full flush, which resets the compressor, so
   * the same compressed bytes stand for every such block and are repeated rather than recomputed
   * (deflating 900 MB takes over 10 s on a loaded machine).
   */
  static byte[] zeroZlib(long n, int unit) {
    long units = n / unit;
    int perBlock = (int) Math.max(1, Math.min(units, (32L << 20) / unit));
    byte[] block = deflate(new byte[perBlock * unit], Deflater.FULL_FLUSH);
    byte[] tail = deflate(new byte[(int) (units % perBlock) * unit], -1);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x78);
    out.write(0xDA);
    for (long i = 0; i < units / perBlock; i++) {
      out.write(block, 0, block.length);
    }
    out.write(tail, 0, tail.length);
    // Adler-32 of zeros: a stays 1, b adds 1 per byte.
    long adler = (n % 65521) << 16 | 1;
    out.write(ByteBuffer.allocate(4).putInt((int) adler).array(), 0, 4);
    return out.toByteArray();
  }

  /** Raw deflate of {@code data}, ended with {@code flush} or, for -1, finished (the last block). */
  private static byte[] deflate(byte[] data, int flush) {
    Deflater d = new Deflater(Deflater.BEST_COMPRESSION, true);
    try {
      d.setInput(data);
      if (flush < 0) {
        d.finish();
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[1 << 16];
      while (true) {
        int k = flush < 0 ? d.deflate(buf) : d.deflate(buf, 0, buf.length, flush);
        out.write(buf, 0, k);
        if (flush < 0 ? d.finished() : k < buf.length && d.needsInput()) {
          return out.toByteArray();
        }
      }
    } finally {
      d.end();
    }
  }

  private static void chunk(OutputStream out, String type, byte[] data) throws IOException {
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    out.write(ByteBuffer.allocate(4).putInt(data.length).array());
    out.write(t);
    out.write(data);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    out.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  /**
   * A small baseline JPEG (a 64×64 image) whose frame header (SOF0) is patched to claim {@code
   * width}×{@code height}: a few KB that a decoder trusting the header would allocate gigabytes for.
   */
  public static Path jpegClaiming(Path file, int width, int height) throws IOException {
    BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_3BYTE_BGR);
    for (int y = 0; y < 64; y++) {
      for (int x = 0; x < 64; x++) {
        img.setRGB(x, y, (x * 4) << 16 | (y * 4) << 8 | (x ^ y));
      }
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ImageIO.write(img, "jpeg", bytes);
    byte[] b = bytes.toByteArray();
    boolean patched = false;
    for (int i = 2; i + 9 < b.length; i++) {
      if ((b[i] & 0xff) == 0xFF && (b[i + 1] & 0xff) == 0xC0) {
        // FFC0, length (2), precision (1), height (2), width (2)
        b[i + 5] = (byte) (height >> 8);
        b[i + 6] = (byte) height;
        b[i + 7] = (byte) (width >> 8);
        b[i + 8] = (byte) width;
        patched = true;
        break;
      }
    }
    if (!patched) {
      throw new IOException("no SOF0 marker in the JDK's JPEG");
    }
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.write(file, b);
    return file;
  }

  /**
   * A gzip-compressed tar whose one member, {@code name}, has a header claiming {@code claimed}
   * bytes, followed by {@code written} bytes of zeros (a "gzip bomb" when both are large; the
   * reader must refuse from the header, before reading).
   */
  public static Path tarGzClaiming(Path file, String name, long claimed, long written) throws IOException {
    byte[] h = new byte[512];
    byte[] n = name.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(n, 0, h, 0, n.length);
    octal(h, 100, 8, 0644);
    octal(h, 108, 8, 0);
    octal(h, 116, 8, 0);
    octal(h, 124, 12, claimed);
    octal(h, 136, 12, 0);
    h[156] = '0';
    System.arraycopy("ustar\0".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 6);
    h[263] = '0';
    h[264] = '0';
    java.util.Arrays.fill(h, 148, 156, (byte) ' ');
    long sum = 0;
    for (byte x : h) {
      sum += x & 0xFF;
    }
    byte[] cs = String.format("%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(cs, 0, h, 148, 8);
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file), 1 << 16)) {
      out.write(h);
      byte[] zeros = new byte[1 << 16];
      for (long left = written; left > 0; left -= zeros.length) {
        out.write(zeros, 0, (int) Math.min(zeros.length, left));
      }
    }
    return file;
  }

  private static void octal(byte[] h, int off, int len, long value) {
    String s = Long.toOctalString(value);
    s = "0".repeat(len - 1 - s.length()) + s;
    System.arraycopy(s.getBytes(StandardCharsets.US_ASCII), 0, h, off, len - 1);
  }
}
