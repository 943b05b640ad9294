package io.imgclass.recordio;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded generators of payloads that exercise the framing: every size around the padding
 * boundaries, and the magic word at aligned and unaligned offsets, back to back, first and last.
 */
final class Payloads {
  static final byte[] MAGIC = {0x0A, 0x23, (byte) 0xD7, (byte) 0xCE};

  private Payloads() {}

  /** Random bytes of length {@code n}. */
  static byte[] random(Random rnd, int n) {
    byte[] b = new byte[n];
    rnd.nextBytes(b);
    return b;
  }

  /** Copies the magic word into {@code b} at {@code at}. */
  static byte[] withMagicAt(byte[] b, int at) {
    System.arraycopy(MAGIC, 0, b, at, 4);
    return b;
  }

  /**
   * A mixed payload: random size up to {@code maxSize}, and with some probability a few magic words
   * at random (aligned or not) offsets, runs of consecutive magics, or a magic as first/last word.
   */
  static byte[] mixed(Random rnd, int maxSize) {
    int n = switch (rnd.nextInt(4)) {
      case 0 -> rnd.nextInt(10); // 0..9: the padding boundaries
      case 1 -> 4 * rnd.nextInt(maxSize / 4 + 1); // aligned lengths
      default -> rnd.nextInt(maxSize + 1);
    };
    byte[] b = random(rnd, n);
    if (n < 4) {
      return b;
    }
    switch (rnd.nextInt(6)) {
      case 0 -> withMagicAt(b, 0);
      case 1 -> withMagicAt(b, (n - 4) & ~3); // last aligned word
      case 2 -> withMagicAt(b, n - 4); // last 4 bytes (aligned only when n % 4 == 0)
      case 3 -> {
        // a run of consecutive aligned magic words
        int at = 4 * rnd.nextInt((n - 4) / 4 + 1);
        for (int k = 0; k < 1 + rnd.nextInt(4) && at + 4 <= n; k++, at += 4) {
          withMagicAt(b, at);
        }
      }
      case 4 -> {
        for (int k = 0; k < 1 + rnd.nextInt(5); k++) {
          withMagicAt(b, rnd.nextInt(n - 3)); // any offset
        }
      }
      default -> { } // no magic at all
    }
    return b;
  }

  /** The number of aligned magic words in a payload: how many times the writer splits it. */
  static int alignedMagics(byte[] b) {
    int count = 0;
    for (int i = 0; i + 4 <= b.length; i += 4) {
      if (b[i] == MAGIC[0] && b[i + 1] == MAGIC[1] && b[i + 2] == MAGIC[2] && b[i + 3] == MAGIC[3]) {
        count++;
      }
    }
    return count;
  }

  /** An encoded file: its bytes and the offset of each record. */
  record Encoded(byte[] bytes, List<byte[]> payloads, long[] offsets, long[] ends) {}

  /** Writes the payloads with our writer into memory. */
  static Encoded encode(List<byte[]> payloads) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    long[] offsets = new long[payloads.size()];
    long[] ends = new long[payloads.size()];
    try (RecordIOWriter w = RecordIOWriter.to(bytes)) {
      for (int i = 0; i < payloads.size(); i++) {
        offsets[i] = w.write(payloads.get(i));
        ends[i] = w.position();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Encoded(bytes.toByteArray(), payloads, offsets, ends);
  }

  /** {@code count} mixed payloads. */
  static List<byte[]> mixedList(Random rnd, int count, int maxSize) {
    List<byte[]> list = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      list.add(mixed(rnd, maxSize));
    }
    return list;
  }
}
