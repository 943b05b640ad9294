package io.imgclass.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imgclass.recordio.ImageRecordHeader;
import io.imgclass.recordio.RecordIOWriter;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real MXNet (libmxnet 1.9.1 from DJL's native jar) reads what our writer wrote, and its own dmlc
 * writer re-writes the payloads byte-identically; its ImageRecordIter decodes our JPEG records with
 * the list's labels (the project's test script model/mxnet_recordio_check.py). Needs Debian's
 * python3-numpy and python3-opencv: skipped without them, failed on CI.
 */
class MxnetRecordIOCrosscheckTest {
  private static final byte[] MAGIC = {0x0A, 0x23, (byte) 0xD7, (byte) 0xCE};
  private static final String PYTHON = "/usr/bin/python3";

  @TempDir Path dir;

  @BeforeAll
  static void requirements() throws Exception {
    DebianPython.require("numpy", "cv2");
  }

  @Test
  void mxnetReadsOurRecordsAndRewritesThemByteIdentically() throws Exception {
    Random rnd = new Random(17);
    Path prefix = dir.resolve("synthetic");
    int n = 0;
    try (RecordIOWriter w = RecordIOWriter.create(path(prefix, ".rec"), path(prefix, ".idx"))) {
      for (int key = 0; key < 120; key++) {
        byte[] image = new byte[rnd.nextInt(300)];
        rnd.nextBytes(image);
        // The header is 24 bytes (aligned), so an aligned image offset is an aligned payload offset.
        int kind = key % 5;
        if (kind == 1 && image.length >= 8) {
          System.arraycopy(MAGIC, 0, image, 4 * rnd.nextInt(image.length / 4 - 1), 4);
        } else if (kind == 2 && image.length >= 12) {
          System.arraycopy(MAGIC, 0, image, 0, 4);
          System.arraycopy(MAGIC, 0, image, 4, 4); // consecutive: an empty middle part
        } else if (kind == 3 && image.length >= 8) {
          System.arraycopy(MAGIC, 0, image, 1 + 4 * rnd.nextInt(image.length / 4 - 1), 4); // unaligned
        }
        ImageRecordHeader h = key % 7 == 0
            ? ImageRecordHeader.multi(new float[] {1, 0, key % 3}, key)
            : ImageRecordHeader.single(key % 4, key);
        w.write(key, h.encode(image));
        n++;
      }
      assertThat(w.splits()).isGreaterThan(20);
    }
    JsonNode out = crosscheck(prefix);
    assertThat(out.path("records").asInt()).isEqualTo(n);
    assertThat(out.path("reader_identical").asBoolean()).isTrue();
    assertThat(out.path("writer_identical").asBoolean()).isTrue();
  }

  @Test
  void imageRecordIterReadsOurJpegRecordsWithTheListLabels() throws Exception {
    Random rnd = new Random(23);
    Path prefix = dir.resolve("jpeg");
    StringBuilder lst = new StringBuilder();
    int n = 23; // not a multiple of the batch, so the short last batch is exercised too
    try (RecordIOWriter w = RecordIOWriter.create(path(prefix, ".rec"), path(prefix, ".idx"))) {
      for (int key = 0; key < n; key++) {
        int label = rnd.nextInt(5);
        byte[] jpeg = jpeg(rnd, 40 + rnd.nextInt(20), 36 + rnd.nextInt(20));
        if (key % 4 == 0) {
          // bytes after the JPEG's end marker are ignored by decoders; put an aligned magic there
          int padTo = (ImageRecordHeader.SIZE + jpeg.length + 3) & ~3;
          byte[] tail = new byte[padTo - ImageRecordHeader.SIZE + 4];
          System.arraycopy(jpeg, 0, tail, 0, jpeg.length);
          System.arraycopy(MAGIC, 0, tail, tail.length - 4, 4);
          jpeg = tail;
        }
        w.write(key, ImageRecordHeader.single(label, key).encode(jpeg));
        lst.append(key).append('\t').append(label).append(".000000\t").append("img").append(key).append(".jpg\n");
      }
      assertThat(w.splits()).isEqualTo(6);
    }
    Files.writeString(path(prefix, ".lst"), lst, StandardCharsets.US_ASCII);
    JsonNode out = crosscheck(prefix, "--iter", "3,32,32", "--batch", "8");
    assertThat(out.path("reader_identical").asBoolean()).isTrue();
    assertThat(out.path("writer_identical").asBoolean()).isTrue();
    assertThat(out.path("image_record_iter_records").asInt()).isEqualTo(n);
  }

  private static byte[] jpeg(Random rnd, int width, int height) throws IOException {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        img.setRGB(x, y, rnd.nextInt(0x1000000));
      }
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    assertThat(ImageIO.write(img, "jpeg", bytes)).isTrue();
    return bytes.toByteArray();
  }

  private JsonNode crosscheck(Path prefix, String... extra) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(DebianPython.mxnetScript(dir, "mxnet_recordio_check.py").toString(), prefix.toString()));
    cmd.addAll(List.of(extra));
    DebianPython.Result r = DebianPython.runMxnet(cmd, 300);
    assertThat(r.code()).as("check exit code; stderr:%n%s", r.err()).isZero();
    return new ObjectMapper().readTree(r.out());
  }

  private static Path path(Path prefix, String ext) {
    return prefix.resolveSibling(prefix.getFileName() + ext);
  }
}
