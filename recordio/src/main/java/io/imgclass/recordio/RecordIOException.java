package io.imgclass.recordio;

import java.io.IOException;
import java.nio.file.Path;

/** Corrupt or truncated RecordIO data; names the file (when there is one) and the byte offset. */
public class RecordIOException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final long offset;
  private final String problem;

  /** {@code FILE: at byte OFFSET: PROBLEM}. */
  public RecordIOException(Path file, long offset, String problem) {
    super((file == null ? "<stream>" : file.toString()) + ": at byte " + offset + ": " + problem);
    this.file = file;
    this.offset = offset;
    this.problem = problem;
  }

  /** The file, or null when reading a stream without a name. */
  public Path file() {
    return file;
  }

  /** The byte offset where the problem was found. */
  public long offset() {
    return offset;
  }

  /** What was wrong, without the file name and offset. */
  public String problem() {
    return problem;
  }
}
