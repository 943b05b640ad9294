package io.imgclass.core.infer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imgclass.core.UsageException;
import io.imgclass.core.image.ColorMode;
import io.imgclass.core.image.ImageCodec;
import io.imgclass.core.image.Pixels;
import io.imgclass.core.image.Resize;
import io.imgclass.core.model.ImageShape;
import org.junit.jupiter.api.Test;

/** Stretch (SageMaker's endpoint) versus centre crop (validation): where each output pixel comes from. */
class PreprocessingTest {
  /** A 60x30 image whose red channel encodes x (4 per column) and green channel y (8 per row). */
  private static Pixels ramp() {
    int w = 60;
    int h = 30;
    byte[] d = new byte[w * h * 3];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = (y * w + x) * 3;
        d[i] = (byte) (x * 4);
        d[i + 1] = (byte) (y * 8);
        d[i + 2] = (byte) 77;
      }
    }
    return new Pixels(w, h, 3, d);
  }

  private static float at(float[] chw, ImageShape s, int c, int y, int x) {
    return chw[c * s.height() * s.width() + y * s.width() + x];
  }

  @Test
  void stretchSqueezesTheWholeImageIntoTheShape() {
    ImageShape s = new ImageShape(3, 10, 10);
    float[] out = new float[s.size()];
    Preprocessing.stretch(s).apply(ramp(), out, 0);
    Pixels expected = Resize.to(ramp(), 10, 10);
    for (int y = 0; y < 10; y++) {
      for (int x = 0; x < 10; x++) {
        for (int c = 0; c < 3; c++) {
          assertThat(at(out, s, c, y, x)).isEqualTo((float) expected.get(x, y, c));
        }
      }
    }
    // Nothing is cut off: the first column samples source x ~ 2.5, the last ~ 56.5 (scale 6).
    assertThat(at(out, s, 0, 5, 0)).isEqualTo(10f);
    assertThat(at(out, s, 0, 5, 9)).isEqualTo(226f);
    // Rows: scale 3, so row 0 samples source y ~ 1 (green 8) and row 9 source y ~ 28 (green 224).
    assertThat(at(out, s, 1, 0, 5)).isEqualTo(8f);
    assertThat(at(out, s, 1, 9, 5)).isEqualTo(224f);
  }

  @Test
  void centerCropResizesTheShorterSideAndCutsTheMiddle() {
    ImageShape s = new ImageShape(3, 10, 10);
    float[] out = new float[s.size()];
    new Preprocessing(Preprocessing.Kind.CENTER_CROP, 10, s).apply(ramp(), out, 0);
    Pixels resized = Resize.shorterSide(ramp(), 10); // 20x10
    assertThat(resized.width()).isEqualTo(20);
    for (int y = 0; y < 10; y++) {
      for (int x = 0; x < 10; x++) {
        assertThat(at(out, s, 0, y, x)).isEqualTo((float) resized.get(x + 5, y, 0));
        assertThat(at(out, s, 1, y, x)).isEqualTo((float) resized.get(x + 5, y, 1));
      }
    }
    // The left and right quarters are gone: column 0 samples source x ~ 16 (red 64), not ~ 2.5.
    assertThat(at(out, s, 0, 5, 0)).isEqualTo(64f);
  }

  @Test
  void centerCropWithoutResizeCropsAtFullResolution() {
    ImageShape s = new ImageShape(3, 10, 20);
    float[] out = new float[s.size()];
    new Preprocessing(Preprocessing.Kind.CENTER_CROP, 0, s).apply(ramp(), out, 0);
    // Offsets ((30-10)/2, (60-20)/2) = (10, 20): pixel values pass through unresampled.
    assertThat(at(out, s, 0, 0, 0)).isEqualTo(80f);
    assertThat(at(out, s, 1, 0, 0)).isEqualTo(80f);
    assertThat(at(out, s, 0, 9, 19)).isEqualTo(156f);
    assertThat(at(out, s, 2, 3, 3)).isEqualTo(77f);
  }

  @Test
  void greyModelsDecodeGrey() throws Exception {
    ImageShape s = new ImageShape(1, 8, 8);
    byte[] png = InferFixtures.png(16, 16, 3);
    float[] out = Preprocessing.stretch(s).apply(png);
    Pixels grey = Resize.to(ImageCodec.decode(png, ColorMode.GRAY), 8, 8);
    for (int i = 0; i < 64; i++) {
      assertThat(out[i]).isEqualTo((float) (grey.data()[i] & 0xff));
    }
  }

  @Test
  void resizeOnlyWithCenterCrop() {
    assertThatThrownBy(() -> new Preprocessing(Preprocessing.Kind.STRETCH, 10, new ImageShape(3, 8, 8)))
        .isInstanceOf(UsageException.class).hasMessage("--resize only applies to --preprocess center-crop");
    assertThat(Preprocessing.Kind.parse("center-crop")).isEqualTo(Preprocessing.Kind.CENTER_CROP);
  }
}
