package io.imgclass.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imgclass.recordio.ImageRecordHeader;
import io.imgclass.recordio.RecordIOWriter;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Black-box: stdout, stderr and exit code together. */
class InspectCommandTest {
  @TempDir Path dir;

  private Path rec;
  private Path idx;
  private long[] offsets;

  @BeforeEach
  void smallFile() throws IOException {
    rec = dir.resolve("data.rec");
    idx = dir.resolve("data.idx");
    Random rnd = new Random(4);
    offsets = new long[6];
    try (RecordIOWriter w = RecordIOWriter.create(rec, idx)) {
      for (int key = 0; key < offsets.length; key++) {
        offsets[key] = w.write(key, ImageRecordHeader.single(key % 2, key).encode(jpeg(rnd, 20, 10)));
      }
    }
  }

  @Test
  void goodFile() {
    CliRunner.Result r = CliRunner.run("inspect", rec.toString());
    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains(
        "file      " + rec + ": ",
        "header    6 valid IRHeaders; flags 0: 6; ids 0..5\n",
        "labels    single-label: 2 distinct values\n          0: 3  1: 3\n",
        "images    formats JPEG: 6\n          decoded a sample of 6: 6 ok; WxHxC 20x10x3: 6\n",
        "index     " + idx + ": 6 entries, consistent\n",
        "corrupt   none\n",
        "result    OK\n");
  }

  @Test
  void goodFileAsJson() throws IOException {
    CliRunner.Result r = CliRunner.run("inspect", rec.toString(), "--format", "json", "--verify");
    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();
    JsonNode json = new ObjectMapper().readTree(r.out());
    assertThat(json.get("schema").asText()).isEqualTo("imgclass-inspect/1");
    assertThat(json.get("records").asLong()).isEqualTo(6);
    assertThat(json.get("images").get("decodeMode").asText()).isEqualTo("all");
    assertThat(json.get("ok").asBoolean()).isTrue();
  }

  @Test
  void corruptFileExits1WithAOneLineReasonEvenWithoutVerify() throws IOException {
    byte[] b = Files.readAllBytes(rec);
    Files.write(rec, java.util.Arrays.copyOf(b, (int) offsets[5] + 10));
    CliRunner.Result r = CliRunner.run("inspect", rec.toString());
    assertThat(r.exitCode()).isEqualTo(1);
    String reason = "1 corrupt region, 10 bytes skipped (first at byte " + offsets[5]
        + ": truncated: part of ";
    assertThat(r.err()).startsWith("imgclass inspect: " + rec + ": " + reason).hasLineCount(1);
    assertThat(r.out()).contains(
        "corrupt   1 region, 10 bytes skipped\n          bytes " + offsets[5] + ".." + (offsets[5] + 10) + " (10): truncated",
        "result    FAILED\n          - " + reason);
  }

  @Test
  void indexMismatchFailsOnlyWithVerify() throws IOException {
    Path other = dir.resolve("other.idx");
    Files.writeString(other, "0\t" + offsets[0] + "\n1\t" + (offsets[1] + 4) + "\n");
    CliRunner.Result plain = CliRunner.run("inspect", "--idx", other.toString(), rec.toString());
    assertThat(plain.err()).isEmpty();
    assertThat(plain.exitCode()).isZero();
    assertThat(plain.out()).contains("index     " + other + ": 2 entries for 6 records, INCONSISTENT\n",
        "          key 1: offset " + (offsets[1] + 4) + " is not the start of a record\n",
        "result    OK (findings, not checked without --verify: 1)\n");
    CliRunner.Result verify = CliRunner.run("inspect", "--idx", other.toString(), "--verify", rec.toString());
    assertThat(verify.exitCode()).isEqualTo(1);
    assertThat(verify.err()).isEqualTo("imgclass inspect: " + rec + ": index " + other
        + " does not match the records: 2 entries for 6 records, 1 misplaced entry, 5 unindexed records"
        + " (first: key 1: offset " + (offsets[1] + 4) + " is not the start of a record)\n");
    assertThat(verify.out()).contains("result    FAILED\n");
  }

  @Test
  void missingFileIsOneLineNamingIt() {
    Path missing = dir.resolve("missing.rec");
    CliRunner.Result r = CliRunner.run("inspect", missing.toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("imgclass inspect: " + missing + ": no such file\n");
  }

  @Test
  void badOptionIsAUsageError() {
    CliRunner.Result r = CliRunner.run("inspect", "--format", "xml", rec.toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).startsWith("imgclass inspect: Invalid value for option '--format': expected one of [text, json]")
        .contains("Try 'imgclass inspect --help' for more information.");
    CliRunner.Result none = CliRunner.run("inspect");
    assertThat(none.exitCode()).isEqualTo(2);
    assertThat(none.err()).startsWith("imgclass inspect: Missing required parameter: 'FILE.rec'");
  }

  @Test
  void helpExplainsTheExitCodes() {
    CliRunner.Result r = CliRunner.run("inspect", "--help");
    assertThat(r.exitCode()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out()).contains("Usage: imgclass inspect", "--verify", "Exit codes:", "a corrupt region was found - always");
    assertThat(CliRunner.run("--help").out()).contains("inspect");
  }

  private static byte[] jpeg(Random rnd, int width, int height) throws IOException {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        img.setRGB(x, y, rnd.nextInt(0x1000000));
      }
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ImageIO.write(img, "jpeg", bytes);
    return bytes.toByteArray();
  }
}
