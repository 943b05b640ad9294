package io.imgclass.core.manifest;

import io.imgclass.core.label.LabelProblem;

/**
 * Every check {@code validate-manifest} makes, with its stable id (reports and CI configurations
 * depend on the ids: never rename one; docs/validate-manifest.md lists them with an example each).
 */
public enum Rule {
  /** The file has no data lines. */
  EMPTY_MANIFEST("empty-manifest", Severity.ERROR, "the manifest has no JSON lines"),
  /** A line holding only whitespace. */
  BLANK_LINE("blank-line", Severity.ERROR, "a line is empty or only whitespace"),
  /** The line is not one valid JSON value. */
  INVALID_JSON("invalid-json", Severity.ERROR, "the line is not valid JSON (line and column given)"),
  /** Valid JSON but not an object. */
  NOT_AN_OBJECT("not-an-object", Severity.ERROR, "the line is valid JSON but not an object"),
  /** The image or label attribute is absent. */
  MISSING_ATTRIBUTE("missing-attribute", Severity.ERROR, "the image or label attribute is absent"),
  /** An attribute appears twice in one object. */
  DUPLICATE_ATTRIBUTE("duplicate-attribute", Severity.ERROR, "the image or label attribute appears twice in the object"),
  /** An attribute has the wrong JSON type. */
  WRONG_TYPE("wrong-type", Severity.ERROR,
      "the image ref is not a string, or the label is not a number, a list of numbers or a string"),
  /** The image ref is the empty string. */
  EMPTY_REF("empty-ref", Severity.ERROR, "the image ref is an empty string"),
  /** A string label whose text is not a number or a list of numbers. */
  LABEL_UNPARSABLE("label-unparsable", Severity.ERROR,
      "a string label whose text is not a number or a list of numbers (SageMaker accepts \"1\" and \"[0, 2]\")"),
  /** A list where the format wants a number, or the reverse. */
  LABEL_FORMAT_MISMATCH("label-format-mismatch", Severity.ERROR,
      "a list label under the single format, or a single number under a multi-label format"),
  /** Not an integer. */
  LABEL_NOT_INTEGER("label-not-integer", Severity.ERROR, "a single label or class id is not an integer"),
  /** Single label out of range. */
  LABEL_OUT_OF_RANGE("label-out-of-range", Severity.ERROR, "a single label is outside [0, num_classes)"),
  /** Multi-hot length. */
  MULTI_HOT_LENGTH("multi-hot-length", Severity.ERROR, "a multi-hot label's length is not num_classes"),
  /** Multi-hot value. */
  MULTI_HOT_VALUE("multi-hot-value", Severity.ERROR, "a multi-hot value is not 0 or 1"),
  /** Empty class-id list. */
  CLASS_ID_EMPTY("class-id-empty", Severity.ERROR, "a class-id label is an empty list"),
  /** Duplicate class id. */
  CLASS_ID_DUPLICATE("class-id-duplicate", Severity.ERROR, "a class-id label names a class twice"),
  /** Class id out of range. */
  CLASS_ID_OUT_OF_RANGE("class-id-out-of-range", Severity.ERROR, "a class id is outside [0, num_classes)"),
  /** Two lines reference the same image. */
  DUPLICATE_REF("duplicate-ref", Severity.WARNING, "the image ref already appeared on an earlier line"),
  /** The ref is not an S3 URI, so SageMaker cannot fetch it. */
  REF_NOT_S3("ref-not-s3", Severity.WARNING, "the image ref is not an s3:// URI, which SageMaker needs"),
  /** No --s3-prefix-map / --image-root covers the ref. */
  REF_UNMAPPED("ref-unmapped", Severity.ERROR,
      "file checks are on but no --s3-prefix-map or --image-root resolves the ref"),
  /** The resolved path leaves its root. */
  REF_ESCAPES_ROOT("ref-escapes-root", Severity.ERROR,
      "the resolved path leaves its root directory (.., an absolute path or a symbolic link)"),
  /** The resolved file is absent. */
  MISSING_FILE("missing-file", Severity.ERROR, "the resolved image file does not exist or is not a readable file"),
  /** ImageIO cannot decode the image. */
  IMAGE_UNDECODABLE("image-undecodable", Severity.ERROR, "--check-images: the image cannot be decoded"),
  /** Image smaller than --image-shape. */
  IMAGE_TOO_SMALL("image-too-small", Severity.ERROR,
      "--check-images: the image is smaller than --image-shape in width or height (SageMaker training fails)"),
  /** A class no line marks present. */
  CLASS_WITHOUT_EXAMPLES("class-without-examples", Severity.WARNING, "a class in [0, num_classes) has no examples");

  private final String id;
  private final Severity severity;
  private final String meaning;

  Rule(String id, Severity severity, String meaning) {
    this.id = id;
    this.severity = severity;
    this.meaning = meaning;
  }

  /** The stable id, e.g. {@code invalid-json}. */
  public String id() {
    return id;
  }

  /** Error or warning. */
  public Severity severity() {
    return severity;
  }

  /** One sentence on what the rule catches. */
  public String meaning() {
    return meaning;
  }

  /** The rule a label problem reports under. */
  public static Rule of(LabelProblem p) {
    return switch (p) {
      case FORMAT_MISMATCH -> LABEL_FORMAT_MISMATCH;
      case NOT_INTEGER -> LABEL_NOT_INTEGER;
      case OUT_OF_RANGE -> LABEL_OUT_OF_RANGE;
      case MULTI_HOT_LENGTH -> MULTI_HOT_LENGTH;
      case MULTI_HOT_VALUE -> MULTI_HOT_VALUE;
      case CLASS_ID_EMPTY -> CLASS_ID_EMPTY;
      case CLASS_ID_DUPLICATE -> CLASS_ID_DUPLICATE;
      case CLASS_ID_OUT_OF_RANGE -> CLASS_ID_OUT_OF_RANGE;
    };
  }

  /** The rule with this id. */
  public static Rule byId(String id) {
    for (Rule r : values()) {
      if (r.id.equals(id)) {
        return r;
      }
    }
    throw new IllegalArgumentException("no rule '" + id + "'");
  }
}
