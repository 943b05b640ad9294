package io.imgclass.core.train;

import java.nio.file.Path;
import java.util.List;

/**
 * One SageMaker input channel on the local disk (spec §1.2).
 *
 * @param kind the content type
 * @param data the {@code .rec} file, the image root, or the manifest
 * @param index the {@code .idx} ({@code RECORDIO}, optional) or the {@code .lst} ({@code IMAGE_LST})
 * @param attributeNames manifest attribute names, image first and label second
 * @param labelFormat manifest label format: {@code class-id}, {@code multi-hot} or {@code single}
 * @param s3PrefixMaps manifest {@code s3://bucket/prefix=DIR} mappings
 */
public record Channel(
    Kind kind, Path data, Path index, List<String> attributeNames, String labelFormat, List<String> s3PrefixMaps) {
  /** The content types SageMaker accepts. */
  public enum Kind {
    /** {@code application/x-recordio}: one {@code .rec} file. */
    RECORDIO,
    /** {@code application/x-image}: an image folder and a {@code .lst} file. */
    IMAGE_LST,
    /** An augmented manifest (JSON Lines). */
    MANIFEST
  }

  public Channel {
    attributeNames = attributeNames == null ? List.of() : List.copyOf(attributeNames);
    s3PrefixMaps = s3PrefixMaps == null ? List.of() : List.copyOf(s3PrefixMaps);
  }

  public static Channel recordIO(Path rec, Path idx) {
    return new Channel(Kind.RECORDIO, rec, idx, List.of(), null, List.of());
  }

  public static Channel imageList(Path root, Path lst) {
    return new Channel(Kind.IMAGE_LST, root, lst, List.of(), null, List.of());
  }

  public static Channel manifest(Path manifest, Path imageRoot, List<String> attributeNames, String labelFormat,
      List<String> s3PrefixMaps) {
    return new Channel(Kind.MANIFEST, manifest, imageRoot, attributeNames, labelFormat, s3PrefixMaps);
  }
}
