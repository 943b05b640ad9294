package io.imgclass.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgclass.core.image.Pixels;
import io.imgclass.core.train.TrainingHyperparameters.Augmentation;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AugmenterTest {
  /** A grey-coded RGB image whose R channel is x and G channel is y, so crops reveal their offset. */
  private static Pixels coords(int w, int h) {
    byte[] d = new byte[w * h * 3];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        d[(y * w + x) * 3] = (byte) x;
        d[(y * w + x) * 3 + 1] = (byte) y;
        d[(y * w + x) * 3 + 2] = (byte) 200;
      }
    }
    return new Pixels(w, h, 3, d);
  }

  @Test
  void validationIsACentreCropWithIntegerDivisionAndCHWLayout() {
    Augmenter a = new Augmenter(Augmentation.NONE, new int[] {3, 4, 5}, 0);
    float[] out = new float[3 * 4 * 5];
    a.apply(coords(10, 9), new SplittableRandom(1), out, 0);
    // x0 = (10-5)/2 = 2, y0 = (9-4)/2 = 2
    assertThat(out[0]).isEqualTo(2f); // R plane, (0,0) -> x=2
    assertThat(out[20]).isEqualTo(2f); // G plane, (0,0) -> y=2
    assertThat(out[40]).isEqualTo(200f); // B plane
    assertThat(out[4]).isEqualTo(6f); // R at column 4 -> x=6
    assertThat(out[20 + 3 * 5]).isEqualTo(5f); // G at row 3 -> y=5
  }

  @Test
  void randomCropCoversEveryOffsetAndMirrorsAboutHalfTheTime() {
    Augmenter a = new Augmenter(Augmentation.CROP, new int[] {3, 2, 2}, 0);
    SplittableRandom rng = new SplittableRandom(42);
    Set<String> offsets = new HashSet<>();
    int mirrored = 0;
    for (int i = 0; i < 2000; i++) {
      float[] out = new float[12];
      a.apply(coords(5, 4), rng, out, 0);
      int x0 = (int) Math.min(out[0], out[1]);
      int y0 = (int) out[4];
      offsets.add(x0 + "," + y0);
      if (out[0] > out[1]) {
        mirrored++;
      }
    }
    // x in [0, 3], y in [0, 2]: 12 positions
    assertThat(offsets).hasSize(12);
    assertThat(mirrored).isBetween(900, 1100);
  }

  @Test
  void resizeRunsFirstOnTheShorterSide() {
    Augmenter a = new Augmenter(Augmentation.NONE, new int[] {3, 8, 8}, 8);
    float[] out = new float[3 * 8 * 8];
    a.apply(coords(32, 16), new SplittableRandom(1), out, 0); // -> 16x8, centre crop x0 = 4
    assertThat(a.upscaled()).isZero();
    assertThat(out[8 * 8]).isBetween(0f, 2f); // G row 0 ~ y 0
  }

  @Test
  void smallerImagesAreScaledUpAndCounted() {
    Augmenter a = new Augmenter(Augmentation.NONE, new int[] {1, 8, 8}, 0);
    float[] out = new float[64];
    a.apply(coords(4, 6), new SplittableRandom(1), out, 0);
    assertThat(a.upscaled()).isEqualTo(1);
  }

  @Test
  void hlsRoundTripIsNearIdentity() {
    int[] hls = new int[3];
    byte[] back = new byte[3];
    SplittableRandom rng = new SplittableRandom(7);
    for (int i = 0; i < 5000; i++) {
      int r = rng.nextInt(256);
      int g = rng.nextInt(256);
      int b = rng.nextInt(256);
      Augmenter.rgbToHls(r, g, b, hls);
      assertThat(hls[0]).isBetween(0, 180);
      Augmenter.hlsToRgb(hls[0], hls[1], hls[2], back, 0);
      // 8-bit HLS quantises hue to 2 degrees: a few levels of error on saturated colours.
      assertThat(Math.abs((back[0] & 0xff) - r)).isLessThanOrEqualTo(6);
      assertThat(Math.abs((back[1] & 0xff) - g)).isLessThanOrEqualTo(6);
      assertThat(Math.abs((back[2] & 0xff) - b)).isLessThanOrEqualTo(6);
    }
    Augmenter.rgbToHls(255, 0, 0, hls);
    assertThat(hls).containsExactly(0, 128, 255);
    Augmenter.rgbToHls(0, 0, 255, hls);
    assertThat(hls).containsExactly(120, 128, 255);
  }

  /**
   * The per-pixel definition jitterHls must keep, written independently of Augmenter: OpenCV's
   * 8-bit RGB→HLS and HLS→RGB as straightforward branch ladders, the offsets clamped in between.
   */
  private static int reference(int r8, int g8, int b8, int dh, int dl, int ds) {
    float r = r8 / 255f;
    float g = g8 / 255f;
    float b = b8 / 255f;
    float vmax = Math.max(r, Math.max(g, b));
    float vmin = Math.min(r, Math.min(g, b));
    float diff = vmax - vmin;
    float l = (vmax + vmin) * 0.5f;
    float h = 0;
    float s = 0;
    if (diff > Math.ulp(1f)) {
      s = l < 0.5f ? diff / (vmax + vmin) : diff / (2 - vmax - vmin);
      float k = 60f / diff;
      if (vmax == r) {
        h = (g - b) * k;
      } else if (vmax == g) {
        h = (b - r) * k + 120;
      } else {
        h = (r - g) * k + 240;
      }
      if (h < 0) {
        h += 360;
      }
    }
    int h8 = Math.max(0, Math.min(180, Math.round(h * 0.5f) + dh));
    float l2 = Math.max(0, Math.min(255, Math.round(l * 255f) + dl)) / 255f;
    float s2 = Math.max(0, Math.min(255, Math.round(s * 255f) + ds)) / 255f;
    float[] rgb = new float[3];
    if (s2 == 0) {
      rgb[0] = rgb[1] = rgb[2] = l2;
    } else {
      float p2 = l2 <= 0.5f ? l2 * (1 + s2) : l2 + s2 - l2 * s2;
      float p1 = 2 * l2 - p2;
      float hh = (h8 * 2f) % 360;
      float[] at = {hh + 120, hh, hh - 120};
      for (int c = 0; c < 3; c++) {
        float x = at[c] >= 360 ? at[c] - 360 : at[c] < 0 ? at[c] + 360 : at[c];
        if (x < 60) {
          rgb[c] = p1 + (p2 - p1) * x / 60f;
        } else if (x < 180) {
          rgb[c] = p2;
        } else if (x < 240) {
          rgb[c] = p1 + (p2 - p1) * (240 - x) / 60f;
        } else {
          rgb[c] = p1;
        }
      }
    }
    int out = 0;
    for (int c = 0; c < 3; c++) {
      out = out << 8 | Math.round(Math.max(0, Math.min(1, rgb[c])) * 255f);
    }
    return out;
  }

  @Test
  void fastJitterEqualsThePerPixelDefinition() {
    int[][] offsets = {{0, 0, 0}, {36, -50, 50}, {-36, 50, -50}, {17, -3, 22}, {-1, 1, -49}};
    for (int[] o : offsets) {
      // Every 7th of the 2^24 colours, so every hue sector and clamping case is visited: one
      // "image" of all of them, each pixel a new colour.
      int first = o[0] & 3;
      byte[] all = new byte[3 * ((((1 << 24) - first) + 6) / 7)];
      for (int c = first, i = 0; c < 1 << 24; c += 7, i += 3) {
        all[i] = (byte) (c >>> 16);
        all[i + 1] = (byte) (c >>> 8);
        all[i + 2] = (byte) c;
      }
      Augmenter.jitterHls(all, 3, o[0], o[1], o[2]);
      for (int c = first, i = 0; c < 1 << 24; c += 7, i += 3) {
        int want = reference(c >>> 16, (c >>> 8) & 0xff, c & 0xff, o[0], o[1], o[2]);
        int got = (all[i] & 0xff) << 16 | (all[i + 1] & 0xff) << 8 | (all[i + 2] & 0xff);
        if (got != want) {
          throw new AssertionError(String.format("colour %06x offsets %s: %06x, want %06x", c, java.util.Arrays.toString(o), got, want));
        }
      }
    }
    // And through the cache, on an image that repeats colours (and collides in the table).
    SplittableRandom rng = new SplittableRandom(3);
    byte[] img = new byte[3 * 20_000];
    for (int i = 0; i < img.length; i += 3) {
      int c = rng.nextInt(6) == 0 ? rng.nextInt(1 << 24) : (i / 3 % 50) * 0x010203;
      img[i] = (byte) (c >>> 16);
      img[i + 1] = (byte) (c >>> 8);
      img[i + 2] = (byte) c;
    }
    byte[] jittered = img.clone();
    Augmenter.jitterHls(jittered, 3, 20, -30, 40);
    for (int i = 0; i < img.length; i += 3) {
      int want = reference(img[i] & 0xff, img[i + 1] & 0xff, img[i + 2] & 0xff, 20, -30, 40);
      int got = (jittered[i] & 0xff) << 16 | (jittered[i + 1] & 0xff) << 8 | (jittered[i + 2] & 0xff);
      assertThat(got).as("pixel %d", i / 3).isEqualTo(want);
    }
  }

  @Test
  void lightnessJitterBrightens() {
    byte[] px = {100, 100, 100};
    Augmenter.jitterHls(px, 3, 0, 50, 0);
    assertThat(px[0] & 0xff).isEqualTo(150);
  }

  @Test
  void identityAffineKeepsTheImageAndRotationFillsCorners() {
    Pixels p = coords(20, 10);
    Pixels same = Augmenter.warpAffine(p, new double[] {1, 0, 0, 1});
    assertThat(same.data()).containsExactly(p.data());
    double a = Math.cos(Math.toRadians(10));
    double b = Math.sin(Math.toRadians(10));
    Pixels rot = Augmenter.warpAffine(p, new double[] {a, b, -b, a});
    assertThat(rot.get(0, 0, 2)).isLessThan(200); // a corner left the source: blended with the fill
    assertThat(rot.get(10, 5, 2)).isEqualTo(200); // the centre stays inside
  }
}
