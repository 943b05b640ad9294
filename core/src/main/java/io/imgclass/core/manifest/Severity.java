package io.imgclass.core.manifest;

import java.util.Locale;

/** How bad an issue is: errors fail validation; warnings fail it only in strict mode. */
public enum Severity {
  /** Fails validation. */
  ERROR,
  /** Reported; fails validation only with {@code --strict}. */
  WARNING;

  /** Lower-case name as reports print it. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
