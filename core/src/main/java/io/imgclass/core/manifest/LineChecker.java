package io.imgclass.core.manifest;

import io.imgclass.core.label.LabelCheck;
import io.imgclass.core.label.LabelFormat;

/**
 * The per-line rules that need nothing but the line itself: JSON shape, the two attributes, and
 * the label under a format. One implementation serves the validator (which wants every problem) and
 * the strict reader (which stops at the first), so the two can never disagree.
 */
final class LineChecker {
  /** Receives the problems of one line. */
  interface Sink {
    void issue(Rule rule, int column, String message);
  }

  private final Attributes attributes;
  private final LabelFormat format;
  private final int numClasses;
  private boolean labelValid;
  private boolean stringLabel;

  LineChecker(Attributes attributes, LabelFormat format, int numClasses) {
    this.attributes = attributes;
    this.format = format;
    this.numClasses = numClasses;
  }

  /**
   * Checks the scanner's current line; afterwards {@link #labelValid()} says whether its label
   * (in {@code s.labelValue}, string forms already parsed) may be counted.
   */
  void check(ManifestScanner s, Sink sink) {
    labelValid = false;
    stringLabel = false;
    switch (s.kind) {
      case BLANK -> {
        sink.issue(Rule.BLANK_LINE, 0, "empty line (JSON Lines needs one object per line)");
        return;
      }
      case INVALID_JSON -> {
        sink.issue(Rule.INVALID_JSON, s.jsonColumn, s.jsonMessage);
        return;
      }
      case NOT_AN_OBJECT -> {
        sink.issue(Rule.NOT_AN_OBJECT, 0, "the line is " + s.notObjectType + ", not a JSON object");
        return;
      }
      case OBJECT -> {
        // checked below
      }
    }
    switch (s.image) {
      case MISSING -> sink.issue(Rule.MISSING_ATTRIBUTE, 0, "no image attribute '" + attributes.image() + "'");
      case DUPLICATE -> sink.issue(Rule.DUPLICATE_ATTRIBUTE, 0, "attribute '" + attributes.image() + "' appears more than once");
      case WRONG_TYPE -> sink.issue(Rule.WRONG_TYPE, 0,
          "image attribute '" + attributes.image() + "' is " + s.imageType + ", expected a string");
      default -> {
        if (s.refLength == 0) {
          sink.issue(Rule.EMPTY_REF, 0, "image attribute '" + attributes.image() + "' is an empty string");
        }
      }
    }
    switch (s.label) {
      case MISSING -> sink.issue(Rule.MISSING_ATTRIBUTE, 0, "no label attribute '" + attributes.label() + "'");
      case DUPLICATE -> sink.issue(Rule.DUPLICATE_ATTRIBUTE, 0, "attribute '" + attributes.label() + "' appears more than once");
      case WRONG_TYPE -> sink.issue(Rule.WRONG_TYPE, 0, "label attribute '" + attributes.label() + "' is " + s.labelType
          + ", expected a number, a list of numbers or a string holding one");
      case STRING -> {
        String why = s.labelValue.parseText(s.labelString);
        if (why != null) {
          sink.issue(Rule.LABEL_UNPARSABLE, 0, "label \"" + abbreviate(s.labelString) + "\": " + why);
        } else {
          stringLabel = true;
          checkLabel(s, sink);
        }
      }
      case PRESENT -> checkLabel(s, sink);
    }
  }

  private void checkLabel(ManifestScanner s, Sink sink) {
    LabelCheck.Result r = LabelCheck.check(s.labelValue, format, numClasses);
    if (r == null) {
      labelValid = true;
    } else {
      sink.issue(Rule.of(r.problem()), 0, r.message());
    }
  }

  /** The label format lines are checked against. */
  LabelFormat format() {
    return format;
  }

  /** Whether the last checked line had a valid label. */
  boolean labelValid() {
    return labelValid;
  }

  /** Whether the last checked line's label was given as a string ({@code "1"}, {@code "[0, 2]"}). */
  boolean stringLabel() {
    return stringLabel;
  }

  static String abbreviate(String s) {
    return s.length() <= 60 ? s : s.substring(0, 57) + "...";
  }
}
