package io.imgclass.core.lst;

import java.io.BufferedWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes {@code .lst} files byte for byte as MXNet 1.x's {@code im2rec.py write_list} does: {@code
 * '%d\t' % index}, then {@code '%f\t' % label} for each label, then the path and {@code \n}.
 *
 * <p>The file is written under {@code NAME.partial} and renamed on {@link #close()}.
 */
public final class LstWriter implements Closeable {
  private final BufferedWriter out;
  private final Path target;
  private final Path temp;
  private long lines;
  private boolean closed;

  private LstWriter(BufferedWriter out, Path target, Path temp) {
    this.out = out;
    this.target = target;
    this.temp = temp;
  }

  /** Opens {@code target} for writing through a temporary name. */
  public static LstWriter create(Path target) throws IOException {
    Path temp = target.resolveSibling(target.getFileName() + ".partial");
    return new LstWriter(Files.newBufferedWriter(temp, StandardCharsets.UTF_8), target, temp);
  }

  /** One line as im2rec writes it, including the trailing newline. */
  public static String format(LstEntry e) {
    StringBuilder sb = new StringBuilder(64);
    sb.append(e.index()).append('\t');
    for (double label : e.labels()) {
      sb.append(formatF(label)).append('\t');
    }
    return sb.append(e.path()).append('\n').toString();
  }

  /**
   * Python's {@code '%f' % x} (C printf {@code %f}): six decimals of the exact binary value, ties
   * to even. Java's {@code String.format("%f")} rounds the shortest decimal form half-up instead,
   * which differs for values such as 0.0000005.
   */
  static String formatF(double x) {
    if (Double.isNaN(x)) {
      return "nan";
    }
    if (Double.isInfinite(x)) {
      return x > 0 ? "inf" : "-inf";
    }
    String s = new BigDecimal(x).setScale(6, RoundingMode.HALF_EVEN).toPlainString();
    if ((x < 0 || (x == 0 && 1 / x < 0)) && !s.startsWith("-")) {
      s = "-" + s; // C keeps the sign of negative values that round to zero
    }
    return s;
  }

  /** Appends one entry. */
  public void write(LstEntry e) throws IOException {
    out.write(format(e));
    lines++;
  }

  /** Lines written so far. */
  public long lines() {
    return lines;
  }

  /** Flushes and renames the temporary file to the final name. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      out.close();
    } catch (IOException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Writes a whole list to {@code target}. */
  public static void writeAll(Path target, Iterable<LstEntry> entries) throws IOException {
    try (LstWriter w = create(target)) {
      for (LstEntry e : entries) {
        w.write(e);
      }
    }
  }
}
