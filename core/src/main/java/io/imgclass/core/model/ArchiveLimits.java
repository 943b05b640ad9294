package io.imgclass.core.model;

/**
 * How many bytes reading a model archive may take: per member and in all, counted as the tar is
 * decompressed, so a small gzip that expands to gigabytes (a "gzip bomb") is refused with the
 * archive, member and limit named instead of filling the heap.
 *
 * <p>Defaults: {@value #DEFAULT_MEMBER_BYTES} bytes per member (1 GiB; a ResNet-152's params are
 * about 240 MB) and {@value #DEFAULT_TOTAL_BYTES} in all (2 GiB). Raise them with the system
 * properties {@value #MEMBER_PROPERTY} / {@value #TOTAL_PROPERTY} (e.g. in {@code JAVA_TOOL_OPTIONS})
 * or the environment variables {@value #MEMBER_ENV} / {@value #TOTAL_ENV}.
 *
 * @param memberBytes the largest member
 * @param totalBytes the most bytes of tar stream (headers, members, padding) read in all
 */
public record ArchiveLimits(long memberBytes, long totalBytes) {
  public static final long DEFAULT_MEMBER_BYTES = 1L << 30;
  public static final long DEFAULT_TOTAL_BYTES = 2L << 30;
  public static final String MEMBER_PROPERTY = "imgclass.maxModelMemberBytes";
  public static final String TOTAL_PROPERTY = "imgclass.maxModelBytes";
  public static final String MEMBER_ENV = "IMGCLASS_MAX_MODEL_MEMBER_BYTES";
  public static final String TOTAL_ENV = "IMGCLASS_MAX_MODEL_BYTES";

  public ArchiveLimits {
    if (memberBytes < 1 || totalBytes < 1) {
      throw new IllegalArgumentException("archive limits must be positive");
    }
  }

  /** The limits now in force (properties, else environment, else the defaults). */
  public static ArchiveLimits current() {
    return new ArchiveLimits(setting(MEMBER_PROPERTY, MEMBER_ENV, DEFAULT_MEMBER_BYTES),
        setting(TOTAL_PROPERTY, TOTAL_ENV, DEFAULT_TOTAL_BYTES));
  }

  private static long setting(String property, String env, long dflt) {
    return io.imgclass.recordio.RecordIO.byteLimit(property, env, dflt);
  }

  /** How to raise them, for messages. */
  static String howToRaise(boolean member) {
    return member ? "raise it with -D" + MEMBER_PROPERTY + "=N or " + MEMBER_ENV
        : "raise it with -D" + TOTAL_PROPERTY + "=N or " + TOTAL_ENV;
  }
}
