package io.imgclass.core.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgclass.core.DebianPython;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our resize against Debian's cv2.resize(INTER_LINEAR) on the same pixels. */
class ResizeOpenCvTest {
  @TempDir Path tmp;

  @Test
  void matchesCv2ResizeWithinOneLevel() throws Exception {
    DebianPython.require("cv2", "numpy");
    int[][] sizes = {{50, 37, 34, 25}, {37, 50, 25, 34}, {20, 15, 64, 48}, {40, 30, 20, 15}, {33, 17, 33, 9}};
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

  static byte[] rawRgb(int w, int h) {
    byte[] b = new byte[w * h * 3];
    java.util.SplittableRandom r = new java.util.SplittableRandom(w * 31L + h);
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) r.nextInt(256);
    }
    return b;
  }
}
