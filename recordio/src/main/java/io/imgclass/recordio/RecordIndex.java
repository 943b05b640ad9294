package io.imgclass.recordio;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An {@code .idx} file: one {@code key\toffset} line per record (spec §2.4), in file order. Keys are
 * what the writer chose (im2rec: the {@code .lst} index), not positions.
 */
public final class RecordIndex {
  /** One line. */
  public record Entry(long key, long offset) {}

  private final List<Entry> entries;
  private final Map<Long, Long> byKey;

  private RecordIndex(List<Entry> entries) {
    this.entries = Collections.unmodifiableList(entries);
    this.byKey = new HashMap<>(entries.size() * 2);
    for (Entry e : entries) {
      // Last line wins, as in MXNet's MXIndexedRecordIO, which fills a dict line by line.
      byKey.put(e.key(), e.offset());
    }
  }

  /** An index of the given entries, in order. */
  public static RecordIndex of(List<Entry> entries) {
    return new RecordIndex(new ArrayList<>(entries));
  }

  /**
   * Reads an {@code .idx} file. Like MXNet, each line is split on whitespace and both columns are
   * integers; blank lines are ignored. A bad line throws {@link RecordIOException}-style messages
   * naming the file and line.
   */
  public static RecordIndex read(Path idx) throws IOException {
    List<Entry> list = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(idx, StandardCharsets.UTF_8)) {
      String line;
      int lineNo = 0;
      while ((line = r.readLine()) != null) {
        lineNo++;
        String s = line.strip();
        if (s.isEmpty()) {
          continue;
        }
        String[] cols = s.split("\\s+");
        if (cols.length != 2) {
          throw new IndexFormatException(idx, lineNo, "expected 'key<TAB>offset', got '" + abbreviate(line) + "'");
        }
        try {
          long key = Long.parseLong(cols[0]);
          long offset = Long.parseLong(cols[1]);
          if (offset < 0) {
            throw new IndexFormatException(idx, lineNo, "negative offset " + offset);
          }
          list.add(new Entry(key, offset));
        } catch (NumberFormatException e) {
          throw new IndexFormatException(idx, lineNo, "not an integer key and offset: '" + abbreviate(line) + "'");
        }
      }
    }
    return new RecordIndex(list);
  }

  /** Writes the index as MXNet does: {@code key\toffset\n} per entry. */
  public void write(Writer w) throws IOException {
    for (Entry e : entries) {
      w.write(e.key() + "\t" + e.offset() + "\n");
    }
  }

  /** Entries in file order. */
  public List<Entry> entries() {
    return entries;
  }

  /** Number of entries. */
  public int size() {
    return entries.size();
  }

  /** The offset for a key (the last line with it, as MXNet does), or -1. */
  public long offsetOf(long key) {
    Long o = byKey.get(key);
    return o == null ? -1 : o;
  }

  private static String abbreviate(String s) {
    return s.length() <= 60 ? s : s.substring(0, 57) + "...";
  }

  /** A malformed {@code .idx} line. */
  public static final class IndexFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final int line;

    IndexFormatException(Path file, int line, String problem) {
      super(file + ":" + line + ": " + problem);
      this.file = file;
      this.line = line;
    }

    public Path file() {
      return file;
    }

    public int line() {
      return line;
    }
  }
}
