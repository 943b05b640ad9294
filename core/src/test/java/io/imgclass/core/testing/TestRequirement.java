package io.imgclass.core.testing;

import org.junit.jupiter.api.Assumptions;

/**
 * The one gate for tests that need an optional tool or package: skipped on a developer machine that
 * lacks it, failed when {@code CI=true}, because {@code .ci/run} installs everything the tests use
 * and a skip there would hide a check that never ran.
 */
public final class TestRequirement {
  private TestRequirement() {}

  /** True when the environment says this is a CI run ({@code CI=true}). */
  public static boolean onCi() {
    return "true".equals(System.getenv("CI"));
  }

  /**
   * Returns when {@code present}; otherwise aborts the test (skip) or, on CI, fails it.
   *
   * @param missing what is missing and which package brings it, e.g. "python3-numpy"
   */
  public static void require(boolean present, String missing) {
    if (present) {
      return;
    }
    if (onCi()) {
      throw new AssertionError("CI=true but " + missing + " (.ci/run installs it)");
    }
    Assumptions.abort(missing);
  }
}
