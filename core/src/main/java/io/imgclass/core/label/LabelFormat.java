package io.imgclass.core.label;

import java.util.Locale;

/**
 * How a label is written (spec §1.2). {@link #SINGLE} is the single-label case ({@code
 * multi_label=0}); the two multi-label formats are selected in SageMaker by the content type's
 * {@code label-format} parameter, {@code multi-hot} being its default.
 */
public enum LabelFormat {
  /** One integer class id in [0, num_classes), e.g. {@code 3} or {@code "3"}. */
  SINGLE("single"),
  /** A 0/1 vector of length num_classes, e.g. {@code [1, 0, 1]}. */
  MULTI_HOT("multi-hot"),
  /** A non-empty list of distinct class ids, e.g. {@code [0, 2]} (what Ground Truth writes). */
  CLASS_ID("class-id");

  private final String cliName;

  LabelFormat(String cliName) {
    this.cliName = cliName;
  }

  /** The name used on the command line and in SageMaker's content type. */
  public String cliName() {
    return cliName;
  }

  /** True for the two multi-label formats. */
  public boolean multiLabel() {
    return this != SINGLE;
  }

  /** Parses a CLI name ({@code single}, {@code multi-hot}, {@code class-id}), case-insensitively. */
  public static LabelFormat parse(String name) {
    String n = name.strip().toLowerCase(Locale.ROOT);
    for (LabelFormat f : values()) {
      if (f.cliName.equals(n)) {
        return f;
      }
    }
    throw new IllegalArgumentException(
        "unknown label format '" + name + "' (expected single, multi-hot or class-id)");
  }

  @Override
  public String toString() {
    return cliName;
  }
}
