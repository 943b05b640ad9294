package io.imgclass.recordio;

import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes RecordIO exactly as dmlc's {@code RecordIOWriter::WriteRecord} does, and optionally the
 * {@code .idx} text index as MXNet's {@code MXIndexedRecordIO.write_idx} does.
 *
 * <p>Files are written under temporary names ({@code NAME.partial}) and renamed when {@link
 * #close()} succeeds, so an interrupted run never leaves a {@code .rec} that looks finished. Call
 * {@link #abort()} to delete the temporary files instead.
 *
 * <p>Not thread-safe: one writer per output; parallel producers hand payloads to one writing thread.
 */
public final class RecordIOWriter implements Closeable {
  private static final byte[] MAGIC_BYTES = {0x0A, 0x23, (byte) 0xD7, (byte) 0xCE};
  private static final byte[] ZEROS = new byte[4];

  private final OutputStream out;
  private final Writer idx;
  private final Path recFinal;
  private final Path recTemp;
  private final Path idxFinal;
  private final Path idxTemp;
  private final byte[] header = new byte[8];
  private long position;
  private long records;
  private long splits;
  private boolean closed;
  private IOException failure;

  private RecordIOWriter(
      OutputStream out, Writer idx, Path recFinal, Path recTemp, Path idxFinal, Path idxTemp) {
    this.out = out;
    this.idx = idx;
    this.recFinal = recFinal;
    this.recTemp = recTemp;
    this.idxFinal = idxFinal;
    this.idxTemp = idxTemp;
  }

  /**
   * Opens {@code rec} (and {@code idx} unless null) for writing, through temporary names that are
   * renamed on {@link #close()}. Existing files are replaced only then.
   */
  public static RecordIOWriter create(Path rec, Path idx) throws IOException {
    Path recTemp = temporaryName(rec);
    Path idxTemp = idx == null ? null : temporaryName(idx);
    OutputStream out = new BufferedOutputStream(Files.newOutputStream(recTemp), 1 << 20);
    Writer idxWriter = null;
    try {
      if (idx != null) {
        idxWriter = new BufferedWriter(Files.newBufferedWriter(idxTemp, StandardCharsets.US_ASCII), 1 << 16);
      }
    } catch (IOException | RuntimeException e) {
      out.close();
      Files.deleteIfExists(recTemp);
      throw e;
    }
    return new RecordIOWriter(out, idxWriter, rec, recTemp, idx, idxTemp);
  }

  /** A writer onto a stream the caller owns (no index, no renaming); close() flushes it. */
  public static RecordIOWriter to(OutputStream out) {
    return new RecordIOWriter(out, null, null, null, null, null);
  }

  /** The temporary name a final path is written under until close. */
  public static Path temporaryName(Path finalPath) {
    return finalPath.resolveSibling(finalPath.getFileName() + ".partial");
  }

  /** Writes one record; returns the byte offset of its first part. */
  public long write(byte[] data) throws IOException {
    return write(data, 0, data.length);
  }

  /** Writes one record and its {@code key\toffset} index line; returns the offset. */
  public long write(long key, byte[] data) throws IOException {
    if (idx == null) {
      throw new IllegalStateException("this writer has no .idx file");
    }
    long offset = write(data, 0, data.length);
    try {
      idx.write(Long.toString(key));
      idx.write('\t');
      idx.write(Long.toString(offset));
      idx.write('\n');
    } catch (IOException e) {
      failure = e;
      throw e;
    }
    return offset;
  }

  /** Writes {@code data[off, off+len)} as one record; returns the offset of its first part. */
  public long write(byte[] data, int off, int len) throws IOException {
    if (closed) {
      throw new IllegalStateException("writer is closed");
    }
    if (failure != null) {
      throw new IllegalStateException("an earlier write failed; the output is incomplete", failure);
    }
    // The size limit is checked before the bounds, so callers learn the real reason for huge lengths.
    if (len > RecordIO.MAX_RECORD_LENGTH) {
      throw new IllegalArgumentException(
          "record of " + len + " bytes is too large: RecordIO records must be shorter than 2^29 bytes");
    }
    // Checked up front: failing half-way through the parts would leave a torn record in the file.
    java.util.Objects.checkFromIndexSize(off, len, data.length);
    try {
      return writeChecked(data, off, len);
    } catch (IOException e) {
      // The stream now ends inside a record: remember it, so close() cannot publish the file.
      failure = e;
      throw e;
    }
  }

  private long writeChecked(byte[] data, int off, int len) throws IOException {
    long start = position;
    int lowerAlign = len & ~3;
    int dptr = 0;
    // dmlc scans 4-aligned words of the payload: each one equal to the magic ends a part and is dropped.
    for (int i = 0; i < lowerAlign; i += 4) {
      int p = off + i;
      if (data[p] == MAGIC_BYTES[0]
          && data[p + 1] == MAGIC_BYTES[1]
          && data[p + 2] == MAGIC_BYTES[2]
          && data[p + 3] == MAGIC_BYTES[3]) {
        writePart(dptr == 0 ? RecordIO.CFLAG_START : RecordIO.CFLAG_MIDDLE, data, off + dptr, i - dptr);
        dptr = i + 4;
        splits++;
      }
    }
    writePart(dptr != 0 ? RecordIO.CFLAG_END : RecordIO.CFLAG_WHOLE, data, off + dptr, len - dptr);
    // Only the last part can be unaligned: the others end at an aligned magic word.
    int pad = (int) (RecordIO.align4(len) - len);
    if (pad != 0) {
      out.write(ZEROS, 0, pad);
      position += pad;
    }
    records++;
    return start;
  }

  private void writePart(int cflag, byte[] data, int from, int length) throws IOException {
    int lrec = RecordIO.encodeLRecord(cflag, length);
    header[0] = MAGIC_BYTES[0];
    header[1] = MAGIC_BYTES[1];
    header[2] = MAGIC_BYTES[2];
    header[3] = MAGIC_BYTES[3];
    header[4] = (byte) lrec;
    header[5] = (byte) (lrec >>> 8);
    header[6] = (byte) (lrec >>> 16);
    header[7] = (byte) (lrec >>> 24);
    out.write(header);
    if (length > 0) {
      out.write(data, from, length);
    }
    position += 8L + length;
  }

  /** Bytes written so far (the offset the next record will get). */
  public long position() {
    return position;
  }

  /** Records written so far. */
  public long records() {
    return records;
  }

  /** How many times a payload was split at an aligned magic word. */
  public long splits() {
    return splits;
  }

  /**
   * Flushes, closes and renames the temporary files to their final names. If an earlier write
   * failed, nothing is published: the temporary files are deleted and an IOException says why.
   * A caller that fails for its own reasons must call {@link #abort()} instead (for example in a
   * catch block before try-with-resources closes the writer), or a shorter file is published.
   */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    IOException closeError = null;
    for (Closeable c : new Closeable[] {out, idx}) {
      if (c == null) {
        continue;
      }
      try {
        c.close();
      } catch (IOException e) {
        if (closeError == null) {
          closeError = e;
        } else {
          closeError.addSuppressed(e);
        }
      }
    }
    if (failure != null || closeError != null) {
      deleteTemporaries();
      if (closeError != null) {
        throw closeError;
      }
      throw new IOException(
          (recFinal == null ? "RecordIO stream" : recFinal.toString())
              + ": not written, an earlier write failed: " + failure.getMessage(), failure);
    }
    if (recTemp != null) {
      // The index goes last: a .idx next to a .rec promises that the .rec is complete.
      move(recTemp, recFinal);
      if (idxTemp != null) {
        move(idxTemp, idxFinal);
      }
    }
  }

  /** Closes without publishing: the temporary files are deleted and no final file is touched. */
  public void abort() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      out.close();
    } catch (IOException ignored) {
      // Being thrown away anyway.
    }
    if (idx != null) {
      try {
        idx.close();
      } catch (IOException ignored) {
        // Being thrown away anyway.
      }
    }
    deleteTemporaries();
  }

  private void deleteTemporaries() {
    for (Path p : new Path[] {recTemp, idxTemp}) {
      if (p != null) {
        try {
          Files.deleteIfExists(p);
        } catch (IOException ignored) {
          // Best effort; the .partial name already says it is unfinished.
        }
      }
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
