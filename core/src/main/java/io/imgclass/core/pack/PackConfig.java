package io.imgclass.core.pack;

import io.imgclass.core.UsageException;
import io.imgclass.core.image.ColorMode;
import io.imgclass.core.image.Encoding;
import java.nio.file.Path;

/**
 * How {@code pack-recordio} turns each image into a record; the options are im2rec.py's (spec §3).
 * Build with {@link #builder(Path)}.
 *
 * @param root image root; list paths are resolved against it and may not leave it
 * @param resize shorter side in pixels, 0 = keep
 * @param centerCrop centre square crop before resizing
 * @param quality JPEG quality 1..100, or PNG compression 0..9 (above 9 becomes 3, as im2rec.cc does)
 * @param encoding output encoding
 * @param color colour mode (im2rec {@code --color})
 * @param passThrough store the file bytes unchanged (ignores resize, crop, colour, quality, encoding)
 * @param packLabel store every label of multi-label lines after the header
 * @param threads decoding/encoding threads
 * @param maxBad how many bad images are tolerated; more fails the run and nothing is published
 * @param scaledDecode decode JPEGs at least twice the resize target at 1/2, 1/4 or 1/8 size first
 *     (faster on large photos; not im2rec's bytes, see {@link io.imgclass.core.image.ScaledDecode})
 */
public record PackConfig(
    Path root,
    int resize,
    boolean centerCrop,
    int quality,
    Encoding encoding,
    ColorMode color,
    boolean passThrough,
    boolean packLabel,
    int threads,
    long maxBad,
    boolean scaledDecode) {

  /** im2rec's default quality. */
  public static final int DEFAULT_QUALITY = 95;
  /** The PNG compression im2rec.cc uses when the quality is above 9 (e.g. the default 95). */
  public static final int PNG_FALLBACK_COMPRESSION = 3;

  public PackConfig {
    if (resize < 0) {
      throw new UsageException("--resize must be >= 0, got " + resize);
    }
    if (encoding == Encoding.JPG && (quality < 1 || quality > 100)) {
      throw new UsageException("--quality must be 1..100 for .jpg, got " + quality);
    }
    if (encoding == Encoding.PNG && quality < 0) {
      throw new UsageException("--quality must be 0..9 for .png, got " + quality);
    }
    if (threads < 1) {
      throw new UsageException("--num-thread must be at least 1, got " + threads);
    }
    if (scaledDecode && (resize == 0 || passThrough)) {
      throw new UsageException("--scaled-decode needs --resize N (and no --pass-through): it only changes how images are shrunk");
    }
    if (maxBad < 0) {
      throw new UsageException("--max-bad must be >= 0, got " + maxBad);
    }
  }

  /** The quality handed to the encoder. */
  public int effectiveQuality() {
    return encoding == Encoding.PNG && quality > 9 ? PNG_FALLBACK_COMPRESSION : quality;
  }

  /** A builder with im2rec's defaults. */
  public static Builder builder(Path root) {
    return new Builder(root);
  }

  /** Builder with im2rec's defaults: no resize, quality 95, .jpg, colour, one thread. */
  public static final class Builder {
    private final Path root;
    private int resize;
    private boolean centerCrop;
    private int quality = DEFAULT_QUALITY;
    private Encoding encoding = Encoding.JPG;
    private ColorMode color = ColorMode.COLOR;
    private boolean passThrough;
    private boolean packLabel;
    private int threads = 1;
    private long maxBad;
    private boolean scaledDecode;

    private Builder(Path root) {
      this.root = root;
    }

    public Builder optResize(int v) {
      resize = v;
      return this;
    }

    public Builder optCenterCrop(boolean v) {
      centerCrop = v;
      return this;
    }

    public Builder optQuality(int v) {
      quality = v;
      return this;
    }

    public Builder optEncoding(Encoding v) {
      encoding = v;
      return this;
    }

    public Builder optColor(ColorMode v) {
      color = v;
      return this;
    }

    public Builder optPassThrough(boolean v) {
      passThrough = v;
      return this;
    }

    public Builder optPackLabel(boolean v) {
      packLabel = v;
      return this;
    }

    public Builder optThreads(int v) {
      threads = v;
      return this;
    }

    public Builder optMaxBad(long v) {
      maxBad = v;
      return this;
    }

    public Builder optScaledDecode(boolean v) {
      scaledDecode = v;
      return this;
    }

    public PackConfig build() {
      return new PackConfig(root, resize, centerCrop, quality, encoding, color, passThrough, packLabel, threads, maxBad,
          scaledDecode);
    }
  }
}
