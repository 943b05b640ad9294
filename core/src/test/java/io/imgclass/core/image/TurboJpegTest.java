package io.imgclass.core.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** libjpeg-turbo and ImageIO must agree, so the fast path changes speed, not pixels. */
class TurboJpegTest {
  @TempDir Path tmp;

  @BeforeEach
  void needsLibrary() {
    io.imgclass.core.testing.TestRequirement.require(TurboJpeg.available(), "libturbojpeg.so.0 not found (Debian package libturbojpeg0)");
  }

  @Test
  void decodesLikeImageIo() throws Exception {
    byte[] jpg = Files.readAllBytes(TestImages.jpeg(tmp.resolve("a.jpg"), 61, 47, 5));
    for (ColorMode mode : ColorMode.values()) {
      Pixels fast = TurboJpeg.decode(jpg, mode);
      Pixels slow = ImageCodec.decodeImageIo(jpg, mode);
      assertThat(fast).as(mode.name()).isNotNull();
      assertThat(fast.channels()).isEqualTo(slow.channels());
      int max = 0;
      long sum = 0;
      for (int i = 0; i < fast.data().length; i++) {
        int d = Math.abs((fast.data()[i] & 0xff) - (slow.data()[i] & 0xff));
        max = Math.max(max, d);
        sum += d;
      }
      if (mode == ColorMode.GRAY) {
        // libjpeg outputs the luma it stored (as OpenCV's IMREAD_GRAYSCALE does); the ImageIO path
        // converts the upsampled RGB, so chroma subsampling of this noisy image shows: compare means.
        assertThat(sum / (double) fast.data().length).as(mode.name()).isLessThan(3.0);
      } else {
        assertThat(max).as(mode.name()).isLessThanOrEqualTo(1);
      }
    }
  }

  @Test
  void declinesWhatItShouldLeaveToImageIo() throws Exception {
    byte[] cmyk;
    try (var in = getClass().getResourceAsStream("cmyk.jpg")) {
      cmyk = in.readAllBytes();
    }
    assertThat(TurboJpeg.decode(cmyk, ColorMode.COLOR)).isNull();
    byte[] jpg = Files.readAllBytes(TestImages.jpeg(tmp.resolve("b.jpg"), 64, 64, 6));
    assertThat(TurboJpeg.decode(java.util.Arrays.copyOf(jpg, jpg.length / 2), ColorMode.COLOR)).isNull();
  }

  @Test
  void encodesQualityAndSize() throws Exception {
    Pixels p = ImageCodec.decodeImageIo(Files.readAllBytes(TestImages.jpeg(tmp.resolve("c.jpg"), 40, 30, 7)), ColorMode.COLOR);
    byte[] q95 = TurboJpeg.encode(p, 95);
    byte[] q20 = TurboJpeg.encode(p, 20);
    assertThat(q95.length).isGreaterThan(q20.length);
    Pixels back = ImageCodec.decodeImageIo(q95, ColorMode.COLOR);
    assertThat(back.width()).isEqualTo(40);
    assertThat(back.height()).isEqualTo(30);
  }
}
