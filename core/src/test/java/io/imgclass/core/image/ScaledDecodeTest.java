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
class ScaledDecodeTest {
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

  static Path jpeg(Path dir, String name, int w, int h) throws Exception {
    Path f = dir.resolve(name);
    ImageIO.write(smooth(w, h), "jpeg", f.toFile());
    return f;
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
