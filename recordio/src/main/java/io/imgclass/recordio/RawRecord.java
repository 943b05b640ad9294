package io.imgclass.recordio;

/**
 * One logical record: its payload (split parts already joined, magic words put back) and where it
 * lies in the file.
 *
 * @param offset byte offset of the magic of its first part (what an {@code .idx} line holds)
 * @param end byte offset just past its last part's padding (the next record's offset)
 * @param data the payload
 */
public record RawRecord(long offset, long end, byte[] data) {}
