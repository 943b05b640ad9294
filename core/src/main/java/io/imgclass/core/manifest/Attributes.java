package io.imgclass.core.manifest;

import io.imgclass.core.UsageException;
import java.util.List;

/**
 * The two attribute names SageMaker's {@code AttributeNames} gives for Image Classification: the
 * image reference first, the label second (spec §1.2), e.g. {@code source-ref,class}.
 *
 * @param image the attribute holding the image reference; its name ends in {@code -ref}
 * @param label the attribute holding the label
 */
public record Attributes(String image, String label) {
  /** SageMaker's usual pair. */
  public static final Attributes DEFAULT = new Attributes("source-ref", "class");

  /**
   * Checks the pair. The image attribute must end in {@code -ref}: only such attributes make
   * SageMaker stream the referenced object instead of the attribute's own text.
   */
  public Attributes {
    if (image == null || label == null || image.isEmpty() || label.isEmpty()) {
      throw new UsageException("attribute names must not be empty");
    }
    if (image.equals(label)) {
      throw new UsageException("the image and label attributes must differ, both are '" + image + "'");
    }
    if (!image.endsWith("-ref")) {
      throw new UsageException("the first attribute name must be the image reference and end in '-ref'"
          + " (SageMaker streams only -ref attributes as files), got '" + image + "'");
    }
    if (label.endsWith("-ref")) {
      throw new UsageException("the second attribute name must be the label, not a reference, got '" + label + "'");
    }
    image = image.intern();
    label = label.intern();
  }

  /** Parses {@code image,label} (the order SageMaker requires). */
  public static Attributes parse(List<String> names) {
    if (names.size() != 2) {
      throw new UsageException("--attribute-names needs exactly two names, image first and label second"
          + " (e.g. source-ref,class), got " + names.size());
    }
    return new Attributes(names.get(0).strip(), names.get(1).strip());
  }
}
