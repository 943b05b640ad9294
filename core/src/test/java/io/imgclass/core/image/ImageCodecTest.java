package io.imgclass.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageCodecTest {
  @TempDir Path tmp;

  private static byte[] png(java.awt.image.BufferedImage img) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    ImageIO.write(img, "png", b);
    return b.toByteArray();
  }

  @Test
  void rgbPngRoundTripsExactly() throws Exception {
    var img = TestImages.rgb(7, 5, 1);
    Pixels p = ImageCodec.decode(png(img), ColorMode.COLOR);
    assertThat(p.channels()).isEqualTo(3);
    int argb = img.getRGB(3, 2);
    assertThat(p.get(3, 2, 0)).isEqualTo((argb >> 16) & 0xff);
    assertThat(p.get(3, 2, 1)).isEqualTo((argb >> 8) & 0xff);
    assertThat(p.get(3, 2, 2)).isEqualTo(argb & 0xff);
    Pixels back = ImageCodec.decode(ImageCodec.encode(p, Encoding.PNG, 3), ColorMode.COLOR);
    assertThat(back.data()).isEqualTo(p.data());
  }

  @Test
  void sixteenBitGreyKeepsTheHighByteWithoutGammaChange() throws Exception {
    byte[] bytes = png(TestImages.grey16(9, 4));
    Pixels grey = ImageCodec.decode(bytes, ColorMode.UNCHANGED);
    assertThat(grey.channels()).isEqualTo(1);
    assertThat(grey.get(5, 3, 0)).isEqualTo(11);
    Pixels color = ImageCodec.decode(bytes, ColorMode.COLOR);
    assertThat(color.channels()).isEqualTo(3);
    assertThat(color.get(5, 3, 0)).isEqualTo(11);
    assertThat(color.get(5, 3, 2)).isEqualTo(11);
  }

  @Test
  void paletteAndAlphaPngs() throws Exception {
    Pixels pal = ImageCodec.decode(png(TestImages.palette(6, 3)), ColorMode.COLOR);
    assertThat(new int[] {pal.get(3, 0, 0), pal.get(3, 0, 1), pal.get(3, 0, 2)}).containsExactly(200, 100, 50);
    byte[] rgba = png(TestImages.rgba(8, 2));
    Pixels keep = ImageCodec.decode(rgba, ColorMode.UNCHANGED);
    assertThat(keep.channels()).isEqualTo(4);
    assertThat(keep.get(5, 1, 3)).isEqualTo(5);
    Pixels drop = ImageCodec.decode(rgba, ColorMode.COLOR);
    // OpenCV's IMREAD_COLOR drops alpha without blending.
    assertThat(new int[] {drop.get(5, 1, 0), drop.get(5, 1, 1), drop.get(5, 1, 2)}).containsExactly(10, 20, 30);
    Pixels grey = ImageCodec.decode(rgba, ColorMode.GRAY);
    assertThat(grey.channels()).isEqualTo(1);
    assertThat(grey.get(0, 0, 0)).isEqualTo((30 * 1868 + 20 * 9617 + 10 * 4899 + 8192) >> 14);
  }

  @Test
  void cmykJpegDecodes() throws Exception {
    // cmyk.jpg: 16x16 solid colour, Adobe CMYK, written by make_cmyk_fixtures.py (PIL) beside them.
    for (String name : new String[] {"cmyk.jpg"}) {
      byte[] b;
      try (InputStream in = getClass().getResourceAsStream(name)) {
        b = in.readAllBytes();
      }
      Pixels p = ImageCodec.decode(b, ColorMode.COLOR);
      assertThat(p.width()).isEqualTo(16);
      assertThat(p.channels()).isEqualTo(3);
      // PIL's fixture is RGB (200, 40, 90) converted to CMYK; allow JPEG + conversion error.
      assertThat(p.get(8, 8, 0)).isBetween(170, 230);
      assertThat(p.get(8, 8, 1)).isBetween(10, 70);
      assertThat(p.get(8, 8, 2)).isBetween(60, 120);
    }
  }

  @Test
  void badBytesGiveShortReasons() throws Exception {
    assertThatThrownBy(() -> ImageCodec.decode(new byte[0], ColorMode.COLOR)).hasMessage("empty file (0 bytes)");
    assertThatThrownBy(() -> ImageCodec.decode("hello".getBytes(), ColorMode.COLOR)).hasMessage("not a recognised image format");
    byte[] jpg = Files.readAllBytes(TestImages.jpeg(tmp.resolve("a.jpg"), 64, 48, 3));
    byte[] cut = java.util.Arrays.copyOf(jpg, 200);
    assertThatThrownBy(() -> ImageCodec.decode(cut, ColorMode.COLOR))
        .isInstanceOf(ImageDecodeException.class).hasMessageStartingWith("cannot decode");
  }

  @Test
  void jpegEncodeKeepsSizeAndIsClose() throws Exception {
    Pixels p = ImageCodec.decode(png(TestImages.rgb(40, 30, 2)), ColorMode.COLOR);
    byte[] jpg = ImageCodec.encode(p, Encoding.JPG, 95);
    assertThat(jpg[0] & 0xff).isEqualTo(0xFF);
    assertThat(jpg[1] & 0xff).isEqualTo(0xD8);
    Pixels back = ImageCodec.decode(jpg, ColorMode.COLOR);
    assertThat(back.width()).isEqualTo(40);
    assertThat(back.height()).isEqualTo(30);
    assertThat(Math.abs(back.get(20, 15, 1) - p.get(20, 15, 1))).isLessThan(20);
  }

  @Test
  void centerCropUsesFloorMargin() {
    byte[] d = new byte[5 * 2];
    for (int i = 0; i < d.length; i++) {
      d[i] = (byte) i;
    }
    Pixels c = new Pixels(5, 2, 1, d).centerCrop();
    assertThat(c.width()).isEqualTo(2);
    assertThat(c.data()).containsExactly(1, 2, 6, 7);
  }
}
