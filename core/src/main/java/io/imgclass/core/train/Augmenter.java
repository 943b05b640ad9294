package io.imgclass.core.train;

import io.imgclass.core.image.Pixels;
import io.imgclass.core.image.Resize;
import java.util.SplittableRandom;

/**
 * The training and validation image pipeline of SageMaker's algorithm, which runs MXNet's
 * {@code ImageRecordIter} default augmenter ({@code src/io/image_aug_default.cc}) with the
 * parameters {@code set_data_aug_level} picks for each augmentation_type (spec §4.3), in its order:
 * shorter-side resize, random affine, crop, hue/lightness/saturation jitter, mirror.
 *
 * <ul>
 *   <li>no augmentation, and validation: a centre crop of image_shape at {@code ((H-h)/2, (W-w)/2)}.
 *   <li>{@code crop}: a uniformly random crop position and a horizontal flip with p = 0.5.
 *   <li>{@code crop_color}: plus random offsets in [-36, 36] for hue (OpenCV's 0..180 scale) and
 *       [-50, 50] for lightness and saturation (0..255), clamped, as MXNet does per pixel in HLS.
 *   <li>{@code crop_color_transform}: plus, before cropping, a random rotation (integer degrees in
 *       [-10, 10]), shear in [-0.1, 0.1] and aspect ratio in [0.75, 1.25], applied by bilinear
 *       warpAffine keeping the image centred, with a constant border of 127 (the fill_value of MXNet's
 *       example; the iterator's own default, 255, would paint white corners).
 * </ul>
 *
 * An image smaller than image_shape after resizing is scaled up (shorter side to fit), as
 * open-source MXNet does, instead of failing the job as SageMaker's documentation says; {@link
 * #upscaled()} counts how often that happened so the trainer can report it.
 *
 * <p>Output is raw 0–255 values in CHW float order, RGB (or grey): the network's {@code bn_data}
 * normalises, so no mean or standard deviation is applied here (spec §4.4).
 */
public final class Augmenter {
  /** Border value for warpAffine. */
  public static final int FILL_VALUE = 127;
  private static final int MAX_ROTATE = 10;
  private static final double MAX_SHEAR = 0.1;
  private static final double MAX_ASPECT = 0.25;
  private static final int RANDOM_H = 36;
  private static final int RANDOM_S = 50;
  private static final int RANDOM_L = 50;

  private final TrainingHyperparameters.Augmentation type;
  private final int channels;
  private final int height;
  private final int width;
  private final int resize;
  private final java.util.concurrent.atomic.AtomicLong upscaled = new java.util.concurrent.atomic.AtomicLong();

  /**
   * @param type the augmentation; {@code NONE} for validation
   * @param shape {@code [c, h, w]}
   * @param resize shorter side to resize to first, or 0 for none
   */
  public Augmenter(TrainingHyperparameters.Augmentation type, int[] shape, int resize) {
    this.type = type;
    this.channels = shape[0];
    this.height = shape[1];
    this.width = shape[2];
    this.resize = resize;
  }

  /** How many images had to be scaled up to reach image_shape. */
  public long upscaled() {
    return upscaled.get();
  }

  /**
   * Runs the pipeline on one decoded image and writes {@code c·h·w} floats to {@code out} at
   * {@code offset}. {@code rng} is the caller's (one per worker, seeded) so runs are repeatable.
   */
  public void apply(Pixels img, SplittableRandom rng, float[] out, int offset) {
    Pixels p = img;
    if (resize > 0) {
      p = Resize.shorterSide(p, resize);
    }
    if (type.affine()) {
      p = affine(p, rng);
    }
    if (p.width() < width || p.height() < height) {
      upscaled.incrementAndGet();
      double s = Math.max((double) width / p.width(), (double) height / p.height());
      p = Resize.to(p, Math.max(width, (int) Math.ceil(p.width() * s)), Math.max(height, (int) Math.ceil(p.height() * s)));
    }
    int x0;
    int y0;
    if (type.randomCrop()) {
      x0 = rng.nextInt(p.width() - width + 1);
      y0 = rng.nextInt(p.height() - height + 1);
    } else {
      x0 = (p.width() - width) / 2;
      y0 = (p.height() - height) / 2;
    }
    byte[] crop = crop(p, x0, y0);
    if (type.colorJitter() && p.channels() >= 3) {
      int dh = (int) (rng.nextDouble() * RANDOM_H * 2 - RANDOM_H);
      int ds = (int) (rng.nextDouble() * RANDOM_S * 2 - RANDOM_S);
      int dl = (int) (rng.nextDouble() * RANDOM_L * 2 - RANDOM_L);
      jitterHls(crop, p.channels(), dh, dl, ds);
    }
    boolean mirror = type.randomCrop() && rng.nextBoolean();
    toChw(crop, p.channels(), mirror, out, offset);
  }

  private byte[] crop(Pixels p, int x0, int y0) {
    int cn = p.channels();
    byte[] outBytes = new byte[width * height * cn];
    for (int y = 0; y < height; y++) {
      System.arraycopy(p.data(), ((y0 + y) * p.width() + x0) * cn, outBytes, y * width * cn, width * cn);
    }
    return outBytes;
  }

  /** HWC bytes (1, 3 or 4 channels) to CHW floats with image_shape's channel count. */
  private void toChw(byte[] hwc, int cn, boolean mirror, float[] out, int offset) {
    int plane = width * height;
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int sx = mirror ? width - 1 - x : x;
        int si = (y * width + sx) * cn;
        int di = offset + y * width + x;
        if (channels == 1) {
          out[di] = cn == 1 ? hwc[si] & 0xff : grey(hwc, si);
        } else if (cn == 1) {
          float v = hwc[si] & 0xff;
          out[di] = v;
          out[di + plane] = v;
          out[di + 2 * plane] = v;
        } else {
          out[di] = hwc[si] & 0xff;
          out[di + plane] = hwc[si + 1] & 0xff;
          out[di + 2 * plane] = hwc[si + 2] & 0xff;
        }
      }
    }
  }

  private static float grey(byte[] rgb, int i) {
    // OpenCV's RGB2GRAY weights, rounded as cvtColor does for 8-bit.
    return Math.round(0.299f * (rgb[i] & 0xff) + 0.587f * (rgb[i + 1] & 0xff) + 0.114f * (rgb[i + 2] & 0xff));
  }

  /** MXNet's affine step: rotation, shear and aspect ratio about the centre, bilinear, border 127. */
  Pixels affine(Pixels p, SplittableRandom rng) {
    double s = rng.nextDouble() * MAX_SHEAR * 2 - MAX_SHEAR;
    int angle = rng.nextInt(MAX_ROTATE * 2 + 1) - MAX_ROTATE;
    double a = Math.cos(angle / 180.0 * Math.PI);
    double b = Math.sin(angle / 180.0 * Math.PI);
    double ratio = rng.nextDouble() * MAX_ASPECT * 2 - MAX_ASPECT + 1;
    double hs = 2.0 / (1 + ratio);
    double ws = ratio * hs;
    return warpAffine(p, new double[] {hs * a - s * b * ws, hs * b + s * a * ws, -b * ws, a * ws});
  }

  /**
   * Applies the linear part {@code [m00 m01; m10 m11]} with the translation MXNet chooses (keeps
   * the image centred in an output of the same size), sampling the source bilinearly through the
   * inverse map as OpenCV's warpAffine does.
   */
  static Pixels warpAffine(Pixels p, double[] m) {
    int w = p.width();
    int h = p.height();
    int cn = p.channels();
    double tx = (w - (m[0] * w + m[1] * h)) / 2;
    double ty = (h - (m[2] * w + m[3] * h)) / 2;
    double det = m[0] * m[3] - m[1] * m[2];
    double i00 = m[3] / det;
    double i01 = -m[1] / det;
    double i10 = -m[2] / det;
    double i11 = m[0] / det;
    byte[] src = p.data();
    byte[] dst = new byte[w * h * cn];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double dx = x - tx;
        double dy = y - ty;
        double sx = i00 * dx + i01 * dy;
        double sy = i10 * dx + i11 * dy;
        int x0 = (int) Math.floor(sx);
        int y0 = (int) Math.floor(sy);
        double fx = sx - x0;
        double fy = sy - y0;
        for (int c = 0; c < cn; c++) {
          double v00 = sample(src, w, h, cn, x0, y0, c);
          double v01 = sample(src, w, h, cn, x0 + 1, y0, c);
          double v10 = sample(src, w, h, cn, x0, y0 + 1, c);
          double v11 = sample(src, w, h, cn, x0 + 1, y0 + 1, c);
          double v = (v00 * (1 - fx) + v01 * fx) * (1 - fy) + (v10 * (1 - fx) + v11 * fx) * fy;
          dst[(y * w + x) * cn + c] = (byte) Math.max(0, Math.min(255, (int) Math.round(v)));
        }
      }
    }
    return new Pixels(w, h, cn, dst);
  }

  private static double sample(byte[] src, int w, int h, int cn, int x, int y, int c) {
    if (x < 0 || y < 0 || x >= w || y >= h) {
      return FILL_VALUE;
    }
    return src[(y * w + x) * cn + c] & 0xff;
  }

  /** Slots of jitterHls's colour cache (a power of two). */
  private static final int JITTER_CACHE = 4096;

  /** {@code i / 255f}, the same floats the division gives. */
  private static final float[] UNIT = new float[256];

  static {
    for (int i = 0; i < 256; i++) {
      UNIT[i] = i / 255f;
    }
  }

  /**
   * Adds the offsets to every pixel in OpenCV's 8-bit HLS space (H 0..180, L and S 0..255), clamps,
   * and converts back, as MXNet's augmenter does.
   *
   * <p>The result of a colour depends only on the colour, and neighbouring pixels repeat colours
   * (68 % of the pixels of a 224x224 crop of bench-photo-jpeg hit), so results are kept in a small
   * direct-mapped table: 1.6x faster than converting every pixel (docs/benchmarks.md, train).
   */
  static void jitterHls(byte[] rgb, int cn, int dh, int dl, int ds) {
    int[] keys = new int[JITTER_CACHE];
    int[] vals = new int[JITTER_CACHE];
    java.util.Arrays.fill(keys, -1);
    int[] hls = new int[3];
    byte[] out = new byte[3];
    for (int i = 0; i + 2 < rgb.length; i += cn) {
      int key = (rgb[i] & 0xff) << 16 | (rgb[i + 1] & 0xff) << 8 | (rgb[i + 2] & 0xff);
      int slot = (key * 0x9E3779B1) >>> 20; // Fibonacci hashing: the top 12 bits
      if (keys[slot] == key) {
        int v = vals[slot];
        rgb[i] = (byte) (v >>> 16);
        rgb[i + 1] = (byte) (v >>> 8);
        rgb[i + 2] = (byte) v;
        continue;
      }
      rgbToHls(key >>> 16, (key >>> 8) & 0xff, key & 0xff, hls);
      hlsToRgb(Math.max(0, Math.min(180, hls[0] + dh)), Math.max(0, Math.min(255, hls[1] + dl)),
          Math.max(0, Math.min(255, hls[2] + ds)), rgb, i);
      keys[slot] = key;
      vals[slot] = (rgb[i] & 0xff) << 16 | (rgb[i + 1] & 0xff) << 8 | (rgb[i + 2] & 0xff);
    }
  }

  /**
   * OpenCV's RGB→HLS for 8-bit: H in 0..180 (degrees / 2), L and S in 0..255. The hue sector is
   * chosen by selects rather than a branch ladder: hue is unpredictable from pixel to pixel.
   */
  static void rgbToHls(int r8, int g8, int b8, int[] out) {
    float r = UNIT[r8];
    float g = UNIT[g8];
    float b = UNIT[b8];
    float vmax = Math.max(r, Math.max(g, b));
    float vmin = Math.min(r, Math.min(g, b));
    float diff = vmax - vmin;
    float l = (vmax + vmin) * 0.5f;
    float h = 0;
    float s = 0;
    if (diff > Math.ulp(1f)) {
      s = l < 0.5f ? diff / (vmax + vmin) : diff / (2 - vmax - vmin);
      float k = 60f / diff;
      float hr = (g - b) * k;
      float hg = (b - r) * k + 120;
      float hb = (r - g) * k + 240;
      h = vmax == r ? hr : (vmax == g ? hg : hb);
      if (h < 0) {
        h += 360;
      }
    }
    out[0] = Math.round(h * 0.5f);
    out[1] = Math.round(l * 255f);
    out[2] = Math.round(s * 255f);
  }

  /** OpenCV's HLS→RGB for 8-bit (h 0..180, l and s 0..255), written to {@code out[at..at+2]}. */
  static void hlsToRgb(int h8, int l8, int s8, byte[] out, int at) {
    float l = UNIT[l8];
    float s = UNIT[s8];
    float r;
    float g;
    float b;
    if (s == 0) {
      r = g = b = l;
    } else {
      float p2 = l <= 0.5f ? l * (1 + s) : l + s - l * s;
      float p1 = 2 * l - p2;
      float h = (h8 * 2f) % 360;
      r = hueToChannel(p1, p2, h + 120);
      g = hueToChannel(p1, p2, h);
      b = hueToChannel(p1, p2, h - 120);
    }
    out[at] = (byte) Math.round(Math.max(0, Math.min(1, r)) * 255f);
    out[at + 1] = (byte) Math.round(Math.max(0, Math.min(1, g)) * 255f);
    out[at + 2] = (byte) Math.round(Math.max(0, Math.min(1, b)) * 255f);
  }

  /** One channel of HLS→RGB: the rising ramp below 60 degrees, p2 up to 180, the falling ramp to 240, p1 beyond. */
  private static float hueToChannel(float p1, float p2, float h) {
    h = h >= 360 ? h - 360 : (h < 0 ? h + 360 : h);
    float x = Math.min(h, 240 - h); // h below 120, else 240 - h
    float ramp = p1 + (p2 - p1) * x / 60f;
    return h >= 60 && h < 180 ? p2 : (x <= 0 ? p1 : ramp);
  }
}
