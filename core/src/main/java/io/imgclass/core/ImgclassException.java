package io.imgclass.core;

/**
 * A failure the user can act on, with a message that stands on its own in one line (it names the
 * file and, where there is one, the line or byte offset). The CLI maps it to exit code 1.
 */
public class ImgclassException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ImgclassException(String message) {
    super(message);
  }

  public ImgclassException(String message, Throwable cause) {
    super(message, cause);
  }
}
