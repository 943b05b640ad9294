package io.imgclass.cli;

import io.imgclass.core.UsageException;
import io.imgclass.core.image.ImageLimits;
import picocli.CommandLine.Option;

/**
 * {@code --max-pixels}, for every command that decodes images: the one core setting ({@link
 * ImageLimits}) every decode path checks from the image header before allocating.
 */
public final class MaxPixelsOption {
  @Option(names = "--max-pixels", paramLabel = "N",
      description = "Largest image decoded, in pixels (width x height; default 100000000 = 100 megapixels,"
          + " or $IMGCLASS_MAX_PIXELS). A larger one is a bad image, refused from its header before decoding.")
  Long maxPixels;

  /** Puts the option into force for this process; call first in the command. */
  void apply() {
    if (maxPixels != null && maxPixels < 1) {
      throw new UsageException("--max-pixels must be >= 1, got " + maxPixels);
    }
    ImageLimits.set(maxPixels);
  }
}
