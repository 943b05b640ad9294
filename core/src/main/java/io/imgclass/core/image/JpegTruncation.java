package io.imgclass.core.image;

/**
 * Finds JPEGs whose data stops before the end-of-image marker: a file cut short by a failed copy or
 * download. Decoders accept them with a warning that is easy to miss (libjpeg: "Premature end of
 * JPEG file") and fill the missing part with grey, so the image trains or predicts as something it
 * is not.
 *
 * <p>Cheap: a file that ends with the EOI marker ({@code FF D9}), nearly every file, costs two byte
 * reads. Only otherwise are the markers walked (segment lengths, then the entropy-coded data of each
 * scan) to tell data appended after a complete image (some cameras and phones append a second
 * image or a video) from a file that stops inside the image.
 */
public final class JpegTruncation {
  private static final int FF = 0xFF;

  private JpegTruncation() {}

  /** A one-line reason when {@code b} is a JPEG cut short; null for a complete JPEG or another format. */
  public static String check(byte[] b) {
    int end = b.length;
    if (end < 4 || (b[0] & FF) != FF || (b[1] & FF) != 0xD8) {
      return null; // not a JPEG
    }
    if ((b[end - 2] & FF) == FF && (b[end - 1] & FF) == 0xD9) {
      return null;
    }
    int i = 2;
    while (i + 1 < end) {
      if ((b[i] & FF) != FF) {
        return null; // no marker where one belongs: damaged in another way, which the decoder judges
      }
      int m = b[i + 1] & FF;
      if (m == FF) {
        i++; // fill byte before a marker
        continue;
      }
      if (m == 0xD9) {
        return null; // EOI: complete; what follows was appended
      }
      if (m == 0x01 || (m >= 0xD0 && m <= 0xD7)) {
        i += 2; // markers without a length
        continue;
      }
      if (i + 3 >= end) {
        break;
      }
      int len = ((b[i + 2] & FF) << 8) | (b[i + 3] & FF);
      i += 2 + len;
      if (m == 0xDA) {
        // Entropy-coded data runs to the next marker; FF 00 is a stuffed FF, RSTn stays inside.
        while (i + 1 < end) {
          if ((b[i] & FF) == FF) {
            int n = b[i + 1] & FF;
            if (n == 0 || (n >= 0xD0 && n <= 0xD7)) {
              i += 2;
              continue;
            }
            if (n != FF) {
              break;
            }
          }
          i++;
        }
      }
    }
    return "truncated JPEG: the data stops at byte " + end + " before the end-of-image marker (FF D9),"
        + " so part of the image would be grey";
  }
}
