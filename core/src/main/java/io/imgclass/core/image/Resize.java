package io.imgclass.core.image;

/**
 * Bilinear resizing with OpenCV's {@code cv2.resize(..., INTER_LINEAR)} arithmetic for 8-bit images,
 * so that images we pack match what im2rec (OpenCV) produces: half-pixel centres
 * ({@code fx = (dx+0.5)*scale - 0.5}, computed in float), 11-bit fixed-point weights rounded with
 * {@code cvRound}, an integer horizontal pass, and the vertical pass of OpenCV's SIMD kernel
 * ({@code ((S0>>4)*b0>>16) + ((S1>>4)*b1>>16) + 2 >> 2}). OpenCV finishes each row's last few
 * samples with its scalar kernel, which rounds once instead; those samples can differ by 1.
 * An exact 2x reduction uses OpenCV's area average, as cv2.resize does.
 *
 * <p>The packer calls {@code cv::resize} itself when the system has OpenCV ({@link
 * JpegTranscoder}); this port is for everything else. OpenCV is not loaded into processes that
 * run MXNet: both bring a {@code libopenblas.so.0}, and whichever loads second gets the first's.
 */
public final class Resize {
  private static final int COEF_BITS = 11;
  private static final int COEF_SCALE = 1 << COEF_BITS;

  private Resize() {}

  /**
   * im2rec's {@code --resize N}: the shorter side becomes N and the longer side {@code
   * floor(long*N/short)}; smaller images are enlarged.
   */
  public static Pixels shorterSide(Pixels src, int size) {
    int[] d = shorterSideDims(src.width(), src.height(), size);
    return to(src, d[0], d[1]);
  }

  /** {@link #shorterSide}'s target {@code {width, height}} for a {@code w x h} image. */
  public static int[] shorterSideDims(int w, int h, int size) {
    if (h > w) {
      return new int[] {size, (int) ((long) h * size / w)};
    }
    return new int[] {(int) ((long) w * size / h), size};
  }

  /** Resizes to exactly {@code dw x dh}. */
  public static Pixels to(Pixels src, int dw, int dh) {
    int sw = src.width();
    int sh = src.height();
    if (dw == sw && dh == sh) {
      return src;
    }
    if (sw == dw * 2 && sh == dh * 2) {
      return halve(src);
    }
    int cn = src.channels();
    double scaleX = 1.0 / ((double) dw / sw);
    double scaleY = 1.0 / ((double) dh / sh);
    int[] off0 = new int[dw];
    int[] off1 = new int[dw];
    int[] a0s = new int[dw];
    int[] a1s = new int[dw];
    for (int dx = 0; dx < dw; dx++) {
      float fx = (float) ((dx + 0.5) * scaleX - 0.5);
      int sx = (int) Math.floor(fx);
      fx -= sx;
      if (sx < 0) {
        fx = 0;
        sx = 0;
      }
      if (sx >= sw - 1) {
        fx = 0;
        sx = sw - 1;
      }
      off0[dx] = sx * cn;
      off1[dx] = Math.min(sx + 1, sw - 1) * cn;
      // saturate_cast<short>(float): round half to even, as cvRound does.
      a0s[dx] = (short) Math.rint((1.f - fx) * COEF_SCALE);
      a1s[dx] = (short) Math.rint(fx * COEF_SCALE);
    }
    int[] yofs = new int[dh];
    short[] beta = new short[dh * 2];
    for (int dy = 0; dy < dh; dy++) {
      float fy = (float) ((dy + 0.5) * scaleY - 0.5);
      int sy = (int) Math.floor(fy);
      fy -= sy;
      yofs[dy] = sy;
      beta[dy * 2] = (short) Math.rint((1.f - fy) * COEF_SCALE);
      beta[dy * 2 + 1] = (short) Math.rint(fy * COEF_SCALE);
    }
    byte[] s = src.data();
    byte[] d = new byte[dw * dh * cn];
    int rowLen = dw * cn;
    // Horizontal passes are cached per source row: consecutive output rows mostly share rows.
    int[] row0 = new int[rowLen];
    int[] row1 = new int[rowLen];
    int have0 = -1;
    int have1 = -1;
    for (int dy = 0; dy < dh; dy++) {
      int y0 = clamp(yofs[dy], sh);
      int y1 = clamp(yofs[dy] + 1, sh);
      if (y0 != have0) {
        if (y0 == have1) {
          int[] t = row0;
          row0 = row1;
          row1 = t;
          have1 = have0;
          have0 = y0;
        } else {
          hresize(s, y0 * sw * cn, cn, dw, off0, off1, a0s, a1s, row0);
          have0 = y0;
        }
      }
      if (y1 != have1) {
        hresize(s, y1 * sw * cn, cn, dw, off0, off1, a0s, a1s, row1);
        have1 = y1;
      }
      int b0 = beta[dy * 2];
      int b1 = beta[dy * 2 + 1];
      int o = dy * rowLen;
      vresize(row0, row1, b0, b1, d, o, rowLen);
    }
    return new Pixels(dw, dh, cn, d);
  }

  private static void vresize(int[] r0, int[] r1, int b0, int b1, byte[] d, int o, int n) {
    // Inputs are 0..255*2048 and weights sum to 2048, so v stays in 0..255: no clamping needed.
    for (int x = 0; x < n; x++) {
      int v = (((r0[x] * b0) >> 16) + ((r1[x] * b1) >> 16) + 2) >> 2;
      d[o + x] = (byte) v;
    }
  }

  private static int clamp(int y, int h) {
    return y < 0 ? 0 : Math.min(y, h - 1);
  }

  /**
   * One source row through the horizontal pass, stored already shifted right by 4 (the vertical
   * pass of OpenCV's SIMD kernel only uses {@code S >> 4}). {@code off0}/{@code off1} are the byte offsets
   * (within a row) of the two taps; at the right edge both point at the last pixel.
   */
  private static void hresize(byte[] s, int rowOff, int cn, int dw, int[] off0, int[] off1, int[] a0s, int[] a1s, int[] out) {
    if (cn == 3) {
      // The common case, unrolled: the JIT keeps the three channels in registers.
      for (int dx = 0, o = 0; dx < dw; dx++, o += 3) {
        int p0 = rowOff + off0[dx];
        int p1 = rowOff + off1[dx];
        int a0 = a0s[dx];
        int a1 = a1s[dx];
        out[o] = ((s[p0] & 0xff) * a0 + (s[p1] & 0xff) * a1) >> 4;
        out[o + 1] = ((s[p0 + 1] & 0xff) * a0 + (s[p1 + 1] & 0xff) * a1) >> 4;
        out[o + 2] = ((s[p0 + 2] & 0xff) * a0 + (s[p1 + 2] & 0xff) * a1) >> 4;
      }
      return;
    }
    for (int dx = 0; dx < dw; dx++) {
      int p0 = rowOff + off0[dx];
      int p1 = rowOff + off1[dx];
      int a0 = a0s[dx];
      int a1 = a1s[dx];
      int o = dx * cn;
      for (int c = 0; c < cn; c++) {
        out[o + c] = ((s[p0 + c] & 0xff) * a0 + (s[p1 + c] & 0xff) * a1) >> 4;
      }
    }
  }

  /** OpenCV's INTER_AREA fast path for an exact 2x reduction: rounded mean of each 2x2 block. */
  private static Pixels halve(Pixels src) {
    int cn = src.channels();
    int sw = src.width();
    int dw = sw / 2;
    int dh = src.height() / 2;
    byte[] s = src.data();
    byte[] d = new byte[dw * dh * cn];
    for (int y = 0; y < dh; y++) {
      int r0 = 2 * y * sw * cn;
      int r1 = r0 + sw * cn;
      for (int x = 0; x < dw; x++) {
        for (int c = 0; c < cn; c++) {
          int i = 2 * x * cn + c;
          int sum = (s[r0 + i] & 0xff) + (s[r0 + i + cn] & 0xff) + (s[r1 + i] & 0xff) + (s[r1 + i + cn] & 0xff);
          d[(y * dw + x) * cn + c] = (byte) ((sum + 2) >> 2);
        }
      }
    }
    return new Pixels(dw, dh, cn, d);
  }
}
