package io.imgclass.core;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Says where a text file that must be UTF-8 is not, in words a user can act on: Java's decoder only
 * reports {@code Input length = 1}, with neither line nor byte. Used after a read failed, so the
 * common path pays nothing.
 */
public final class TextEncoding {
  /** The UTF-8 byte-order mark as Java decodes it (U+FEFF). */
  public static final char BOM = '\uFEFF';

  private TextEncoding() {}

  /** Where the first byte that is not valid UTF-8 is: 1-based line and column (in bytes), 0-based offset. */
  public record Invalid(long line, long column, long offset, int value) {
    /** "3:7: byte 0xE9 (at byte offset 52) is not valid UTF-8", to follow a file name. */
    public String describe() {
      return String.format(Locale.ROOT, "%d:%d: byte 0x%02X (at byte offset %d) is not valid UTF-8",
          line, column, value, offset);
    }
  }

  /** The first invalid byte of {@code file}, or null when it is all valid UTF-8. */
  public static Invalid firstInvalid(Path file) throws IOException {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      return firstInvalid(in);
    }
  }

  /** The same for a stream (read to the first invalid byte). */
  public static Invalid firstInvalid(InputStream in) throws IOException {
    long offset = 0;
    long line = 1;
    long lineStart = 0;
    int b;
    while ((b = in.read()) >= 0) {
      long at = offset++;
      if (b < 0x80) {
        if (b == '\n') {
          line++;
          lineStart = offset;
        }
        continue;
      }
      int need;
      int lo = 0x80;
      int hi = 0xBF;
      if (b >= 0xC2 && b <= 0xDF) {
        need = 1;
      } else if (b >= 0xE0 && b <= 0xEF) {
        need = 2;
        lo = b == 0xE0 ? 0xA0 : 0x80; // no overlong forms
        hi = b == 0xED ? 0x9F : 0xBF; // no surrogates
      } else if (b >= 0xF0 && b <= 0xF4) {
        need = 3;
        lo = b == 0xF0 ? 0x90 : 0x80;
        hi = b == 0xF4 ? 0x8F : 0xBF; // nothing above U+10FFFF
      } else {
        return new Invalid(line, at - lineStart + 1, at, b);
      }
      for (int k = 0; k < need; k++) {
        int c = in.read();
        offset++;
        boolean ok = c >= 0 && (k == 0 ? c >= lo && c <= hi : c >= 0x80 && c <= 0xBF);
        if (!ok) {
          // The lead byte is the one to blame when what follows is not its continuation. (A '\n'
          // there is never a continuation byte, so the line count stays right.)
          return new Invalid(line, at - lineStart + 1, at, b);
        }
      }
    }
    return null;
  }

  /**
   * A one-line message for a file that failed to decode as UTF-8: {@code FILE:LINE:COLUMN: byte 0xE9
   * (at byte offset O) is not valid UTF-8; the file must be UTF-8 ...}.
   */
  public static String notUtf8Message(Path file) {
    Invalid bad;
    try {
      bad = firstInvalid(file);
    } catch (IOException e) {
      bad = null;
    }
    return file + (bad == null ? ": is not valid UTF-8" : ":" + bad.describe())
        + "; the file must be UTF-8 (a single byte from 0x80 up usually means Latin-1 or Windows-1252:"
        + " convert it, e.g. iconv -f latin1 -t utf-8)";
  }

  /** The message for a UTF-8 byte-order mark at the start of {@code file}. */
  public static String bomMessage(String file) {
    return file + ":1: the file starts with a UTF-8 byte-order mark (bytes EF BB BF), which is not part of the"
        + " format; save it without (e.g. sed -i '1s/^\\xEF\\xBB\\xBF//' FILE)";
  }
}
