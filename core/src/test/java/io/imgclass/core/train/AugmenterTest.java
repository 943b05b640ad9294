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
