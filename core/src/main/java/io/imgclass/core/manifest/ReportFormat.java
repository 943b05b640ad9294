package io.imgclass.core.manifest;

/** How a {@link ValidationReport} is printed (schemas in docs/validate-manifest.md). */
public enum ReportFormat {
  /** One line per issue ({@code file:line[:col]: severity [rule] message}), then a summary. */
  TEXT,
  /** One JSON object, schema {@code imgclass/validate-manifest/v1}. */
  JSON,
  /** JUnit XML: one test case per rule. */
  JUNIT
}
