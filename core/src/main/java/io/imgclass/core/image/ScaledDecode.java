package io.imgclass.core.image;

import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * {@code pack-recordio --scaled-decode}: a JPEG whose shorter side is at least twice the target
 * is decoded at 1/2, 1/4 or 1/8 of its size (the smallest of these not below the target), and
 * only then resized to the size the full decode would have been resized to. libjpeg-turbo scales
 * inside the inverse DCT, so an 8x reduction skips most of the IDCT, the colour conversion and the
 * resize's input; the entropy decoding of every coefficient remains. Not im2rec's bytes: the
 * reduced image is a block average where OpenCV's resize would have sampled the full one
 * (docs/im2rec.md gives the measured difference).
 *
 * <p>Without libjpeg-turbo, ImageIO's source subsampling (every n-th pixel of each n-th row) is
 * the fallback: it spares the colour conversion and the memory of the full image, not the decoding.
 */
public final class ScaledDecode {
  /** The reductions libjpeg's DCT scaling gives for every JPEG, largest first. */
  private static final int[] DENOMINATORS = {8, 4, 2};

  private ScaledDecode() {}

  /**
   * The largest n in {8, 4, 2} with {@code n * target <= min(width, height)}, else 1 (decode at
   * full size). A source at least n times the target decodes to {@code ceil(w/n) x ceil(h/n)},
   * which is not below the size {@link Resize#shorterSideDims} gives for the full image on either
   * side, so the resize that follows only shrinks. {@code target <= 0} (no resize) gives 1.
   */
  public static int denominator(int width, int height, int target) {
    if (target <= 0) {
      return 1;
    }
    long shorter = Math.min(width, height);
    for (int n : DENOMINATORS) {
      if (shorter >= (long) n * target) {
        return n;
      }
    }
    return 1;
  }

  /** {@code ceil(size / n)}: the size libjpeg gives a dimension scaled by 1/n. */
  static int scaled(int size, int n) {
    return (int) (((long) size + n - 1) / n);
  }

  /**
   * A decoded image and the size of the file's full image (from which the output size is
   * computed, so scaled and full decodes end at the same size).
   */
  public record Decoded(Pixels pixels, int fullWidth, int fullHeight) {}

  /**
   * Decodes {@code bytes} for an output whose shorter side is {@code target}: a JPEG at the
   * reduced size {@link #denominator} allows, anything else (or a JPEG that neither decoder
   * scales) as {@link ImageCodec#decode} does.
   */
  public static Decoded decode(byte[] bytes, ColorMode mode, int target) throws ImageDecodeException {
    boolean jpeg = bytes.length > 3 && (bytes[0] & 0xff) == 0xFF && (bytes[1] & 0xff) == 0xD8;
    if (jpeg && target > 0) {
      Decoded d = TurboJpeg.available() ? decodeTurbo(bytes, mode, target) : null;
      if (d == null) {
        d = decodeImageIo(bytes, mode, target);
      }
      if (d != null) {
        return d;
      }
    }
    Pixels p = ImageCodec.decode(bytes, mode);
    return new Decoded(p, p.width(), p.height());
  }

  /** libjpeg-turbo with DCT scaling; null when the file should take the general path. */
  static Decoded decodeTurbo(byte[] jpeg, ColorMode mode, int target) {
    TurboJpeg.Lib lib = TurboJpeg.lib();
    Pointer h = lib.tjInitDecompress();
    if (h == null) {
      return null;
    }
    try {
      IntByReference w = new IntByReference();
      IntByReference ht = new IntByReference();
      IntByReference ss = new IntByReference();
      IntByReference cs = new IntByReference();
      NativeLong size = new NativeLong(jpeg.length);
      if (lib.tjDecompressHeader3(h, jpeg, size, w, ht, ss, cs) != 0) {
        return null;
      }
      int pf = TurboJpeg.pixelFormat(cs.getValue(), mode);
      int fw = w.getValue();
      int fh = ht.getValue();
      int n = denominator(fw, fh, target);
      if (pf < 0 || n == 1) {
        return null;
      }
      int cn = pf == TurboJpeg.TJPF_GRAY ? 1 : 3;
      int sw = scaled(fw, n);
      int sh = scaled(fh, n);
      byte[] out = new byte[sw * sh * cn];
      // Asking for ceil(w/n) x ceil(h/n) makes libjpeg-turbo pick the 1/n scaling factor.
      if (lib.tjDecompress2(h, jpeg, size, out, sw, 0, sh, pf, 0) != 0) {
        return null;
      }
      return new Decoded(new Pixels(sw, sh, cn, out), fw, fh);
    } finally {
      lib.tjDestroy(h);
    }
  }

  /** ImageIO with source subsampling; null when ImageIO cannot read the header. */
  static Decoded decodeImageIo(byte[] bytes, ColorMode mode, int target) {
    try (ImageInputStream iis = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(iis);
      if (!readers.hasNext()) {
        return null;
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(iis, true, true);
        int fw = reader.getWidth(0);
        int fh = reader.getHeight(0);
        int n = denominator(fw, fh, target);
        if (n == 1) {
          return null;
        }
        ImageReadParam param = reader.getDefaultReadParam();
        param.setSourceSubsampling(n, n, 0, 0);
        BufferedImage img = reader.read(0, param);
        if (img == null) {
          return null;
        }
        return new Decoded(ImageCodec.fromBufferedImage(img, mode), fw, fh);
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      return null; // the general path decodes again and reports why the file is bad
    }
  }
}
