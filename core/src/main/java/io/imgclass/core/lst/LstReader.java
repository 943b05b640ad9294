package io.imgclass.core.lst;

import io.imgclass.core.ImgclassException;
import io.imgclass.core.TextEncoding;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads {@code .lst} files with im2rec's parsing rules (spec §3): split on TAB, strip every field,
 * {@code int(col0)} is the index, the last column is the path, the middle columns are float labels.
 * Both {@code 3} and {@code 3.000000} are accepted.
 *
 * <p>Where im2rec prints a message and skips a malformed line, this reader stops with an {@link
 * ImgclassException} naming {@code file:line}, so that no image silently drops out of a dataset.
 * Only lines that are entirely blank are skipped (im2rec skips them too).
 *
 * <p>Streaming: one line at a time, so memory does not grow with the list.
 */
public final class LstReader implements Closeable {
  // Python int(): optional sign, decimal digits, '_' between digits.
  private static final Pattern PY_INT = Pattern.compile("[+-]?\\d+(_\\d+)*");
  // Python float(): decimal or exponent forms, inf/infinity/nan (any case).
  private static final Pattern PY_FLOAT =
      Pattern.compile(
          "[+-]?((\\d+(_\\d+)*)?\\.?\\d+(_\\d+)*([eE][+-]?\\d+)?|\\d+(_\\d+)*\\.([eE][+-]?\\d+)?"
              + "|(?i:inf|infinity|nan))");

  private final BufferedReader in;
  private final String name;
  private final Path file;
  private long lineNo;

  private LstReader(BufferedReader in, String name, Path file) {
    this.in = in;
    this.name = name;
    this.file = file;
  }

  /** Opens a list file; errors name it as given. */
  public static LstReader open(Path file) throws IOException {
    return new LstReader(Files.newBufferedReader(file, StandardCharsets.UTF_8), file.toString(), file);
  }

  /** Reads from any reader; {@code name} is used in error messages. */
  public static LstReader of(BufferedReader in, String name) {
    return new LstReader(in, name, null);
  }

  /** The next entry, or null at the end of the file. */
  public LstEntry next() throws IOException {
    String line;
    while ((line = readLine()) != null) {
      lineNo++;
      if (!line.isBlank()) {
        return parse(line, name, lineNo);
      }
    }
    return null;
  }

  private String readLine() throws IOException {
    try {
      return in.readLine();
    } catch (java.nio.charset.CharacterCodingException e) {
      // Java says only "Input length = 1"; the file is read again to say where and which byte.
      throw new ImgclassException(file != null ? TextEncoding.notUtf8Message(file)
          : name + ": not valid UTF-8 (" + e.getMessage() + ")", e);
    }
  }

  /** The number of the line the last entry came from (1-based). */
  public long lineNumber() {
    return lineNo;
  }

  /** The name used in error messages. */
  public String name() {
    return name;
  }

  /** Parses one line; {@code where} and {@code lineNo} go into the error message. */
  public static LstEntry parse(String line, String where, long lineNo) {
    String[] cols = line.split("\t", -1);
    if (cols.length < 3) {
      throw new ImgclassException(
          where + ":" + lineNo + ": expected index<TAB>label(s)<TAB>path, found "
              + cols.length + " tab-separated field" + (cols.length == 1 ? "" : "s"));
    }
    String idx = cols[0].strip();
    if (idx.startsWith(String.valueOf(TextEncoding.BOM))) {
      throw new ImgclassException(lineNo == 1 ? TextEncoding.bomMessage(where)
          : where + ":" + lineNo + ": the line starts with a UTF-8 byte-order mark (bytes EF BB BF)");
    }
    if (!PY_INT.matcher(idx).matches()) {
      throw new ImgclassException(where + ":" + lineNo + ": index '" + idx + "' is not an integer");
    }
    long index;
    try {
      index = Long.parseLong(idx.replace("_", "").replaceFirst("^\\+", ""));
    } catch (NumberFormatException e) {
      throw new ImgclassException(where + ":" + lineNo + ": index '" + idx + "' is out of range");
    }
    double[] labels = new double[cols.length - 2];
    for (int i = 1; i < cols.length - 1; i++) {
      String f = cols[i].strip();
      if (!PY_FLOAT.matcher(f).matches()) {
        throw new ImgclassException(
            where + ":" + lineNo + ": label " + i + " '" + f + "' is not a number");
      }
      labels[i - 1] = parseFloat(f);
    }
    String path = cols[cols.length - 1].strip();
    if (path.isEmpty()) {
      throw new ImgclassException(where + ":" + lineNo + ": the path (last field) is empty");
    }
    return new LstEntry(index, labels, path);
  }

  private static double parseFloat(String f) {
    String s = f.replace("_", "").toLowerCase(java.util.Locale.ROOT);
    String body = s.startsWith("-") || s.startsWith("+") ? s.substring(1) : s;
    boolean neg = s.startsWith("-");
    if (body.equals("inf") || body.equals("infinity")) {
      return neg ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    if (body.equals("nan")) {
      return Double.NaN;
    }
    return Double.parseDouble(s);
  }

  /** Reads a whole list into memory (for small lists and tests). */
  public static List<LstEntry> readAll(Path file) throws IOException {
    List<LstEntry> out = new ArrayList<>();
    try (LstReader r = open(file)) {
      for (LstEntry e; (e = r.next()) != null; ) {
        out.add(e);
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    return out;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
