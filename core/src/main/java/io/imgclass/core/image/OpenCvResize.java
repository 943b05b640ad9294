package io.imgclass.core.image;

import com.sun.jna.Function;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * {@code cv::resize(..., INTER_LINEAR)} from the system's OpenCV ({@code libopencv_imgproc}, on
 * Debian the package {@code libopencv-imgproc406} that python3-opencv installs), called through
 * its C entry point {@code cvResize}. It is the function im2rec itself calls, so its output is the
 * reference that {@link Resize} imitates in Java, at about a quarter of the CPU (SIMD). Only the
 * packer uses it ({@link JpegTranscoder}), in processes that do not run MXNet: the two bring
 * different {@code libopenblas.so.0} builds and the second to load gets the first's.
 *
 * <p>Optional, like {@link TurboJpeg}: absent library, a library without {@code cvResize}, one
 * whose output fails the self-test at load, or {@code -Dimgclass.opencv=false} all leave {@link
 * #available()} false and {@link Resize} in charge. {@code -Dimgclass.opencv=/path/to/lib.so}
 * names the library explicitly.
 *
 * <p>OpenCV's own thread pool is set to one thread: callers (the packer, the loaders) already run
 * one image per thread, and nested pools would oversubscribe the cores.
 */
final class OpenCvResize {
  private static final int INTER_LINEAR = 1;
  private static final int CV_MAT_MAGIC_VAL = 0x42420000;
  /** sizeof(CvMat) on LP64: type, step, refcount*, hdr_refcount, data*, rows, cols. */
  static final int CVMAT_SIZE = 40;

  /** The C API of libopencv_imgproc (OpenCV 3.x and 4.x; removed in 5). */
  interface Lib extends Library {
    void cvResize(Pointer src, Pointer dst, int interpolation);
  }

  /** Loaded and self-tested once; null when unavailable. Immutable after class init. */
  private static final Lib LIB = load();

  private OpenCvResize() {}

  private static Lib load() {
    String prop = System.getProperty("imgclass.opencv", "true");
    if ("false".equalsIgnoreCase(prop)) {
      return null;
    }
    java.util.List<String> names =
        "true".equalsIgnoreCase(prop) ? NativeLibraries.find("opencv_imgproc") : java.util.List.of(prop);
    for (String name : names) {
      try {
        Lib lib = Native.load(name, Lib.class);
        singleThreaded(name);
        if (selfTest(lib)) {
          return lib;
        }
      } catch (UnsatisfiedLinkError | RuntimeException e) {
        // Not there, or not loadable here: MXNet's own libopenblas.so.0, once loaded, shadows the
        // one OpenCV's LAPACK needs ("undefined symbol: strtrs_UNU_parallel"). Next name; the Java
        // path remains the fallback.
      }
    }
    return null;
  }

  /**
   * cv::setNumThreads(1), a C++ symbol of libopencv_core; dlsym on imgproc's handle also searches
   * the libraries it depends on, core among them.
   */
  private static void singleThreaded(String imgprocName) {
    for (String core : new String[] {imgprocName, imgprocName.replace("imgproc", "core")}) {
      try {
        Function f = NativeLibrary.getInstance(core).getFunction("_ZN2cv13setNumThreadsEi");
        f.invokeVoid(new Object[] {1});
        return;
      } catch (UnsatisfiedLinkError | RuntimeException e) {
        // next candidate; without it OpenCV may use its pool for large images, which is still correct
      }
    }
  }

  /**
   * A library that resizes differently from our Java port by more than its documented 1 level
   * (another interpolation, another struct layout) is not used: pixels would depend on the machine.
   */
  private static boolean selfTest(Lib lib) {
    int sw = 37;
    int sh = 23;
    byte[] px = new byte[sw * sh * 3];
    for (int i = 0; i < px.length; i++) {
      px[i] = (byte) ((i * 7919) % 251);
    }
    Pixels src = new Pixels(sw, sh, 3, px);
    int[][] sizes = {{25, 16}, {53, 31}, {18, 11}};
    try (Memory in = new Memory(px.length); Memory out = new Memory(53 * 31 * 3);
        Memory h1 = new Memory(CVMAT_SIZE); Memory h2 = new Memory(CVMAT_SIZE)) {
      in.write(0, px, 0, px.length);
      for (int[] s : sizes) {
        resize(lib, in, sw, sh, sw * 3, 3, out, s[0], s[1], h1, h2);
        byte[] got = out.getByteArray(0, s[0] * s[1] * 3);
        byte[] want = Resize.to(src, s[0], s[1]).data();
        for (int i = 0; i < got.length; i++) {
          if (Math.abs((got[i] & 0xff) - (want[i] & 0xff)) > 1) {
            return false;
          }
        }
      }
      return true;
    }
  }

  /** Whether OpenCV's resize is in use. */
  static boolean available() {
    return LIB != null;
  }

  /**
   * Resizes {@code sw x sh} pixels of {@code cn} interleaved 8-bit channels at {@code src} (rows
   * {@code srcStep} bytes apart, so a crop is a pointer offset) into {@code dw x dh} at {@code dst}
   * (rows packed). {@code h1}/{@code h2} are caller-owned scratch for the two CvMat headers.
   */
  static void resize(Pointer src, int sw, int sh, int srcStep, int cn, Pointer dst, int dw, int dh,
      Pointer h1, Pointer h2) {
    resize(LIB, src, sw, sh, srcStep, cn, dst, dw, dh, h1, h2);
  }

  private static void resize(Lib lib, Pointer src, int sw, int sh, int srcStep, int cn, Pointer dst,
      int dw, int dh, Pointer h1, Pointer h2) {
    // OpenCV throws C++ exceptions on bad arguments, which would abort the JVM: check here.
    if (sw <= 0 || sh <= 0 || dw <= 0 || dh <= 0 || cn < 1 || cn > 4 || srcStep < sw * cn) {
      throw new IllegalArgumentException(sw + "x" + sh + "x" + cn + " -> " + dw + "x" + dh);
    }
    header(h1, src, sw, sh, srcStep, cn);
    header(h2, dst, dw, dh, dw * cn, cn);
    lib.cvResize(h1, h2, INTER_LINEAR);
  }

  private static void header(Pointer h, Pointer data, int w, int ht, int step, int cn) {
    h.setInt(0, CV_MAT_MAGIC_VAL | ((cn - 1) << 3)); // CV_8UC(cn)
    h.setInt(4, step);
    h.setPointer(8, null); // refcount: the data is not OpenCV's
    h.setInt(16, 0);
    h.setPointer(24, data);
    h.setInt(32, ht);
    h.setInt(36, w);
  }
}
