package io.imgclass.core.image;

/** The bytes are not an image we can decode; the message says why in a few words. */
public class ImageDecodeException extends Exception {
  private static final long serialVersionUID = 1L;

  public ImageDecodeException(String message) {
    super(message);
  }

  public ImageDecodeException(String message, Throwable cause) {
    super(message, cause);
  }
}
