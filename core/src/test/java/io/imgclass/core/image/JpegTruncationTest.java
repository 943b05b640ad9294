package io.imgclass.core.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class JpegTruncationTest {
  private static byte[] jpeg() throws Exception {
    BufferedImage img = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
    Random r = new Random(3);
    for (int y = 0; y < 48; y++) {
      for (int x = 0; x < 64; x++) {
        img.setRGB(x, y, r.nextInt(0x1000000));
      }
    }
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    ImageIO.write(img, "jpeg", b);
    return b.toByteArray();
  }

  @Test
  void aJpegCutShortIsFoundAtEveryLength() throws Exception {
    byte[] full = jpeg();
    assertThat(JpegTruncation.check(full)).isNull();
    for (int len = 4; len < full.length - 1; len += 7) {
      assertThat(JpegTruncation.check(Arrays.copyOf(full, len))).as("cut at " + len)
          .isEqualTo("truncated JPEG: the data stops at byte " + len + " before the end-of-image marker (FF D9),"
              + " so part of the image would be grey");
    }
  }

  @Test
  void dataAppendedAfterACompleteImageAndOtherFormatsAreNotTruncation() throws Exception {
    byte[] full = jpeg();
    byte[] appended = Arrays.copyOf(full, full.length + 100);
    Arrays.fill(appended, full.length, appended.length, (byte) 0xAB);
    assertThat(JpegTruncation.check(appended)).isNull();
    assertThat(JpegTruncation.check(new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2})).isNull();
    assertThat(JpegTruncation.check(new byte[0])).isNull();
  }
}
