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

  /** rgbToHls, offsets with clamping, hlsToRgb: the per-pixel definition jitterHls must keep. */
  private static int reference(int r, int g, int b, int dh, int dl, int ds) {
    int[] hls = new int[3];
    byte[] out = new byte[3];
    Augmenter.rgbToHls(r, g, b, hls);
    Augmenter.hlsToRgb(Math.max(0, Math.min(180, hls[0] + dh)), Math.max(0, Math.min(255, hls[1] + dl)),
        Math.max(0, Math.min(255, hls[2] + ds)), out, 0);
    return (out[0] & 0xff) << 16 | (out[1] & 0xff) << 8 | (out[2] & 0xff);
  }

  @Test
  void fastJitterEqualsThePerPixelDefinition() {
    int[][] offsets = {{0, 0, 0}, {36, -50, 50}, {-36, 50, -50}, {17, -3, 22}, {-1, 1, -49}};
    for (int[] o : offsets) {
      // Every 7th of the 2^24 colours, so every hue sector and clamping case is visited.
      for (int c = o[0] & 3; c < 1 << 24; c += 7) {
        int want = reference(c >>> 16, (c >>> 8) & 0xff, c & 0xff, o[0], o[1], o[2]);
        int got = Augmenter.jitterOne(c >>> 16, (c >>> 8) & 0xff, c & 0xff, o[0], o[1], o[2]);
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
