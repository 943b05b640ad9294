package io.imgclass.core.inspect;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What to inspect and how thoroughly.
 *
 * @param rec the {@code .rec} file
 * @param idx the {@code .idx} file, or null for the default (see {@link #resolvedIdx()})
 * @param verify decode every image instead of a sample; any finding then fails the run
 * @param sampleSize how many evenly spaced images to decode without {@code verify}
 */
public record InspectOptions(Path rec, Path idx, boolean verify, int sampleSize) {
  /** Images decoded without {@code --verify}: enough to see the typical size, cheap on any file. */
  public static final int DEFAULT_SAMPLE = 20;

  public InspectOptions {
    Objects.requireNonNull(rec, "rec");
    if (sampleSize < 0) {
      throw new IllegalArgumentException("sampleSize must be >= 0, got " + sampleSize);
    }
  }

  /** Options with the default sample size. */
  public static InspectOptions of(Path rec, Path idx, boolean verify) {
    return new InspectOptions(rec, idx, verify, DEFAULT_SAMPLE);
  }

  /**
   * The index to check: the explicit one, else {@code FILE.rec}'s sibling {@code FILE.idx} when it
   * exists (the name im2rec and MXNet's IndexedRecordIO give it), else null.
   */
  public Path resolvedIdx() {
    if (idx != null) {
      return idx;
    }
    String name = rec.getFileName().toString();
    String base = name.endsWith(".rec") ? name.substring(0, name.length() - 4) : name;
    Path sibling = rec.resolveSibling(base + ".idx");
    return Files.isRegularFile(sibling) ? sibling : null;
  }
}
