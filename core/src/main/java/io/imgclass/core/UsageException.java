package io.imgclass.core;

/**
 * The request itself is wrong (an impossible option combination, a value out of range): the CLI
 * maps it to exit code 2.
 */
public class UsageException extends ImgclassException {
  private static final long serialVersionUID = 1L;

  public UsageException(String message) {
    super(message);
  }
}
