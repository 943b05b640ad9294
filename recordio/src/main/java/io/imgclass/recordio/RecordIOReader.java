package io.imgclass.recordio;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Reads RecordIO sequentially (constant memory beyond one record, any file size) or at a byte
 * offset taken from an {@code .idx} file. Split records are joined with their magic words put back.
 *
 * <p>It is stricter than dmlc's reader, which trusts the continuation flags: a chain must be {@code
 * 0}, or {@code 1 2* 3}; anything else, a bad magic word, or a part running past the end of the
 * file is corruption. In the default mode corruption throws {@link RecordIOException} naming the
 * file and byte offset. In resynchronising mode the reader does what dmlc's input splitter does
 * when it looks for a record start: it moves forward one word at a time to the next {@code
 * magic, lrecord} pair whose cflag is 0 or 1 and whose part fits in the file (in the damaged record's
 * 4-byte phase first; see {@code findNextStart}), records the skipped region (adjacent skips are merged into
 * one region) and goes on. Returned records and skipped regions together tile the file.
 *
 * <p>Resynchronising mode also rejects a part whose data holds the magic word at an aligned offset.
 * MXNet's writer never leaves one there (it splits the record instead), so such a part means its
 * length word was damaged and now covers the records after it; without this check those intact
 * records would be returned glued into one bogus record. The check is made before the data is
 * read, so a damaged length costs no allocation. And when a record is not followed by another
 * record's magic word, a record start found inside it (at any phase, with a chain of parts that
 * ends at a record or at the end of the file) marks its length as corrupt too.
 *
 * <p>Memory: one 1 MiB buffer plus the record being returned, which is never larger than what is
 * left of the file (lengths are checked against the file size before anything is allocated).
 */
public final class RecordIOReader implements Closeable {
  private static final int BUFFER_SIZE = 1 << 20;

  private final SeekableByteChannel channel;
  private final Path file;
  private final boolean resync;
  private final long size;
  private final ByteBuffer buf;
  private long bufStart; // file offset of buf position 0
  private final List<CorruptRegion> corrupt = new ArrayList<>();
  private long skippedBytes;
  private final long maxRecord = RecordIO.maxRecordBytes();

  private RecordIOReader(SeekableByteChannel channel, Path file, boolean resync) throws IOException {
    this.channel = channel;
    this.file = file;
    this.resync = resync;
    this.size = channel.size();
    // Direct: a heap buffer would make the JDK read into a temporary direct buffer and copy again.
    this.buf = ByteBuffer.allocateDirect(BUFFER_SIZE).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    this.buf.limit(0);
    this.bufStart = channel.position();
  }

  /** Opens a file; corruption throws. */
  public static RecordIOReader open(Path file) throws IOException {
    return open(file, false);
  }

  /** Opens a file; with {@code resync}, corrupt regions are skipped and reported instead. */
  public static RecordIOReader open(Path file, boolean resync) throws IOException {
    return new RecordIOReader(Files.newByteChannel(file, StandardOpenOption.READ), file, resync);
  }

  /** Reads from any seekable channel (for example an in-memory one); {@code name} may be null. */
  public static RecordIOReader of(SeekableByteChannel channel, Path name, boolean resync)
      throws IOException {
    return new RecordIOReader(channel, name, resync);
  }

  /** The size of the underlying data in bytes. */
  public long size() {
    return size;
  }

  /** The offset the next {@link #next()} starts at. */
  public long position() {
    return bufStart + buf.position();
  }

  /** Moves to a byte offset (for random access by {@code .idx}). */
  public void seek(long offset) throws IOException {
    if (offset < 0 || offset > size) {
      throw new RecordIOException(file, offset, "offset outside the file (size " + size + ")");
    }
    if (offset >= bufStart && offset <= bufStart + buf.limit()) {
      buf.position((int) (offset - bufStart));
      return;
    }
    channel.position(offset);
    bufStart = offset;
    buf.clear().limit(0);
  }

  /** Reads the record starting exactly at {@code offset}. */
  public RawRecord readAt(long offset) throws IOException {
    seek(offset);
    RawRecord r = readRecord();
    if (r == null) {
      throw new RecordIOException(file, offset, "no record at this offset: end of file");
    }
    return r;
  }

  /** The next record, or null at the end of the data. */
  public RawRecord next() throws IOException {
    while (true) {
      long start = position();
      RawRecord r;
      try {
        r = readRecord();
      } catch (RecordIOException e) {
        if (!resync) {
          throw e;
        }
        // Always moves forward, so a bad start can never be retried forever.
        long next = findNextStart(start);
        skipRegion(start, next, e.offset() == start ? e.problem() : e.problem() + " (at byte " + e.offset() + ")");
        continue;
      }
      if (r == null || !resync || r.end() == size || magicAt(r.end())) {
        return r;
      }
      // The next read will fail. Either damage follows this record, or this record's length is
      // wrong and it swallowed records that were moved out of its 4-byte phase (bytes inserted or
      // lost), which the in-phase check in readRecord cannot see. A record start inside it tells.
      long inside = findStartWithin(r.offset() + 1, r.end());
      if (inside < 0) {
        seek(r.end());
        return r;
      }
      skipRegion(r.offset(), inside, "a record start at byte " + inside + " lies inside the "
          + r.data().length + "-byte record here, which is not followed by a record: its length is corrupt");
    }
  }

  private void skipRegion(long start, long next, String reason) throws IOException {
    int last = corrupt.size() - 1;
    if (last >= 0 && corrupt.get(last).end() == start) {
      // A false start inside a damaged region: report the damage once, with its first cause.
      CorruptRegion prev = corrupt.get(last);
      corrupt.set(last, new CorruptRegion(prev.start(), next, prev.reason()));
    } else {
      corrupt.add(new CorruptRegion(start, next, reason));
    }
    skippedBytes += next - start;
    seek(next);
  }

  /** Regions skipped so far (resynchronising mode only). */
  public List<CorruptRegion> corruptRegions() {
    return Collections.unmodifiableList(corrupt);
  }

  /** Bytes skipped so far (resynchronising mode only). */
  public long skippedBytes() {
    return skippedBytes;
  }

  private RawRecord readRecord() throws IOException {
    long start = position();
    if (start == size) {
      return null;
    }
    byte[] data = null;
    int total = 0;
    boolean first = true;
    while (true) {
      long partAt = position();
      if (size - partAt < 8) {
        throw new RecordIOException(file, partAt,
            "truncated: " + (size - partAt) + " bytes left, a part header needs 8");
      }
      ensure(8);
      int magic = buf.getInt();
      if (magic != RecordIO.MAGIC) {
        throw new RecordIOException(file, partAt,
            String.format("expected magic 0xCED7230A, found 0x%08X", magic));
      }
      int lrec = buf.getInt();
      int cflag = RecordIO.cflag(lrec);
      int len = RecordIO.length(lrec);
      if (cflag > 3) {
        throw new RecordIOException(file, partAt + 4, "invalid continuation flag " + cflag);
      }
      if (first ? (cflag == 2 || cflag == 3) : (cflag == 0 || cflag == 1)) {
        throw new RecordIOException(file, partAt + 4,
            "continuation flag " + cflag + (first ? " at the start of a record" : " inside a split record"));
      }
      long padded = RecordIO.align4(len);
      if (size - (partAt + 8) < padded) {
        throw new RecordIOException(file, partAt,
            "truncated: part of " + len + " bytes runs past the end of the file (size " + size + ")");
      }
      if (resync && len >= 4) {
        // MXNet's writer escapes every aligned magic word of a payload, so one inside a part means
        // the length word is corrupt and the part swallows the records after it. Checked before
        // the data is read, so a corrupt length cannot make us allocate and copy it first.
        long hit = findAlignedMagic(partAt + 8, len & ~3);
        if (hit >= 0) {
          throw new RecordIOException(file, hit,
              "aligned magic word inside the " + len + "-byte part that starts at byte " + partAt
                  + " (MXNet's writer never leaves one there: the part length is corrupt)");
        }
      }
      boolean last = cflag == 0 || cflag == 3;
      int extra = last ? 0 : 4;
      if ((long) total + len + extra > RecordIO.MAX_RECORD_LENGTH) {
        throw new RecordIOException(file, start, "split record longer than 2^29 bytes");
      }
      if ((long) total + len + extra > maxRecord) {
        // Checked from the part header, before the record is read into the heap.
        throw new RecordIOException(file, start, "record of " + (first && last ? "" : "at least ") + (total + len)
            + " bytes, over the limit of " + maxRecord + " bytes per record (raise it with -D"
            + RecordIO.MAX_RECORD_PROPERTY + "=N or " + RecordIO.MAX_RECORD_ENV + ")");
      }
      if (first && last) {
        data = new byte[len];
      } else {
        data = grow(data, total, total + len + extra);
      }
      readFully(data, total, len);
      total += len;
      skip(padded - len);
      if (last) {
        if (data.length != total) {
          data = java.util.Arrays.copyOf(data, total);
        }
        return new RawRecord(start, position(), data);
      }
      // The writer dropped an aligned magic word here: put it back.
      data[total] = 0x0A;
      data[total + 1] = 0x23;
      data[total + 2] = (byte) 0xD7;
      data[total + 3] = (byte) 0xCE;
      total += 4;
      first = false;
    }
  }

  private static byte[] grow(byte[] data, int used, int needed) {
    if (data == null) {
      return new byte[needed];
    }
    if (data.length >= needed) {
      return data;
    }
    long cap = Math.max(needed, Math.min((long) data.length * 2, RecordIO.MAX_RECORD_LENGTH));
    return java.util.Arrays.copyOf(data, (int) cap);
  }

  /**
   * Where reading goes on after damage found at {@code start}: the first offset after it, in the
   * same 4-byte phase as {@code start}, that holds a magic word and an lrecord with cflag 0 or 1
   * whose part fits in the file. Records of an undamaged file all share one phase, and only real
   * part starts hold the magic word at an in-phase offset, so this cannot stop inside a record.
   * When nothing in phase is left (bytes were inserted or lost, shifting what follows by other
   * than a multiple of 4) the nearest candidate at any offset whose chain of parts ends at another
   * record or at the end of the file is taken, else the nearest candidate at all; the file size
   * when there is none.
   */
  private long findNextStart(long start) throws IOException {
    for (long p = start + 4; p + 8 <= size; p += 4) {
      if (looksLikeRecordStart(p)) {
        return p;
      }
    }
    // Out of phase, a magic word may just be payload bytes: prefer a start whose chain of parts
    // ends exactly at another record or at the end of the file.
    long unconfirmed = -1;
    for (long p = start + 1; p + 8 <= size; p++) {
      if (looksLikeRecordStart(p)) {
        if (confirmed(p)) {
          return p;
        }
        if (unconfirmed < 0) {
          unconfirmed = p;
        }
      }
    }
    return unconfirmed >= 0 ? unconfirmed : size;
  }

  /**
   * The first offset in {@code [from, to)}, at any phase, where a record starts whose chain of
   * parts ends at another record's magic word or at the end of the file; or -1.
   */
  private long findStartWithin(long from, long to) throws IOException {
    for (long p = from; p < to && p + 8 <= size; p++) {
      if (looksLikeRecordStart(p) && confirmed(p)) {
        return p;
      }
    }
    return -1;
  }

  /** Whether the part headers from {@code p} form a whole chain that ends at a record or EOF. */
  private boolean confirmed(long p) throws IOException {
    boolean first = true;
    while (p + 8 <= size) {
      seek(p);
      ensure(8);
      int at = buf.position();
      if (buf.getInt(at) != RecordIO.MAGIC) {
        return false;
      }
      int lrec = buf.getInt(at + 4);
      int cflag = RecordIO.cflag(lrec);
      if (cflag > 3 || (first ? cflag >= 2 : cflag <= 1)) {
        return false;
      }
      p += 8 + RecordIO.align4(RecordIO.length(lrec));
      if (p > size) {
        return false;
      }
      if (cflag == 0 || cflag == 3) {
        return p == size || magicAt(p);
      }
      first = false;
    }
    return false;
  }

  private boolean magicAt(long p) throws IOException {
    if (p + 4 > size) {
      return false;
    }
    seek(p);
    ensure(4);
    return buf.getInt(buf.position()) == RecordIO.MAGIC;
  }

  private boolean looksLikeRecordStart(long p) throws IOException {
    seek(p);
    ensure(8);
    int at = buf.position();
    if (buf.getInt(at) != RecordIO.MAGIC) {
      return false;
    }
    int lrec = buf.getInt(at + 4);
    int cflag = RecordIO.cflag(lrec);
    return (cflag == 0 || cflag == 1) && p + 8 + RecordIO.align4(RecordIO.length(lrec)) <= size;
  }

  /**
   * The offset of the first magic word in {@code [from, from + n)} at an offset {@code from + 4k},
   * or -1; leaves the reader positioned at {@code from}. {@code n} is a multiple of 4.
   */
  private long findAlignedMagic(long from, long n) throws IOException {
    long end = from + n;
    long hit = -1;
    for (long p = from; p < end && hit < 0; ) {
      seek(p);
      int window = (int) Math.min(end - p, BUFFER_SIZE / 2);
      ensure(window);
      int base = buf.position();
      for (int i = 0; i < window; i += 4) {
        if (buf.getInt(base + i) == RecordIO.MAGIC) {
          hit = p + i;
          break;
        }
      }
      p += window;
    }
    seek(from);
    return hit;
  }

  // ---- buffered channel access ----

  private void ensure(int n) throws IOException {
    if (buf.remaining() >= n) {
      return;
    }
    long pos = position();
    buf.compact();
    bufStart = pos;
    channel.position(pos + buf.position());
    while (buf.position() < n) {
      int r = channel.read(buf);
      if (r < 0) {
        buf.flip();
        // Only when the file shrank while we read it: sizes are checked against size() first.
        throw new RecordIOException(file, bufStart + buf.limit(), "unexpected end of file");
      }
    }
    buf.flip();
  }

  private void readFully(byte[] dst, int off, int len) throws IOException {
    int fromBuf = Math.min(len, buf.remaining());
    buf.get(dst, off, fromBuf);
    int left = len - fromBuf;
    if (left == 0) {
      return;
    }
    if (left >= BUFFER_SIZE / 2) {
      // Large payload: read straight into the destination, then start an empty buffer after it.
      long pos = position();
      channel.position(pos);
      ByteBuffer direct = ByteBuffer.wrap(dst, off + fromBuf, left);
      while (direct.hasRemaining()) {
        if (channel.read(direct) < 0) {
          throw new RecordIOException(file, pos + direct.position() - off - fromBuf, "unexpected end of file");
        }
      }
      bufStart = pos + left;
      buf.clear().limit(0);
      return;
    }
    ensure(left);
    buf.get(dst, off + fromBuf, left);
  }

  private void skip(long n) throws IOException {
    if (n == 0) {
      return;
    }
    ensure((int) n);
    buf.position(buf.position() + (int) n);
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
