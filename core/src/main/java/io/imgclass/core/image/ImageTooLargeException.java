package io.imgclass.core.image;

/** The image's header claims more pixels than {@link ImageLimits#maxPixels()}; nothing was decoded. */
public final class ImageTooLargeException extends ImageDecodeException {
  private static final long serialVersionUID = 1L;
  public ImageTooLargeException(long width, long height, long max) {
    super("image is " + width + "x" + height + " (" + width * height + " pixels), over the limit of " + max
        + " pixels (raise it with --max-pixels or " + ImageLimits.ENV + ")");
  }
}
