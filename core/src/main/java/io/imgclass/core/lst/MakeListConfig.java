package io.imgclass.core.lst;

import io.imgclass.core.UsageException;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@code make-lst} should do; the fields mirror im2rec.py's {@code --list} options (spec §3).
 *
 * @param prefix output prefix (im2rec makes it absolute); files are {@code PREFIX[_c][_split].lst}
 * @param root the image root
 * @param recursive one label per directory (else only files directly in root, all label 0)
 * @param exts lower-case extensions including the dot, matched exactly against the lower-cased
 *     file extension
 * @param chunks number of chunks (>= 1)
 * @param trainRatio fraction for the train split; 1.0 writes {@code PREFIX.lst} only
 * @param testRatio fraction for the test split
 * @param shuffle shuffle before splitting (im2rec's default)
 * @param seed the shuffle seed; {@link PyRandom#IM2REC_SEED} reproduces im2rec's order
 * @param labelsCsv optional multi-label CSV (see {@link LabelsCsv}); null for folder labels
 */
public record MakeListConfig(
    Path prefix,
    Path root,
    boolean recursive,
    List<String> exts,
    int chunks,
    double trainRatio,
    double testRatio,
    boolean shuffle,
    long seed,
    Path labelsCsv) {

  /** im2rec's default {@code --exts}. */
  public static final List<String> DEFAULT_EXTS = List.of(".jpeg", ".jpg", ".png");

  public MakeListConfig {
    exts = List.copyOf(exts);
    if (chunks < 1) {
      throw new UsageException("--chunks must be at least 1, got " + chunks);
    }
    if (!(trainRatio >= 0 && trainRatio <= 1)) {
      throw new UsageException("--train-ratio must be between 0 and 1, got " + trainRatio);
    }
    if (!(testRatio >= 0 && testRatio <= 1)) {
      throw new UsageException("--test-ratio must be between 0 and 1, got " + testRatio);
    }
    if (trainRatio != 1.0 && trainRatio + testRatio > 1.0) {
      throw new UsageException(
          "--train-ratio + --test-ratio must not exceed 1, got " + trainRatio + " + " + testRatio);
    }
    if (seed < 0) {
      throw new UsageException("--seed must be >= 0, got " + seed);
    }
  }
}
