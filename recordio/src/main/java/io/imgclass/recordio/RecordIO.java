package io.imgclass.recordio;

/**
 * Constants and the small pure functions of dmlc's RecordIO framing (spec §2.1–2.2).
 *
 * <p>A file is a sequence of parts: {@code uint32 magic, uint32 lrecord, data, zero padding to 4
 * bytes}, little-endian. {@code lrecord = cflag << 29 | length}. A record is split into several
 * parts only where its data holds the magic word at a 4-aligned offset; the split drops those 4
 * bytes, and the reader puts them back.
 */
public final class RecordIO {
  /** The magic word; on disk {@code 0A 23 D7 CE}. */
  public static final int MAGIC = 0xCED7230A;
  /** Records must be shorter than this many bytes (29 bits of length). */
  public static final int MAX_RECORD_LENGTH = (1 << 29) - 1;
  /** A whole record in one part. */
  public static final int CFLAG_WHOLE = 0;
  /** The first part of a split record. */
  public static final int CFLAG_START = 1;
  /** A middle part of a split record. */
  public static final int CFLAG_MIDDLE = 2;
  /** The last part of a split record. */
  public static final int CFLAG_END = 3;

  /** Default for {@link #maxRecordBytes()}: 64 MiB, far above any image record im2rec writes. */
  public static final long DEFAULT_MAX_RECORD_BYTES = 64L << 20;
  /** System property raising (or lowering) the record limit. */
  public static final String MAX_RECORD_PROPERTY = "imgclass.maxRecordBytes";
  /** Environment variable read when the property is not set. */
  public static final String MAX_RECORD_ENV = "IMGCLASS_MAX_RECORD_BYTES";

  private RecordIO() {}

  /**
   * The largest record a reader accepts: a record is read whole into the heap, so its length
   * (input) is checked first. System property {@value #MAX_RECORD_PROPERTY}, else environment
   * variable {@value #MAX_RECORD_ENV}, else {@value #DEFAULT_MAX_RECORD_BYTES}.
   */
  public static long maxRecordBytes() {
    return byteLimit(MAX_RECORD_PROPERTY, MAX_RECORD_ENV, DEFAULT_MAX_RECORD_BYTES);
  }

  /**
   * A size limit users can raise: system property {@code property}, else environment variable
   * {@code env}, else {@code dflt}. Shared by every limit on sizes that input decides (records here,
   * model archives in core), so they are set and reported alike.
   *
   * @throws IllegalArgumentException naming the setting when its value is not a positive whole number
   */
  public static long byteLimit(String property, String env, long dflt) {
    String s = System.getProperty(property);
    String from = property;
    if (s == null) {
      s = System.getenv(env);
      from = env;
    }
    if (s == null || s.isBlank()) {
      return dflt;
    }
    try {
      long v = Long.parseLong(s.strip());
      if (v > 0) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(from + " must be a positive whole number of bytes, not '" + s + "'");
  }

  /** {@code cflag << 29 | length}. */
  public static int encodeLRecord(int cflag, int length) {
    if (cflag < 0 || cflag > 3) {
      throw new IllegalArgumentException("cflag must be 0..3, got " + cflag);
    }
    if (length < 0 || length > MAX_RECORD_LENGTH) {
      throw new IllegalArgumentException("part length out of range: " + length);
    }
    return (cflag << 29) | length;
  }

  /** The continuation flag of an lrecord word (0..7; only 0..3 are valid). */
  public static int cflag(int lrecord) {
    return (lrecord >>> 29) & 7;
  }

  /** The part length of an lrecord word. */
  public static int length(int lrecord) {
    return lrecord & MAX_RECORD_LENGTH;
  }

  /** {@code length} rounded up to a multiple of 4. */
  public static long align4(long length) {
    return (length + 3) & ~3L;
  }

  /** The number of bytes one record of {@code payloadLength} takes on disk if it holds no magic. */
  public static long framedSize(long payloadLength) {
    return 8 + align4(payloadLength);
  }
}
