package io.imgclass.core.label;

/** Why a label's numbers are not a valid label of a given format; each has a stable rule id. */
public enum LabelProblem {
  /** A list where one number is expected, or the reverse. */
  FORMAT_MISMATCH("label-format-mismatch"),
  /** A single label or class id that is not an integer (1.5). */
  NOT_INTEGER("label-not-integer"),
  /** A single label outside [0, num_classes). */
  OUT_OF_RANGE("label-out-of-range"),
  /** A multi-hot vector whose length is not num_classes. */
  MULTI_HOT_LENGTH("multi-hot-length"),
  /** A multi-hot value other than 0 or 1. */
  MULTI_HOT_VALUE("multi-hot-value"),
  /** A class-id list with no ids. */
  CLASS_ID_EMPTY("class-id-empty"),
  /** A class-id list naming a class twice. */
  CLASS_ID_DUPLICATE("class-id-duplicate"),
  /** A class id outside [0, num_classes). */
  CLASS_ID_OUT_OF_RANGE("class-id-out-of-range");

  private final String ruleId;

  LabelProblem(String ruleId) {
    this.ruleId = ruleId;
  }

  /** The stable rule id reports use. */
  public String ruleId() {
    return ruleId;
  }
}
