package io.imgclass.core.manifest;

import io.imgclass.core.model.ImageShape;
import io.imgclass.core.UsageException;
import io.imgclass.core.label.LabelFormat;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What {@link ManifestValidator} checks. Build with {@link #builder(Path)}.
 *
 * @param manifest the JSON Lines file
 * @param attributes image and label attribute names
 * @param numClasses num_classes, or 0 when not given (range, length and zero-example checks skipped)
 * @param labelFormat the label format, or null for auto-detection
 * @param imageRoot directory non-S3 refs are relative to, or null
 * @param prefixMaps s3:// prefix to directory mappings
 * @param checkImages decode every referenced image
 * @param imageShape required minimum size with checkImages, or null
 * @param maxErrors errors (and, separately, warnings) listed one by one; 0 lists all
 * @param strict warnings fail validation too
 * @param detectSample lines auto-detection reads
 * @param duplicateChunk image refs held in memory before sorted runs spill to disk
 */
public record ValidationConfig(
    Path manifest,
    Attributes attributes,
    int numClasses,
    LabelFormat labelFormat,
    Path imageRoot,
    List<RefResolver.PrefixMapping> prefixMaps,
    boolean checkImages,
    ImageShape imageShape,
    int maxErrors,
    boolean strict,
    int detectSample,
    int duplicateChunk) {

  /** Default {@link #maxErrors}. */
  public static final int DEFAULT_MAX_ERRORS = 100;
  /** Default {@link #duplicateChunk}: 2 Mi refs, 32 MiB. */
  public static final int DEFAULT_DUPLICATE_CHUNK = 1 << 21;

  /** Checks option combinations. */
  public ValidationConfig {
    Objects.requireNonNull(manifest, "manifest");
    Objects.requireNonNull(attributes, "attributes");
    prefixMaps = List.copyOf(prefixMaps);
    if (numClasses < 0) {
      throw new UsageException("--num-classes must be at least 1, got " + numClasses);
    }
    if (maxErrors < 0) {
      throw new UsageException("--max-errors must be 0 (list all) or more, got " + maxErrors);
    }
    if (checkImages && imageRoot == null && prefixMaps.isEmpty()) {
      throw new UsageException("--check-images needs --image-root or --s3-prefix-map to find the images");
    }
    if (imageShape != null && !checkImages) {
      throw new UsageException("--image-shape is only used with --check-images");
    }
    if (detectSample < 1 || duplicateChunk < 2) {
      throw new IllegalArgumentException("detectSample and duplicateChunk must be positive");
    }
  }

  /** A builder with the defaults: source-ref,class, auto format, 100 listed errors. */
  public static Builder builder(Path manifest) {
    return new Builder(manifest);
  }

  /** Builder for {@link ValidationConfig}. */
  public static final class Builder {
    private final Path manifest;
    private Attributes attributes = Attributes.DEFAULT;
    private int numClasses;
    private LabelFormat labelFormat;
    private Path imageRoot;
    private final List<RefResolver.PrefixMapping> prefixMaps = new ArrayList<>();
    private boolean checkImages;
    private ImageShape imageShape;
    private int maxErrors = DEFAULT_MAX_ERRORS;
    private boolean strict;
    private int detectSample = LabelFormatDetector.DEFAULT_SAMPLE;
    private int duplicateChunk = DEFAULT_DUPLICATE_CHUNK;

    private Builder(Path manifest) {
      this.manifest = manifest;
    }

    /** Image and label attribute names. */
    public Builder optAttributes(Attributes a) {
      attributes = a;
      return this;
    }

    /** num_classes; 0 = unknown. */
    public Builder optNumClasses(int n) {
      numClasses = n;
      return this;
    }

    /** The label format; null = auto. */
    public Builder optLabelFormat(LabelFormat f) {
      labelFormat = f;
      return this;
    }

    /** Root for non-S3 refs. */
    public Builder optImageRoot(Path p) {
      imageRoot = p;
      return this;
    }

    /** Adds an s3:// prefix mapping. */
    public Builder addPrefixMap(RefResolver.PrefixMapping m) {
      prefixMaps.add(m);
      return this;
    }

    /** Decode every image. */
    public Builder optCheckImages(boolean b) {
      checkImages = b;
      return this;
    }

    /** Minimum image size (with checkImages). */
    public Builder optImageShape(ImageShape s) {
      imageShape = s;
      return this;
    }

    /** Issues listed per severity; 0 = all. */
    public Builder optMaxErrors(int n) {
      maxErrors = n;
      return this;
    }

    /** Warnings fail validation. */
    public Builder optStrict(boolean b) {
      strict = b;
      return this;
    }

    /** Lines auto-detection reads. */
    public Builder optDetectSample(int n) {
      detectSample = n;
      return this;
    }

    /** Refs held in memory before spilling (tests use a small one). */
    public Builder optDuplicateChunk(int n) {
      duplicateChunk = n;
      return this;
    }

    /** Builds and checks the configuration. */
    public ValidationConfig build() {
      return new ValidationConfig(manifest, attributes, numClasses, labelFormat, imageRoot, prefixMaps,
          checkImages, imageShape, maxErrors, strict, detectSample, duplicateChunk);
    }
  }
}
