package io.imgclass.recordio;

/**
 * A byte range a resynchronising reader skipped.
 *
 * @param start first skipped byte
 * @param end first byte after the skipped range (the next valid record start, or the file size)
 * @param reason what was wrong at {@code start}
 */
public record CorruptRegion(long start, long end, String reason) {
  public long length() {
    return end - start;
  }
}
