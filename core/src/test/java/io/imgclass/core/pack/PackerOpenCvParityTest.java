package io.imgclass.core.pack;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgclass.core.DebianPython;
import io.imgclass.core.image.ColorMode;
import io.imgclass.core.image.JpegTranscoder;
import io.imgclass.core.image.TestImages;
import io.imgclass.core.lst.LstEntry;
import io.imgclass.core.lst.LstWriter;
import io.imgclass.recordio.ImageRecordHeader;
import io.imgclass.recordio.RawRecord;
import io.imgclass.recordio.RecordIOReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With the native path (libjpeg-turbo + OpenCV's cvResize; CI installs both), the packed JPEGs are
 * byte-identical to im2rec's own per-image pipeline run by Debian's cv2: imread(color), centre
 * crop, resize of the shorter side, imencode('.jpg', quality).
 */
class PackerOpenCvParityTest {
  @TempDir Path tmp;

  /** im2rec's read_worker image steps, one output file per input (path + ".cv"). */
  private static final String IM2REC_STEPS =
      "import cv2, sys\n"
          + "color, crop, resize, quality = int(sys.argv[1]), sys.argv[2] == '1', int(sys.argv[3]), int(sys.argv[4])\n"
          + "for path in sys.argv[5:]:\n"
          + "    img = cv2.imread(path, color)\n"
          + "    if crop:\n"
          + "        if img.shape[0] > img.shape[1]:\n"
          + "            m = (img.shape[0] - img.shape[1]) // 2\n"
          + "            img = img[m:m + img.shape[1], :]\n"
          + "        else:\n"
          + "            m = (img.shape[1] - img.shape[0]) // 2\n"
          + "            img = img[:, m:m + img.shape[0]]\n"
          + "    if resize:\n"
          + "        if img.shape[0] > img.shape[1]:\n"
          + "            newsize = (resize, img.shape[0] * resize // img.shape[1])\n"
          + "        else:\n"
          + "            newsize = (img.shape[1] * resize // img.shape[0], resize)\n"
          + "        img = cv2.resize(img, newsize)\n"
          + "    ok, buf = cv2.imencode('.jpg', img, [cv2.IMWRITE_JPEG_QUALITY, quality])\n"
          + "    open(path + '.cv', 'wb').write(buf.tobytes())\n";

  @Test
  void colourResizeMatchesIm2recByteForByte() throws Exception {
    check(ColorMode.COLOR, false, 32, 95);
  }

  @Test
  void greyCentreCropMatchesIm2recByteForByte() throws Exception {
    check(ColorMode.GRAY, true, 20, 80);
  }

  private void check(ColorMode mode, boolean crop, int resize, int quality) throws Exception {
    DebianPython.require("cv2", "numpy");
    io.imgclass.core.testing.TestRequirement.require(JpegTranscoder.available(), "libturbojpeg / libopencv_imgproc are missing (libturbojpeg0, python3-opencv)");
    Path root = tmp.resolve("img");
    // Landscape, portrait, an exact 2x reduction (OpenCV's area path), enlargement, a square.
    int[][] sizes = {{61, 47}, {47, 61}, {64, 48}, {25, 19}, {40, 40}, {90, 33}};
    List<LstEntry> list = new ArrayList<>();
    List<String> args = new ArrayList<>(List.of("-c", IM2REC_STEPS, mode == ColorMode.GRAY ? "0" : "1", crop ? "1" : "0",
        Integer.toString(resize), Integer.toString(quality)));
    for (int i = 0; i < sizes.length; i++) {
      Path f = TestImages.jpeg(root.resolve("i" + i + ".jpg"), sizes[i][0], sizes[i][1], i);
      list.add(LstEntry.of(i, 0, f.getFileName().toString()));
      args.add(f.toString());
    }
    Path lst = tmp.resolve("p.lst");
    LstWriter.writeAll(lst, list);
    PackConfig cfg = PackConfig.builder(root).optResize(resize).optCenterCrop(crop).optQuality(quality).optColor(mode)
        .optThreads(2).build();
    new Packer(cfg, null).pack(lst);
    DebianPython.Result r = DebianPython.run(args, 120);
    assertThat(r.code()).as(r.err()).isZero();
    try (RecordIOReader reader = RecordIOReader.open(tmp.resolve("p.rec"))) {
      for (int i = 0; i < sizes.length; i++) {
        RawRecord rec = reader.next();
        byte[] payload = rec.data();
        ImageRecordHeader h = ImageRecordHeader.decode(payload);
        byte[] ours = h.image(payload);
        byte[] cv = Files.readAllBytes(root.resolve("i" + i + ".jpg.cv"));
        assertThat(h.id()).isEqualTo(i);
        assertThat(Arrays.equals(ours, cv)).as("image %d (%dx%d): %d bytes vs cv2's %d", i, sizes[i][0], sizes[i][1],
            ours.length, cv.length).isTrue();
      }
    }
  }
}
