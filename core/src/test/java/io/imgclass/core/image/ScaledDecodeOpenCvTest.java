package io.imgclass.core.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --scaled-decode} on the native path (libjpeg-turbo + OpenCV's cvResize). In the OpenCV test
 * execution (core/pom.xml): OpenCV cannot load in a JVM where MXNet already has.
 */
class ScaledDecodeOpenCvTest {
  @TempDir Path tmp;

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
        Path f = ScaledDecodeTest.jpeg(tmp, "n" + w + ".jpg", w, h);
        byte[] a = full.transcode(f, ColorMode.COLOR, crop, target, 95, 0);
        byte[] b = scaled.transcode(f, ColorMode.COLOR, crop, target, 95, 0);
        assertThat(a).isNotEqualTo(b); // the scaled path really ran
        Pixels pa = ImageCodec.decode(a, ColorMode.COLOR);
        Pixels pb = ImageCodec.decode(b, ColorMode.COLOR);
        int[] want = crop ? new int[] {target, target} : Resize.shorterSideDims(w, h, target);
        assertThat(new int[] {pa.width(), pa.height()}).containsExactly(want[0], want[1]);
        double[] d = ScaledDecodeTest.difference(pa, pb);
        // Stated bound (docs/im2rec.md): mean <= 2 levels, max <= 24 on smooth content.
        assertThat(d[0]).as("mean, %dx%d -> %d", w, h, target).isLessThanOrEqualTo(2.0);
        assertThat(d[1]).as("max, %dx%d -> %d", w, h, target).isLessThanOrEqualTo(24);
      }
      // Below twice the target nothing changes: the default path's exact bytes.
      Path small = ScaledDecodeTest.jpeg(tmp, "small.jpg", 500, 375);
      assertThat(scaled.transcode(small, ColorMode.COLOR, false, 256, 95, 24))
          .isEqualTo(full.transcode(small, ColorMode.COLOR, false, 256, 95, 24));
    }
  }

}
