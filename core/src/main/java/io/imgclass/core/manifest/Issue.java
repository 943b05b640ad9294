package io.imgclass.core.manifest;

/**
 * One problem found in a manifest.
 *
 * @param line 1-based line number; 0 for the file as a whole
 * @param column 1-based byte column within the line, for {@code invalid-json}; 0 when none
 * @param rule which check failed
 * @param message what is wrong, in one line
 */
public record Issue(long line, int column, Rule rule, String message) {
  /** The rule's severity. */
  public Severity severity() {
    return rule.severity();
  }
}
