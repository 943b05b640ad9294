package io.imgclass.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imgclass.core.testing.Bombs;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every decode path refuses an image over the pixel limit from its header, before allocating. */
class ImageLimitsTest {
  @TempDir Path tmp;

  @AfterEach
  void clear() {
    System.clearProperty(ImageLimits.PROPERTY);
  }

  @Test
  void zeroPngOf30000SquaredIsRefusedFromItsHeader() throws Exception {
    byte[] png = Files.readAllBytes(Bombs.zeroPng(tmp.resolve("bomb.png"), 30000));
    assertThat(png.length).isLessThan(1_000_000); // 900 MB of pixels in under 1 MB
    for (ColorMode mode : ColorMode.values()) {
      assertThatThrownBy(() -> ImageCodec.decode(png, mode))
          .isInstanceOf(ImageTooLargeException.class)
          .hasMessage("image is 30000x30000 (900000000 pixels), over the limit of 100000000 pixels"
              + " (raise it with --max-pixels or IMGCLASS_MAX_PIXELS)");
    }
  }

  @Test
  void theCraftedPngIsAValidImage() throws Exception {
    // The same generator at 1500x1500 (under the limit) decodes, to zeros: the bomb is real.
    Pixels p = ImageCodec.decode(Files.readAllBytes(Bombs.zeroPng(tmp.resolve("z.png"), 1500)), ColorMode.UNCHANGED);
    assertThat(p.width()).isEqualTo(1500);
    assertThat(p.height()).isEqualTo(1500);
    assertThat(p.data()).containsOnly(0);
  }

  @Test
  void jpegHeaderClaiming30000SquaredIsRefusedOnEveryPath() throws Exception {
    Path file = Bombs.jpegClaiming(tmp.resolve("bomb.jpg"), 30000, 30000);
    byte[] jpg = Files.readAllBytes(file);
    assertThat(jpg.length).isLessThan(10_000);
    // ImageIO (TwelveMonkeys) alone, and the public entry (libjpeg-turbo first when installed).
    assertThatThrownBy(() -> ImageCodec.decodeImageIo(jpg, ColorMode.COLOR))
        .isInstanceOf(ImageTooLargeException.class).hasMessageStartingWith("image is 30000x30000 (900000000 pixels)");
    assertThatThrownBy(() -> ImageCodec.decode(jpg, ColorMode.COLOR))
        .isInstanceOf(ImageTooLargeException.class).hasMessageStartingWith("image is 30000x30000 (900000000 pixels)");
    if (TurboJpeg.available()) {
      assertThatThrownBy(() -> TurboJpeg.decode(jpg, ColorMode.GRAY)).isInstanceOf(ImageTooLargeException.class);
    }
    if (JpegTranscoder.available()) {
      try (JpegTranscoder t = JpegTranscoder.open()) {
        // null: the general path (above) decides, and refuses with the reason.
        assertThat(t.transcode(file, ColorMode.COLOR, false, 0, 90, 24)).isNull();
      }
    }
  }

  @Test
  void theLimitIsOneSettingThatCanBeRaisedOrLowered() throws Exception {
    byte[] png = Files.readAllBytes(TestImages.png(tmp.resolve("a.png"), TestImages.rgb(20, 10, 3)));
    assertThat(ImageCodec.decode(png, ColorMode.COLOR).width()).isEqualTo(20);
    ImageLimits.set(199L);
    assertThatThrownBy(() -> ImageCodec.decode(png, ColorMode.COLOR))
        .isInstanceOf(ImageTooLargeException.class)
        .hasMessage("image is 20x10 (200 pixels), over the limit of 199 pixels (raise it with --max-pixels or IMGCLASS_MAX_PIXELS)");
    ImageLimits.set(200L);
    assertThat(ImageCodec.decode(png, ColorMode.COLOR).height()).isEqualTo(10);
    System.setProperty(ImageLimits.PROPERTY, "lots");
    assertThatThrownBy(ImageLimits::maxPixels).hasMessage("imgclass.maxPixels must be a positive whole number of pixels, not 'lots'");
  }

  @Test
  void raisingTheLimitNeverOverflowsAnArray() {
    // 30000² RGBA is more than one Java array holds: refused whatever the setting (no
    // NegativeArraySizeException from an int overflow).
    ImageLimits.set(Long.MAX_VALUE / 2);
    assertThatThrownBy(() -> ImageLimits.check(30000, 30000)).isInstanceOf(ImageTooLargeException.class)
        .hasMessageContaining("over the limit of " + ImageLimits.ARRAY_PIXELS + " pixels");
  }
}
