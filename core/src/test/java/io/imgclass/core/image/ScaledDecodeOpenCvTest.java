package io.imgclass.core.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --scaled-decode}: the reduction chosen, output sizes equal to the full decode's, pixels
 * within a stated distance of the full decode's, and no change at all below twice the target.
 */
class ScaledDecodeOpenCvTest {
  @TempDir Path tmp;

  /**
   * A photo-like but band-limited picture: smooth colour fields plus a few slow waves (a noise
   * image would alias differently under any two downscalers and prove nothing).
   */
  static BufferedImage smooth(int w, int h) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double u = x / (double) w;
        double v = y / (double) h;
        int r = (int) (128 + 100 * Math.sin(2 * Math.PI * (1.5 * u + 0.5 * v)));
        int g = (int) (128 + 90 * Math.cos(2 * Math.PI * (2 * v - u)));
        int b = (int) (40 + 170 * u * v + 30 * Math.sin(2 * Math.PI * 3 * u));
        img.setRGB(x, y, (r << 16) | (g << 8) | b);
      }
    }
    return img;
  }

  private Path jpeg(String name, int w, int h) throws Exception {
    Path f = tmp.resolve(name);
    ImageIO.write(smooth(w, h), "jpeg", f.toFile());
    return f;
  }

  @Test
  void picksTheLargestReductionNotBelowTheTarget() {
    assertThat(ScaledDecode.denominator(4032, 3024, 256)).isEqualTo(8); // 3024 >= 8 * 256 = 2048
    assertThat(ScaledDecode.denominator(3024, 4032, 400)).isEqualTo(4); // 3024 < 3200
    assertThat(ScaledDecode.denominator(1000, 512, 256)).isEqualTo(2);
    assertThat(ScaledDecode.denominator(1000, 511, 256)).isEqualTo(1); // not twice the target
    assertThat(ScaledDecode.denominator(500, 375, 256)).isEqualTo(1);
    assertThat(ScaledDecode.denominator(4032, 3024, 0)).isEqualTo(1); // no resize
    assertThat(ScaledDecode.scaled(4033, 8)).isEqualTo(505);
  }

  /** Mean and max absolute difference of two equal-sized images, as {mean, max}. */
  static double[] difference(Pixels a, Pixels b) {
    assertThat(new int[] {b.width(), b.height(), b.channels()}).containsExactly(a.width(), a.height(), a.channels());
    long sum = 0;
    int max = 0;
    for (int i = 0; i < a.data().length; i++) {
      int d = Math.abs((a.data()[i] & 0xff) - (b.data()[i] & 0xff));
      sum += d;
      max = Math.max(max, d);
    }
    return new double[] {sum / (double) a.data().length, max};
  }

  @Test
  void nativeTranscoderEndsAtTheSameSizeWithNearPixels() throws Exception {
    if (!JpegTranscoder.available() && "true".equals(System.getenv("CI"))) {
      throw new AssertionError("CI=true but libturbojpeg / libopencv_imgproc are missing (libturbojpeg0, python3-opencv)");
    }
    Assumptions.assumeTrue(JpegTranscoder.available(), "no libturbojpeg + libopencv_imgproc");
    // 1/8 (landscape), 1/4 (portrait, odd sizes: the last DCT block is partial), 1/2 with a crop.
    Object[][] cases = {{1601, 1203, 96, false}, {999, 1401, 110, false}, {900, 700, 300, true}};
    try (JpegTranscoder full = JpegTranscoder.open(false); JpegTranscoder scaled = JpegTranscoder.open(true)) {
      for (Object[] c : cases) {
        int w = (int) c[0];
        int h = (int) c[1];
        int target = (int) c[2];
        boolean crop = (boolean) c[3];
        Path f = jpeg("n" + w + ".jpg", w, h);
        byte[] a = full.transcode(f, ColorMode.COLOR, crop, target, 95, 0);
        byte[] b = scaled.transcode(f, ColorMode.COLOR, crop, target, 95, 0);
        assertThat(a).isNotEqualTo(b); // the scaled path really ran
        Pixels pa = ImageCodec.decode(a, ColorMode.COLOR);
        Pixels pb = ImageCodec.decode(b, ColorMode.COLOR);
        int[] want = crop ? new int[] {target, target} : Resize.shorterSideDims(w, h, target);
        assertThat(new int[] {pa.width(), pa.height()}).containsExactly(want[0], want[1]);
        double[] d = difference(pa, pb);
        // Stated bound (docs/im2rec.md): mean <= 2 levels, max <= 24 on smooth content.
        assertThat(d[0]).as("mean, %dx%d -> %d", w, h, target).isLessThanOrEqualTo(2.0);
        assertThat(d[1]).as("max, %dx%d -> %d", w, h, target).isLessThanOrEqualTo(24);
      }
      // Below twice the target nothing changes: the default path's exact bytes.
      Path small = jpeg("small.jpg", 500, 375);
      assertThat(scaled.transcode(small, ColorMode.COLOR, false, 256, 95, 24))
          .isEqualTo(full.transcode(small, ColorMode.COLOR, false, 256, 95, 24));
    }
  }

  @Test
  void imageIoFallbackSubsamplesToTheReducedSize() throws Exception {
    Path f = jpeg("j.jpg", 1203, 801);
    byte[] bytes = Files.readAllBytes(f);
    ScaledDecode.Decoded d = ScaledDecode.decodeImageIo(bytes, ColorMode.COLOR, 150);
    assertThat(d).isNotNull();
    assertThat(new int[] {d.fullWidth(), d.fullHeight()}).containsExactly(1203, 801);
    // 801 >= 4 * 150 but < 8 * 150: every 4th pixel of every 4th row, ceil(1203/4) x ceil(801/4).
    assertThat(new int[] {d.pixels().width(), d.pixels().height()}).containsExactly(301, 201);
    Pixels fullPx = ImageCodec.decodeImageIo(bytes, ColorMode.COLOR);
    Pixels a = Resize.to(fullPx, 225, 150);
    Pixels b = Resize.to(d.pixels(), 225, 150);
    double[] diff = difference(a, b);
    assertThat(diff[0]).isLessThanOrEqualTo(2.0);
    assertThat(diff[1]).isLessThanOrEqualTo(24);
    // Not a JPEG, or too small: the general path decides (null here).
    assertThat(ScaledDecode.decodeImageIo(bytes, ColorMode.COLOR, 500)).isNull();
  }

  @Test
  void turboFallbackDecodesAtTheReducedSize() throws Exception {
    if (!TurboJpeg.available() && "true".equals(System.getenv("CI"))) {
      throw new AssertionError("libturbojpeg.so.0 not found (CI must install libturbojpeg0)");
    }
    Assumptions.assumeTrue(TurboJpeg.available(), "libturbojpeg0 is not installed");
    byte[] bytes = Files.readAllBytes(jpeg("t.jpg", 1203, 801));
    ScaledDecode.Decoded d = ScaledDecode.decode(bytes, ColorMode.GRAY, 100);
    assertThat(new int[] {d.pixels().width(), d.pixels().height(), d.pixels().channels()}).containsExactly(151, 101, 1);
    Pixels full = ImageCodec.decode(bytes, ColorMode.GRAY);
    double[] diff = difference(Resize.to(full, 150, 100), Resize.to(d.pixels(), 150, 100));
    assertThat(diff[0]).isLessThanOrEqualTo(2.0);
  }
}
