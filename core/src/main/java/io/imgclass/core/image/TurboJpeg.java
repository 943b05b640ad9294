package io.imgclass.core.image;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.NativeLongByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * JPEG decoding and encoding through the system's libjpeg-turbo ({@code libturbojpeg.so.0}, Debian
 * package {@code libturbojpeg0}), the same codec OpenCV uses. Optional: when the library is
 * missing, or with {@code -Dimgclass.turbojpeg=false}, {@link #available()} is false and {@link
 * ImageCodec} uses ImageIO alone. The JDK's ImageIO codec is libjpeg 6b without SIMD; on detailed
 * photos it costs about twice as much CPU (docs/benchmarks.md).
 *
 * <p>Only the cases libjpeg-turbo handles like OpenCV go this way: YCbCr/RGB and grey JPEGs.
 * CMYK/YCCK files, and any file libjpeg-turbo warns about (truncated data, for instance), go to
 * ImageIO, which decides whether they are bad.
 */
final class TurboJpeg {
  static final int TJPF_RGB = 0;
  static final int TJPF_GRAY = 6;
  static final int TJSAMP_420 = 2;
  static final int TJSAMP_GRAY = 3;
  private static final int TJCS_RGB = 0;
  private static final int TJCS_YCBCR = 1;
  private static final int TJCS_GRAY = 2;
  /** Encode into the caller's buffer (sized with tjBufSize) instead of a malloc'd one. */
  static final int TJFLAG_NOREALLOC = 1024;
  /**
   * The accurate integer DCT. TurboJPEG's compressor defaults to the fast one, unlike libjpeg
   * (and so OpenCV's imencode and the JDK's writer), which changes every encoded byte.
   */
  static final int TJFLAG_ACCURATEDCT = 4096;

  /** The C API (turbojpeg.h, libjpeg-turbo 2.x). */
  interface Lib extends Library {
    Pointer tjInitDecompress();

    Pointer tjInitCompress();

    int tjDestroy(Pointer handle);

    int tjDecompressHeader3(Pointer handle, byte[] jpeg, NativeLong size, IntByReference width,
        IntByReference height, IntByReference subsamp, IntByReference colorspace);

    int tjDecompress2(Pointer handle, byte[] jpeg, NativeLong size, byte[] dst, int width,
        int pitch, int height, int pixelFormat, int flags);

    int tjCompress2(Pointer handle, byte[] src, int width, int pitch, int height, int pixelFormat,
        PointerByReference jpeg, NativeLongByReference size, int subsamp, int quality, int flags);

    void tjFree(Pointer buffer);

    // The same functions on native buffers, for JpegTranscoder (no Java array copies).
    int tjDecompressHeader3(Pointer handle, Pointer jpeg, NativeLong size, IntByReference width,
        IntByReference height, IntByReference subsamp, IntByReference colorspace);

    int tjDecompress2(Pointer handle, Pointer jpeg, NativeLong size, Pointer dst, int width,
        int pitch, int height, int pixelFormat, int flags);

    int tjCompress2(Pointer handle, Pointer src, int width, int pitch, int height, int pixelFormat,
        PointerByReference jpeg, NativeLongByReference size, int subsamp, int quality, int flags);

    NativeLong tjBufSize(int width, int height, int subsamp);
  }

  /** Loaded once; null when the library is absent or disabled. Immutable after class init. */
  private static final Lib LIB = load();

  private TurboJpeg() {}

  private static Lib load() {
    if ("false".equalsIgnoreCase(System.getProperty("imgclass.turbojpeg", "true"))) {
      return null;
    }
    java.util.List<String> names = new java.util.ArrayList<>(NativeLibraries.find("turbojpeg"));
    names.add("libturbojpeg.so.0"); // the loader's own search, if the folders above missed it
    for (String name : names) {
      try {
        return Native.load(name, Lib.class);
      } catch (UnsatisfiedLinkError | RuntimeException e) {
        // try the next name; ImageIO remains the fallback
      }
    }
    return null;
  }

  /** The library, for {@link JpegTranscoder}; null when {@link #available()} is false. */
  static Lib lib() {
    return LIB;
  }

  /** Whether libjpeg-turbo is in use. */
  static boolean available() {
    return LIB != null;
  }

  /**
   * The pixel format to decode a JPEG of {@code colorspace} (TJCS_*) into for {@code mode}: grey
   * for GRAY, and for UNCHANGED on a grey file; RGB otherwise; -1 for CMYK/YCCK, which ImageIO
   * (TwelveMonkeys) converts instead.
   */
  static int pixelFormat(int colorspace, ColorMode mode) {
    if (colorspace != TJCS_YCBCR && colorspace != TJCS_RGB && colorspace != TJCS_GRAY) {
      return -1;
    }
    boolean grey = mode == ColorMode.GRAY || (mode == ColorMode.UNCHANGED && colorspace == TJCS_GRAY);
    return grey ? TJPF_GRAY : TJPF_RGB;
  }

  /** Decodes a JPEG, or returns null when this file should go to ImageIO instead. */
  static Pixels decode(byte[] jpeg, ColorMode mode) throws ImageTooLargeException {
    Pointer h = LIB.tjInitDecompress();
    if (h == null) {
      return null;
    }
    try {
      IntByReference w = new IntByReference();
      IntByReference ht = new IntByReference();
      IntByReference ss = new IntByReference();
      IntByReference cs = new IntByReference();
      NativeLong size = new NativeLong(jpeg.length);
      if (LIB.tjDecompressHeader3(h, jpeg, size, w, ht, ss, cs) != 0) {
        return null;
      }
      int pf = pixelFormat(cs.getValue(), mode);
      if (pf < 0) {
        return null;
      }
      boolean grey = pf == TJPF_GRAY;
      int cn = grey ? 1 : 3;
      int width = w.getValue();
      int height = ht.getValue();
      ImageLimits.check(width, height); // before the output array: the header may lie
      if (width <= 0 || height <= 0 || (long) width * height * cn > Integer.MAX_VALUE - 16) {
        return null;
      }
      byte[] out = new byte[width * height * cn];
      // flags 0: accurate integer IDCT and fancy upsampling, libjpeg's defaults, as in OpenCV.
      if (LIB.tjDecompress2(h, jpeg, size, out, width, 0, height, pf, 0) != 0) {
        return null; // an error or a warning (e.g. truncated data): let ImageIO judge the file
      }
      return new Pixels(width, height, cn, out);
    } finally {
      LIB.tjDestroy(h);
    }
  }

  /** Encodes grey or RGB pixels as a baseline JPEG (4:2:0 for colour, as OpenCV's default). */
  static byte[] encode(Pixels p, int quality) {
    Pointer h = LIB.tjInitCompress();
    if (h == null) {
      return null;
    }
    try {
      boolean grey = p.channels() == 1;
      PointerByReference buf = new PointerByReference();
      NativeLongByReference size = new NativeLongByReference();
      int rc = LIB.tjCompress2(h, p.data(), p.width(), 0, p.height(), grey ? TJPF_GRAY : TJPF_RGB,
          buf, size, grey ? TJSAMP_GRAY : TJSAMP_420, quality, TJFLAG_ACCURATEDCT);
      Pointer b = buf.getValue();
      try {
        if (rc != 0 || b == null) {
          return null;
        }
        return b.getByteArray(0, (int) size.getValue().longValue());
      } finally {
        if (b != null) {
          LIB.tjFree(b);
        }
      }
    } finally {
      LIB.tjDestroy(h);
    }
  }
}
