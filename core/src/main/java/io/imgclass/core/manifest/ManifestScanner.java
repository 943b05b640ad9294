package io.imgclass.core.manifest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.base.ParserBase;
import io.imgclass.core.label.LabelValue;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The hot loop under every manifest reader: splits the file into lines in a large byte buffer and
 * runs Jackson's streaming parser over each line's bytes in place, keeping only the two attributes
 * it was asked for. Nothing per line is allocated on the common path (no line String, no tree): the
 * results live in this object's fields until the next {@link #next()}. Memory is one buffer the
 * size of the longest line (at least 4 MiB), whatever the file's size.
 *
 * <p>Two paths give the same answer. The fast path runs one Jackson parser over a whole buffer of
 * complete lines (creating a parser per line would cost more than parsing the line) and checks, with
 * the parser's line numbers, that each line holds exactly one object. At anything unusual there (a
 * parse error, a blank line, a value that is not an object, an object spanning lines, a second value
 * on the line) it drops that parser and parses the line again on its own: that slow path is the
 * authority, so a malformed line costs only that line and its column is exact. A JSON value spread
 * over several lines is invalid, as in JSON Lines.
 */
final class ManifestScanner implements Closeable {
  private static final int BUFFER = 4 << 20;

  /** What a line turned out to be. */
  enum Kind { BLANK, INVALID_JSON, NOT_AN_OBJECT, OBJECT }

  /** What became of one attribute. */
  enum Attr { MISSING, PRESENT, WRONG_TYPE, DUPLICATE, STRING }

  private final JsonFactory json;
  private final InputStream in;
  private final Path file;
  private final String imageName;
  private final String labelName;
  private byte[] buf;
  private int pos;
  private int limit;
  private boolean eof;
  private long bufOffset;
  // The fast path's parser over complete lines [chunkStart, chunkEnd) of buf; null when none.
  private JsonParser chunk;
  private int chunkLine;
  private JsonToken pending;
  private boolean fastPath = true;
  long fastLines;
  // Parsers created over the buffer (fast path) or over one line (slow path): tests check that a
  // run of blank lines costs none, which is what keeps the scan linear.
  long parsers;

  // ---- results for the current line ----
  long lineNumber;
  long byteOffset;
  int lineStart;
  int lineEnd;
  Kind kind;
  String jsonMessage;
  int jsonColumn;
  String notObjectType;
  Attr image;
  char[] ref = new char[256];
  int refLength;
  String imageType;
  Attr label;
  final LabelValue labelValue = new LabelValue();
  String labelString;
  String labelType;

  ManifestScanner(JsonFactory json, InputStream in, Path file, Attributes attributes) {
    this(json, in, file, attributes, BUFFER);
  }

  /** With a given initial buffer size (tests use tiny ones to exercise refills and growth). */
  ManifestScanner(JsonFactory json, InputStream in, Path file, Attributes attributes, int bufferSize) {
    this.buf = new byte[bufferSize];
    this.json = json;
    this.in = in;
    this.file = file;
    this.imageName = attributes.image();
    this.labelName = attributes.label();
  }

  static ManifestScanner open(Path file, Attributes attributes) throws IOException {
    return new ManifestScanner(sharedFactory(), Files.newInputStream(file), file, attributes);
  }

  /** A factory per scanner would rebuild Jackson's symbol tables; one is safe to share. */
  static JsonFactory sharedFactory() {
    return Holder.FACTORY;
  }

  private static final class Holder {
    static final JsonFactory FACTORY = new JsonFactory();
  }

  Path file() {
    return file;
  }

  /** Moves to the next line; false at the end of the file. */
  boolean next() throws IOException {
    if (!nextLine()) {
      return false;
    }
    lineNumber++;
    if (blankLine()) {
      // Not through the fast path: its parser would skip the whitespace of every following blank
      // line looking for the next token, then be dropped and do it again on the next line, which
      // made a run of n blank lines cost n^2/2 (320,000 of them took a minute).
      resetLine();
      kind = Kind.BLANK;
      if (chunk != null) {
        chunkLine++;
      }
      return true;
    }
    if (!fastPath || !parseFast()) {
      parseLine();
    }
    return true;
  }

  /** True when the current line holds only JSON whitespace (what the per-line parser calls BLANK). */
  private boolean blankLine() {
    for (int i = lineStart; i < lineEnd; i++) {
      byte b = buf[i];
      if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
        return false;
      }
    }
    return true;
  }

  private void resetLine() {
    image = Attr.MISSING;
    label = Attr.MISSING;
    refLength = 0;
    labelString = null;
    jsonMessage = null;
  }

  /** Switches the fast path off (tests use this to prove both paths agree). */
  void disableFastPath() {
    fastPath = false;
  }

  /**
   * Parses the current line with the buffer-wide parser. Returns false, having dropped that parser,
   * when the line needs the per-line parser to be described exactly.
   */
  private boolean parseFast() throws IOException {
    try {
      if (chunk == null) {
        int end = limit;
        if (!eof) {
          end = lastIndexOf(buf, (byte) '\n', lineStart, limit) + 1;
        }
        chunk = json.createParser(buf, lineStart, end - lineStart);
        parsers++;
        chunkLine = 1;
        pending = chunk.nextToken();
      }
      JsonToken t = pending;
      pending = null;
      if (t != JsonToken.START_OBJECT || tokenLine() != chunkLine) {
        return dropChunk();
      }
      kind = Kind.OBJECT;
      image = Attr.MISSING;
      label = Attr.MISSING;
      refLength = 0;
      labelString = null;
      jsonMessage = null;
      JsonParser p = chunk;
      String name;
      while ((name = p.nextFieldName()) != null) {
        t = p.nextToken();
        if (name.equals(imageName)) {
          readImage(p, t);
        } else if (name.equals(labelName)) {
          readLabel(p, t);
        } else {
          p.skipChildren();
        }
      }
      if (tokenLine() != chunkLine) {
        return dropChunk();
      }
      // Look at the next value now: if it is on this line, this line is not JSON Lines.
      try {
        pending = p.nextToken();
      } catch (JsonProcessingException e) {
        if (e.getLocation() == null || e.getLocation().getLineNr() <= chunkLine) {
          return dropChunk();
        }
        closeChunk();
        fastLines++;
        return true;
      }
      if (pending != null && tokenLine() == chunkLine) {
        return dropChunk();
      }
      chunkLine++;
      fastLines++;
      return true;
    } catch (JsonProcessingException e) {
      return dropChunk();
    }
  }

  private int tokenLine() {
    return ((ParserBase) chunk).getTokenLineNr();
  }

  private boolean dropChunk() {
    closeChunk();
    return false;
  }

  private void closeChunk() {
    if (chunk != null) {
      try {
        chunk.close();
      } catch (IOException ignore) {
        // A parser over a byte array holds nothing to release.
      }
      chunk = null;
      pending = null;
    }
  }

  private static int lastIndexOf(byte[] b, byte v, int from, int to) {
    for (int i = to - 1; i >= from; i--) {
      if (b[i] == v) {
        return i;
      }
    }
    return from - 1;
  }

  /** The current line's text (for error messages and {@link ManifestEntry#rawJson()}). */
  String lineText() {
    int end = lineEnd;
    if (end > lineStart && buf[end - 1] == '\r') {
      end--;
    }
    return new String(buf, lineStart, end - lineStart, StandardCharsets.UTF_8);
  }

  /** The image reference as a String (allocates). */
  String refString() {
    return new String(ref, 0, refLength);
  }

  private boolean nextLine() throws IOException {
    int from = pos;
    while (true) {
      int nl = indexOf(buf, (byte) '\n', from, limit);
      if (nl >= 0) {
        setLine(nl, nl + 1);
        return true;
      }
      if (eof) {
        if (pos < limit) {
          setLine(limit, limit);
          return true;
        }
        return false;
      }
      from = limit - pos;
      fill();
      from += pos;
    }
  }

  private void setLine(int end, int nextPos) {
    lineStart = pos;
    lineEnd = end;
    byteOffset = bufOffset + pos;
    pos = nextPos;
  }

  private static int indexOf(byte[] b, byte v, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] == v) {
        return i;
      }
    }
    return -1;
  }

  /** Keeps the unfinished line, growing the buffer for a line longer than it, and reads more. */
  private void fill() throws IOException {
    // The fast-path parser reads the buffer in place: it cannot survive the buffer moving.
    closeChunk();
    int keep = limit - pos;
    if (pos > 0) {
      System.arraycopy(buf, pos, buf, 0, keep);
      bufOffset += pos;
      pos = 0;
      limit = keep;
    }
    if (limit == buf.length) {
      buf = Arrays.copyOf(buf, buf.length * 2);
    }
    int r = in.read(buf, limit, buf.length - limit);
    if (r < 0) {
      eof = true;
    } else {
      limit += r;
    }
  }

  private void parseLine() throws IOException {
    kind = Kind.OBJECT;
    image = Attr.MISSING;
    label = Attr.MISSING;
    refLength = 0;
    labelString = null;
    jsonMessage = null;
    parsers++;
    try (JsonParser p = json.createParser(buf, lineStart, lineEnd - lineStart)) {
      JsonToken t = p.nextToken();
      if (t == null) {
        kind = Kind.BLANK;
        return;
      }
      if (t != JsonToken.START_OBJECT) {
        notObjectType = LabelValue.describe(t);
        p.skipChildren();
        kind = Kind.NOT_AN_OBJECT;
      } else {
        String name;
        while ((name = p.nextFieldName()) != null) {
          t = p.nextToken();
          if (name.equals(imageName)) {
            readImage(p, t);
          } else if (name.equals(labelName)) {
            readLabel(p, t);
          } else {
            p.skipChildren();
          }
        }
      }
      t = p.nextToken();
      if (t != null) {
        kind = Kind.INVALID_JSON;
        jsonMessage = "more than one JSON value on the line (found " + LabelValue.describe(t) + " after the first)";
        jsonColumn = p.currentTokenLocation().getColumnNr();
      }
    } catch (JsonProcessingException e) {
      kind = Kind.INVALID_JSON;
      jsonMessage = cleanMessage(e.getOriginalMessage());
      jsonColumn = e.getLocation() == null ? 0 : e.getLocation().getColumnNr();
    }
  }

  /** Jackson's message without its source description, which names no file we know of. */
  static String cleanMessage(String m) {
    int cut = m.indexOf('\n');
    if (cut >= 0) {
      m = m.substring(0, cut);
    }
    m = m.replaceAll(" \\(start marker at \\[Source: [^;]*; line: \\d+, column: (\\d+)\\]\\)",
        " (opened at column $1)");
    return m.strip();
  }

  private void readImage(JsonParser p, JsonToken t) throws IOException {
    if (image != Attr.MISSING) {
      image = Attr.DUPLICATE;
      p.skipChildren();
      return;
    }
    if (t == JsonToken.VALUE_STRING) {
      int n = p.getTextLength();
      if (ref.length < n) {
        ref = new char[Math.max(n, ref.length * 2)];
      }
      System.arraycopy(p.getTextCharacters(), p.getTextOffset(), ref, 0, n);
      refLength = n;
      image = Attr.PRESENT;
    } else {
      imageType = LabelValue.describe(t);
      image = Attr.WRONG_TYPE;
      p.skipChildren();
    }
  }

  private void readLabel(JsonParser p, JsonToken t) throws IOException {
    if (label != Attr.MISSING) {
      label = Attr.DUPLICATE;
      p.skipChildren();
      return;
    }
    if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
      labelValue.setScalar(number(p, t));
      label = Attr.PRESENT;
    } else if (t == JsonToken.START_ARRAY) {
      labelValue.startArray();
      label = Attr.PRESENT;
      int i = 0;
      for (t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken(), i++) {
        if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
          labelValue.add(number(p, t));
        } else {
          if (label == Attr.PRESENT) {
            label = Attr.WRONG_TYPE;
            labelType = "a list whose item " + i + " is " + LabelValue.describe(t);
          }
          p.skipChildren();
        }
      }
    } else if (t == JsonToken.VALUE_STRING) {
      labelString = p.getText();
      label = Attr.STRING;
    } else {
      labelType = LabelValue.describe(t);
      label = Attr.WRONG_TYPE;
      p.skipChildren();
    }
  }

  private static double number(JsonParser p, JsonToken t) throws IOException {
    if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT) {
      return p.getIntValue();
    }
    return p.getDoubleValue();
  }

  @Override
  public void close() throws IOException {
    closeChunk();
    in.close();
  }
}
