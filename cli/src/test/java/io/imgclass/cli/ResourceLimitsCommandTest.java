package io.imgclass.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgclass.core.model.ImageShape;
import io.imgclass.core.model.ModelArchive;
import io.imgclass.core.model.TarGz;
import io.imgclass.core.testing.Bombs;
import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands refuse crafted inputs (decompression bombs, lying shapes) with clear errors. */
class ResourceLimitsCommandTest {
  static final String TOO_LARGE = "image is 30000x30000 (900000000 pixels), over the limit of 100000000 pixels"
      + " (raise it with --max-pixels or IMGCLASS_MAX_PIXELS)";

  @TempDir Path dir;

  @AfterEach
  void clear() {
    // --max-pixels sets a process-wide property; CliRunner runs commands in this JVM.
    System.clearProperty(io.imgclass.core.image.ImageLimits.PROPERTY);
  }

  private Path png(String name, int w, int h) throws Exception {
    BufferedImage b = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        b.setRGB(x, y, (x * 9) << 16 | (y * 7) << 8 | (x + y));
      }
    }
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    ImageIO.write(b, "png", p.toFile());
    return p;
  }

  @Test
  void predictReportsBombsAsBadImagesAndPredictsTheRest() throws Exception {
    Path m = TestModels.calibrated(dir, new ImageShape(3, 28, 28), 4, 3);
    Path ok = png("ok.png", 28, 28);
    Path pngBomb = Bombs.zeroPng(dir.resolve("bomb.png"), 30000);
    Path jpgBomb = Bombs.jpegClaiming(dir.resolve("bomb.jpg"), 30000, 30000);
    CliRunner.Result r = CliRunner.run("predict", "--model", m.toString(), ok.toString(), pngBomb.toString(), jpgBomb.toString());
    assertThat(r.err()).isEqualTo("error: " + pngBomb + ": " + TOO_LARGE + "\n"
        + "error: " + jpgBomb + ": " + TOO_LARGE + "\n"
        + "imgclass predict: 2 of 3 images could not be used; 1 predicted\n");
    assertThat(r.out().lines()).hasSize(1);
    assertThat(r.exitCode()).isEqualTo(1);

    // The limit is an option: 28x28 = 784 pixels is over --max-pixels 700.
    CliRunner.Result low = CliRunner.run("predict", "--model", m.toString(), "--max-pixels", "700", ok.toString());
    assertThat(low.err()).isEqualTo("error: " + ok + ": image is 28x28 (784 pixels), over the limit of 700 pixels"
        + " (raise it with --max-pixels or IMGCLASS_MAX_PIXELS)\n"
        + "imgclass predict: 1 of 1 images could not be used; 0 predicted\n");
    assertThat(low.exitCode()).isEqualTo(1);
    CliRunner.Result bad = CliRunner.run("predict", "--model", m.toString(), "--max-pixels", "0", ok.toString());
    assertThat(bad.err()).isEqualTo("imgclass predict: --max-pixels must be >= 1, got 0\n");
    assertThat(bad.exitCode()).isEqualTo(2);
  }

  @Test
  void packRecordioCountsABombAsABadImage() throws Exception {
    Path root = dir.resolve("root");
    png("root/a/ok.png", 40, 30);
    Bombs.zeroPng(root.resolve("a/bomb.png"), 30000);
    Path lst = dir.resolve("s.lst");
    Files.writeString(lst, "0\t0\ta/ok.png\n1\t0\ta/bomb.png\n");
    CliRunner.Result r = CliRunner.run("pack-recordio", lst.toString(), root.toString(), "--quiet");
    assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
    assertThat(r.err()).startsWith("imgclass pack-recordio: " + lst + ": 1 of 2 images could not be packed");
    assertThat(Files.readString(dir.resolve("s.bad.tsv"))).isEqualTo("path\treason\na/bomb.png\t" + TOO_LARGE + "\n");
  }

  @Test
  void validateManifestCheckImagesReportsABomb() throws Exception {
    Path root = dir.resolve("imgs");
    png("imgs/ok.png", 40, 30);
    Bombs.zeroPng(root.resolve("bomb.png"), 30000);
    Path manifest = dir.resolve("m.manifest");
    Files.writeString(manifest, "{\"source-ref\":\"s3://b/ok.png\",\"class\":\"0\"}\n"
        + "{\"source-ref\":\"s3://b/bomb.png\",\"class\":\"1\"}\n");
    CliRunner.Result r = CliRunner.run("validate-manifest", manifest.toString(), "--check-images",
        "--s3-prefix-map", "s3://b/=" + root + "/");
    assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(1);
    assertThat(r.out() + r.err()).contains("image is 30000x30000 (900000000 pixels), over the limit of 100000000 pixels");
  }

  /** The model archive with one member replaced. */
  private Path withMember(Path model, String name, byte[] content) throws Exception {
    Map<String, byte[]> files;
    try (InputStream in = Files.newInputStream(model)) {
      files = TarGz.read(in, model.toString());
    }
    files.put(name, content);
    List<TarGz.Entry> entries = new ArrayList<>();
    files.forEach((k, v) -> entries.add(new TarGz.Entry(k, v)));
    Path out = dir.resolve("changed.tar.gz");
    try (var os = Files.newOutputStream(out)) {
      TarGz.write(entries, os, 0);
    }
    return out;
  }

  @Test
  void lyingShapesAndGzipBombsAreRefusedByEveryCommandThatLoadsAModel() throws Exception {
    Path m = TestModels.calibrated(dir, new ImageShape(3, 28, 28), 4, 3);
    Path ok = png("ok.png", 28, 28);
    Path shapes = withMember(m, ModelArchive.SHAPES,
        "[{\"shape\":[64,1,999999999,999999999],\"name\":\"data\"}]".getBytes(StandardCharsets.UTF_8));
    String shapeError = shapes + ":model-shapes.json: data shape [64,1,999999999,999999999]: height must be a whole"
        + " number from 1 to 8192, got 999999999";
    Path bomb = Bombs.tarGzClaiming(dir.resolve("bomb.tar.gz"), "image-classification-0001.params", (2L << 30) - 17, 1 << 20);
    String bombError = bomb + ": member 'image-classification-0001.params' (header at byte 0) is 2147483631 bytes,"
        + " over the limit of 1073741824 bytes per member; raise it with -Dimgclass.maxModelMemberBytes=N"
        + " or IMGCLASS_MAX_MODEL_MEMBER_BYTES";
    Path rec = dir.resolve("v.rec");
    Path lst = dir.resolve("v.lst");
    Files.writeString(lst, "0\t1\tok.png\n");
    assertThat(CliRunner.run("pack-recordio", lst.toString(), dir.toString(), "--quiet").exitCode()).isZero();
    for (Path model : List.of(shapes, bomb)) {
      String want = model == shapes ? shapeError : bombError;
      CliRunner.Result p = CliRunner.run("predict", "--model", model.toString(), ok.toString());
      assertThat(p.err()).isEqualTo("imgclass predict: " + want + "\n");
      assertThat(p.exitCode()).isEqualTo(1);
      CliRunner.Result e = CliRunner.run("evaluate", "--model", model.toString(), rec.toString());
      assertThat(e.err()).isEqualTo("imgclass evaluate: " + want + "\n");
      assertThat(e.exitCode()).isEqualTo(1);
      // serve refuses at start-up, before listening.
      CliRunner.Result s = CliRunner.run("serve", "--model", model.toString(), "--port", "0");
      assertThat(s.out()).isEmpty();
      assertThat(s.err()).isEqualTo("imgclass serve: " + want + "\n");
      assertThat(s.exitCode()).isEqualTo(1);
    }
  }
}
