package io.imgclass.core.image;

/**
 * Bilinear resizing with OpenCV's {@code cv2.resize(..., INTER_LINEAR)} arithmetic for 8-bit images,
 * so that images we pack match what im2rec (OpenCV) produces: half-pixel centres
 * ({@code fx = (dx+0.5)*scale - 0.5}, computed in float), 11-bit fixed-point weights rounded with
 * {@code cvRound}, an integer horizontal pass, and the vertical pass of OpenCV's SIMD kernel
 * ({@code ((S0>>4)*b0>>16) + ((S1>>4)*b1>>16) + 2 >> 2}). OpenCV finishes each row's last few
 * samples with its scalar kernel, which rounds once instead; those samples can differ by 1.
 * An exact 2x reduction uses OpenCV's area average, as cv2.resize does.
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
    int w = src.width();
    int h = src.height();
    int nw;
    int nh;
    if (h > w) {
      nw = size;
      nh = (int) ((long) h * size / w);
    } else {
      nh = size;
      nw = (int) ((long) w * size / h);
    }
    return to(src, nw, nh);
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
    int[] xofs = new int[dw];
    short[] alpha = new short[dw * 2];
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
      xofs[dx] = sx;
      alpha[dx * 2] = (short) Math.rint((1.f - fx) * COEF_SCALE);
      alpha[dx * 2 + 1] = (short) Math.rint(fx * COEF_SCALE);
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
          hresize(s, y0 * sw * cn, cn, dw, xofs, alpha, row0, sw);
          have0 = y0;
        }
      }
      if (y1 != have1) {
        hresize(s, y1 * sw * cn, cn, dw, xofs, alpha, row1, sw);
        have1 = y1;
      }
      int b0 = beta[dy * 2];
      int b1 = beta[dy * 2 + 1];
      int o = dy * rowLen;
      for (int x = 0; x < rowLen; x++) {
        int v = (((row0[x] >> 4) * b0) >> 16) + (((row1[x] >> 4) * b1) >> 16);
        v = (v + 2) >> 2;
        d[o + x] = (byte) (v < 0 ? 0 : Math.min(v, 255));
      }
    }
    return new Pixels(dw, dh, cn, d);
  }

  private static int clamp(int y, int h) {
    return y < 0 ? 0 : Math.min(y, h - 1);
  }

  private static void hresize(
      byte[] s, int rowOff, int cn, int dw, int[] xofs, short[] alpha, int[] out, int sw) {
    for (int dx = 0; dx < dw; dx++) {
      int sx = xofs[dx];
      int a0 = alpha[dx * 2];
      int a1 = alpha[dx * 2 + 1];
      int p0 = rowOff + sx * cn;
      int p1 = sx + 1 < sw ? p0 + cn : p0;
      int o = dx * cn;
      for (int c = 0; c < cn; c++) {
        out[o + c] = (s[p0 + c] & 0xff) * a0 + (s[p1 + c] & 0xff) * a1;
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
