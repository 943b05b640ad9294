package io.imgclass.core.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgclass.core.DebianPython;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our resize against Debian's cv2.resize(INTER_LINEAR) on the same pixels: the Java port within
 * one level, and the packer's native path (libopencv_imgproc's cvResize, which CI installs with
 * python3-opencv) identical. Runs in its own JVM (core/pom.xml, execution "opencv"): OpenCV cannot
 * load into a JVM where another test already loaded MXNet (see {@link Resize}).
 */
class ResizeOpenCvTest {
  @TempDir Path tmp;

  @Test
  void matchesCv2ResizeWithinOneLevel() throws Exception {
    DebianPython.require("cv2", "numpy");
    boolean ci = io.imgclass.core.testing.TestRequirement.onCi();
    if (ci && !OpenCvResize.available()) {
      throw new AssertionError("libopencv_imgproc not found or failed its self-test (CI installs python3-opencv)");
    }
    int[][] sizes = {
      {50, 37, 34, 25}, {37, 50, 25, 34}, {20, 15, 64, 48}, {40, 30, 20, 15}, {33, 17, 33, 9}, {500, 375, 341, 256},
      {375, 500, 256, 341}, {100, 80, 200, 160}
    };
    for (int[] s : sizes) {
      Pixels src = new Pixels(s[0], s[1], 3, rawRgb(s[0], s[1]));
      Path raw = tmp.resolve("src.raw");
      Files.write(raw, src.data());
      Path out = tmp.resolve("dst.raw");
      String script =
          "import cv2, numpy as np, sys\n"
              + "a = np.fromfile(sys.argv[1], np.uint8).reshape(" + s[1] + "," + s[0] + ",3)\n"
              + "cv2.resize(a, (" + s[2] + "," + s[3] + "), interpolation=cv2.INTER_LINEAR).tofile(sys.argv[2])\n";
      DebianPython.Result r = DebianPython.run(List.of("-c", script, raw.toString(), out.toString()), 60);
      assertThat(r.code()).as(r.err()).isZero();
      byte[] cv = Files.readAllBytes(out);
      if (OpenCvResize.available()) {
        assertThat(nativeResize(src, s[2], s[3])).as("native %s", java.util.Arrays.toString(s)).isEqualTo(cv);
      }
      byte[] ours = Resize.to(src, s[2], s[3]).data();
      assertThat(ours).hasSameSizeAs(cv);
      int maxDiff = 0;
      int same = 0;
      for (int i = 0; i < cv.length; i++) {
        int d = Math.abs((cv[i] & 0xff) - (ours[i] & 0xff));
        maxDiff = Math.max(maxDiff, d);
        same += d == 0 ? 1 : 0;
      }
      assertThat(maxDiff).as("max difference for %s", java.util.Arrays.toString(s)).isLessThanOrEqualTo(1);
      assertThat(same / (double) cv.length).as("exact share for %s", java.util.Arrays.toString(s)).isGreaterThan(0.97);
    }
  }

  @Test
  void shorterSideArithmeticIsIm2recs() {
    Pixels p = new Pixels(500, 375, 1, new byte[500 * 375]);
    Pixels r = Resize.shorterSide(p, 256);
    assertThat(r.width()).isEqualTo(341);
    assertThat(r.height()).isEqualTo(256);
    Pixels tall = Resize.shorterSide(new Pixels(3, 10, 1, new byte[30]), 4);
    assertThat(tall.width()).isEqualTo(4);
    assertThat(tall.height()).isEqualTo(13);
  }

  /** OpenCvResize on a copy of the pixels in native memory. */
  static byte[] nativeResize(Pixels src, int dw, int dh) {
    int cn = src.channels();
    try (com.sun.jna.Memory in = new com.sun.jna.Memory(src.data().length);
        com.sun.jna.Memory out = new com.sun.jna.Memory((long) dw * dh * cn);
        com.sun.jna.Memory hdr = new com.sun.jna.Memory(2L * OpenCvResize.CVMAT_SIZE)) {
      in.write(0, src.data(), 0, src.data().length);
      OpenCvResize.resize(in, src.width(), src.height(), src.width() * cn, cn, out, dw, dh, hdr, hdr.share(OpenCvResize.CVMAT_SIZE));
      return out.getByteArray(0, dw * dh * cn);
    }
  }

  static byte[] rawRgb(int w, int h) {
    byte[] b = new byte[w * h * 3];
    java.util.SplittableRandom r = new java.util.SplittableRandom(w * 31L + h);
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) r.nextInt(256);
    }
    return b;
  }
}
