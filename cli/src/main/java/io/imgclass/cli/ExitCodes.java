package io.imgclass.cli;

/** The one exit-code policy shared by every subcommand. */
public final class ExitCodes {
  /** Success. */
  public static final int OK = 0;
  /** The command ran and failed, or found invalid data. */
  public static final int FAILURE = 1;
  /** The command line itself was wrong. */
  public static final int USAGE = 2;

  private ExitCodes() {}
}
