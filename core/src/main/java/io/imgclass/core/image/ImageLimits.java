package io.imgclass.core.image;

/**
 * The largest image any decode path accepts, in pixels (width × height), checked from the image's
 * header before any pixel memory is allocated: a small file can claim a huge size (an 875 KB
 * all-zero PNG of 30000×30000, or an 8 KB JPEG header), and decoding it would need gigabytes.
 *
 * <p>The limit is {@value #DEFAULT_MAX_PIXELS} pixels unless raised (or lowered) by the system
 * property {@value #PROPERTY} (what the commands' {@code --max-pixels} option sets) or else the
 * environment variable {@value #ENV} (for SageMaker containers, where there is no command line).
 * It is read on each check, so one process has one setting.
 */
public final class ImageLimits {
  /** 100 megapixels: a 10000×10000 photo; about 300 MB decoded as RGB. */
  public static final long DEFAULT_MAX_PIXELS = 100_000_000L;
  /** The system property holding the limit. */
  public static final String PROPERTY = "imgclass.maxPixels";
  /** The environment variable read when the property is not set. */
  public static final String ENV = "IMGCLASS_MAX_PIXELS";

  private ImageLimits() {}

  /** The limit now in force. */
  public static long maxPixels() {
    String s = System.getProperty(PROPERTY);
    String from = PROPERTY;
    if (s == null) {
      s = System.getenv(ENV);
      from = ENV;
    }
    if (s == null || s.isBlank()) {
      return DEFAULT_MAX_PIXELS;
    }
    try {
      long v = Long.parseLong(s.strip());
      if (v > 0) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(from + " must be a positive whole number of pixels, not '" + s + "'");
  }

  /** Sets the limit for this process (the commands' {@code --max-pixels}); null keeps it. */
  public static void set(Long maxPixels) {
    if (maxPixels != null) {
      if (maxPixels <= 0) {
        throw new IllegalArgumentException("--max-pixels must be positive");
      }
      System.setProperty(PROPERTY, Long.toString(maxPixels));
    }
  }

  /** Whether a width × height image is within the limit. */
  public static boolean allows(long width, long height) {
    return width * height <= Math.min(maxPixels(), ARRAY_PIXELS);
  }

  /**
   * Throws {@link ImageTooLargeException} when a width × height image is over the limit, or when
   * its decoded RGBA bytes would not fit one Java array (whatever the limit is raised to).
   */
  public static void check(long width, long height) throws ImageTooLargeException {
    long max = Math.min(maxPixels(), ARRAY_PIXELS);
    if (width * height > max) {
      throw new ImageTooLargeException(width, height, max);
    }
  }

  /** The most pixels whose 4-channel bytes fit one Java array. */
  static final long ARRAY_PIXELS = (Integer.MAX_VALUE - 16) / 4;
}
