package io.imgclass.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgclass.recordio.ImageRecordHeader;
import io.imgclass.recordio.RawRecord;
import io.imgclass.recordio.RecordIOReader;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pack-recordio --manifest}: SageMaker's Pipe-mode layout and im2rec image records. */
class PackRecordioManifestTest {
  @TempDir Path dir;
  Path manifest;

  @BeforeEach
  void manifest() throws Exception {
    Files.createDirectories(dir.resolve("img"));
    StringBuilder m = new StringBuilder();
    for (int i = 0; i < 3; i++) {
      ImageIO.write(new BufferedImage(8 + i, 8, BufferedImage.TYPE_INT_RGB), "png", dir.resolve("img/" + i + ".png").toFile());
      m.append("{\"source-ref\": \"s3://bucket/train/").append(i).append(".png\", \"class\": [").append(i)
          .append(i == 2 ? ", 0" : "").append("]}\n");
    }
    manifest = dir.resolve("train.manifest");
    Files.writeString(manifest, m.toString());
  }

  private static List<RawRecord> read(Path rec) throws Exception {
    List<RawRecord> out = new ArrayList<>();
    try (RecordIOReader r = RecordIOReader.open(rec)) {
      for (RawRecord x = r.next(); x != null; x = r.next()) {
        out.add(x);
      }
    }
    return out;
  }

  @Test
  void pipeModeIsImageThenLabelTextPerLine() throws Exception {
    CliRunner.Result r = CliRunner.run("pack-recordio", "--manifest", manifest.toString(), "--out",
        dir.resolve("pipe").toString(), "--label-format", "class-id", "--num-classes", "3",
        "--s3-prefix-map", "s3://bucket/train/=" + dir.resolve("img"));
    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).isEqualTo("train.manifest -> pipe.rec: 3 lines, 6 records, 0.0 MB, label format class-id\n");
    List<RawRecord> recs = read(dir.resolve("pipe.rec"));
    assertThat(recs).hasSize(6);
    assertThat(recs.get(0).data()).isEqualTo(Files.readAllBytes(dir.resolve("img/0.png")));
    assertThat(new String(recs.get(1).data(), StandardCharsets.UTF_8)).isEqualTo("[0]");
    assertThat(new String(recs.get(5).data(), StandardCharsets.UTF_8)).isEqualTo("[2, 0]"); // as the manifest line wrote it
    assertThat(Files.exists(dir.resolve("pipe.idx"))).isTrue();
  }

  @Test
  void imageRecordsPackMultiHotLabels() throws Exception {
    CliRunner.Result r = CliRunner.run("pack-recordio", "--manifest", manifest.toString(), "--out",
        dir.resolve("ir").toString(), "--label-format", "class-id", "--num-classes", "3", "--image-records",
        "--s3-prefix-map", "s3://bucket/train/=" + dir.resolve("img"), "--quiet");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEmpty();
    List<RawRecord> recs = read(dir.resolve("ir.rec"));
    assertThat(recs).hasSize(3);
    ImageRecordHeader h = ImageRecordHeader.decode(recs.get(2).data());
    assertThat(h.labels()).containsExactly(1f, 0f, 1f);
    assertThat(h.id()).isEqualTo(2);
  }

  @Test
  void optionsThatNeedAManifestAreUsageErrors() {
    CliRunner.Result r = CliRunner.run("pack-recordio", "x.lst", dir.toString(), "--image-records");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).startsWith("imgclass pack-recordio: --out, --image-records");
    CliRunner.Result noOut = CliRunner.run("pack-recordio", "--manifest", manifest.toString());
    assertThat(noOut.exitCode()).isEqualTo(2);
    assertThat(noOut.err()).isEqualTo("imgclass pack-recordio: --manifest needs --out PREFIX\n");
  }

  @Test
  void anUnmappedRefNamesTheLine() {
    CliRunner.Result r = CliRunner.run("pack-recordio", "--manifest", manifest.toString(), "--out",
        dir.resolve("bad").toString(), "--label-format", "class-id", "--num-classes", "3",
        "--s3-prefix-map", "s3://other/=" + dir.resolve("img"));
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).contains("train.manifest:1").contains("s3-prefix-map");
    assertThat(Files.exists(dir.resolve("bad.rec"))).isFalse();
  }
}
