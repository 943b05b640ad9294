package io.imgclass.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PredictCommandTest {

  private static Path model(Path dir) {
    Path m = dir.resolve("model.tar.gz");
    CliRunner.Result r = CliRunner.run("model", "--num-layers", "20", "--image-shape", "3,28,28", "--num-classes", "4",
        "--init-out", m.toString(), "--seed", "8");
    assertThat(r.exitCode()).as(r.err()).isZero();
    return m;
  }

  private static Path png(Path dir, String name, int w, int h, long seed) throws Exception {
    SplittableRandom r = new SplittableRandom(seed);
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.setRGB(x, y, r.nextInt(1 << 24));
      }
    }
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    ImageIO.write(img, "png", p.toFile());
    return p;
  }

  @Test
  void predictsLikeRealMxnetAndReportsBadImages(@TempDir Path dir) throws Exception {
    Path m = model(dir);
    Path a = png(dir, "imgs/a.png", 28, 28, 1);
    Path b = png(dir, "imgs/sub/b.png", 28, 28, 2);
    Path bad = dir.resolve("bad.png");
    Files.writeString(bad, "not a png");
    Path missing = dir.resolve("missing.png");
    CliRunner.Result r = CliRunner.run("predict", "--model", m.toString(), dir.resolve("imgs").toString(), bad.toString(),
        missing.toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("error: " + bad + ": not a recognised image format\n"
        + "error: " + missing + ": no such file\n"
        + "imgclass predict: 2 of 4 images could not be used; 2 predicted\n");
    String[] lines = r.out().strip().split("\n");
    assertThat(lines).hasSize(2);
    ObjectMapper om = new ObjectMapper();
    for (String l : lines) {
      JsonNode arr = om.readTree(l);
      assertThat(arr.isArray()).isTrue();
      assertThat(arr).hasSize(4);
    }

    // Real MXNet (the project's test script decodes the same PNGs with PIL; no resize at 28x28).
    io.imgclass.core.DebianPython.require("numpy", "PIL");
    Path script = io.imgclass.core.DebianPython.mxnetScript(Files.createDirectories(dir.resolve("py")), "mxnet_run_model.py");
    io.imgclass.core.DebianPython.Result oracle = io.imgclass.core.DebianPython.runMxnet(
        List.of(script.toString(), m.toString(), a.toString(), b.toString()), 120);
    assertThat(oracle.code()).as(oracle.err()).isZero();
    String out = oracle.out();
    List<JsonNode> expected = new ArrayList<>();
    for (String l : out.strip().split("\n")) {
      expected.add(om.readTree(l).get("prediction"));
    }
    // Our order: a.png, sub/b.png (sorted walk).
    for (int i = 0; i < 2; i++) {
      JsonNode ours = om.readTree(lines[i]);
      for (int k = 0; k < 4; k++) {
        assertThat(ours.get(k).asDouble()).isCloseTo(expected.get(i).get(k).asDouble(),
            org.assertj.core.data.Offset.offset(1e-4));
      }
    }
  }

  @Test
  void jsonLinesWithTopKToAFile(@TempDir Path dir) throws Exception {
    Path m = model(dir);
    Path a = png(dir, "a.png", 28, 28, 1);
    Path out = dir.resolve("pred.jsonl");
    CliRunner.Result r = CliRunner.run("predict", "--model", m.toString(), "--accept", "application/jsonlines",
        "--top-k", "2", "--output", out.toString(), a.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEmpty();
    JsonNode j = new ObjectMapper().readTree(Files.readString(out));
    assertThat(j.get("image").asText()).isEqualTo(a.toString());
    assertThat(j.get("prediction")).hasSize(4);
    assertThat(j.get("top_k")).hasSize(2);
    assertThat(j.get("top_k").get(0).get("probability").asDouble())
        .isGreaterThanOrEqualTo(j.get("top_k").get(1).get("probability").asDouble());
  }

  @Test
  void stretchIsTheDefaultAndCenterCropIsValidationsPipeline(@TempDir Path dir) throws Exception {
    Path m = TestModels.calibrated(dir, new io.imgclass.core.model.ImageShape(3, 28, 28), 4, 3);
    // 56x28: stretch squeezes the whole image to 28x28; center-crop keeps the middle 28x28.
    Path wide = png(dir, "wide.png", 56, 28, 4);
    BufferedImage src = ImageIO.read(wide.toFile());
    Path middle = dir.resolve("middle.png");
    ImageIO.write(src.getSubimage(14, 0, 28, 28), "png", middle.toFile());
    CliRunner.Result stretch = CliRunner.run("predict", "--model", m.toString(), wide.toString());
    CliRunner.Result crop = CliRunner.run("predict", "--model", m.toString(), "--preprocess", "center-crop",
        wide.toString());
    CliRunner.Result exact = CliRunner.run("predict", "--model", m.toString(), middle.toString());
    assertThat(stretch.exitCode()).as(stretch.err()).isZero();
    assertThat(crop.exitCode()).as(crop.err()).isZero();
    assertThat(crop.err()).isEmpty();
    // Cropping without a resize uses the pixels as they are: the same input as the cut-out image.
    assertThat(crop.out()).isEqualTo(exact.out());
    assertThat(stretch.out()).isNotEqualTo(crop.out());

    // --resize 14: the 28x14 result is smaller than image_shape, so it is scaled up to fit before
    // the crop, as training does, instead of failing.
    CliRunner.Result resized = CliRunner.run("predict", "--model", m.toString(), "--preprocess", "center-crop",
        "--resize", "14", wide.toString());
    assertThat(resized.exitCode()).as(resized.err()).isZero();

    CliRunner.Result bad = CliRunner.run("predict", "--model", m.toString(), "--resize", "30", wide.toString());
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.out()).isEmpty();
    assertThat(bad.err()).isEqualTo("imgclass predict: --resize only applies to --preprocess center-crop\n");
  }

  @Test
  void lstInputInListOrderWithRootAndBatching(@TempDir Path dir) throws Exception {
    Path m = TestModels.calibrated(dir, new io.imgclass.core.model.ImageShape(3, 28, 28), 4, 3);
    List<Path> imgs = new ArrayList<>();
    StringBuilder lst = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      imgs.add(png(dir, "root/c" + (i % 2) + "/img" + i + ".png", 30 + i, 28, 10 + i));
      lst.append(i).append("\t").append(i % 2).append(".000000\tc").append(i % 2).append("/img").append(i).append(".png\n");
    }
    Path list = dir.resolve("lists/test.lst");
    Files.createDirectories(list.getParent());
    Files.writeString(list, lst.toString());
    CliRunner.Result r = CliRunner.run("predict", "--model", m.toString(), "--root", dir.resolve("root").toString(),
        "--batch-size", "2", "--threads", "3", "--accept", "application/jsonlines", list.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.err()).isEmpty();
    String[] lines = r.out().strip().split("\n");
    assertThat(lines).hasSize(5);
    ObjectMapper om = new ObjectMapper();
    for (int i = 0; i < 5; i++) {
      JsonNode j = om.readTree(lines[i]);
      assertThat(j.get("image").asText()).isEqualTo(imgs.get(i).toString());
      // Same answer as predicting the file alone (batch of 1).
      CliRunner.Result one = CliRunner.run("predict", "--model", m.toString(), imgs.get(i).toString());
      JsonNode alone = om.readTree(one.out());
      for (int k = 0; k < 4; k++) {
        assertThat(j.get("prediction").get(k).asDouble()).isCloseTo(alone.get(k).asDouble(),
            org.assertj.core.data.Offset.offset(1e-5));
      }
    }
    // Without --root, paths are relative to the list's folder: here they do not exist.
    CliRunner.Result noRoot = CliRunner.run("predict", "--model", m.toString(), list.toString());
    assertThat(noRoot.exitCode()).isEqualTo(1);
    assertThat(noRoot.err()).startsWith("error: " + dir.resolve("lists/c0/img0.png") + ": no such file\n");
    assertThat(noRoot.err()).endsWith("imgclass predict: 5 of 5 images could not be used; 0 predicted\n");
  }

  @Test
  void timingLine(@TempDir Path dir) throws Exception {
    Path m = model(dir);
    Path a = png(dir, "a.png", 28, 28, 1);
    CliRunner.Result r = CliRunner.run("predict", "--model", m.toString(), "--timing", a.toString(), a.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.err()).matches("timing: 2 images in [0-9.]+ s \\([0-9.]+ images/s end to end\\); forward total [0-9.]+ s"
        + " in 1 passes; steady state \\(passes 2\\.\\.n\\): median pass [0-9.]+ ms, [0-9.]+ ms/image = [0-9.]+ images/s;"
        + " first pass [0-9.]+ ms; model load [0-9.]+ s\n");
  }

  @Test
  void topKNeedsJsonLines(@TempDir Path dir) {
    CliRunner.Result r = CliRunner.run("predict", "--model", "m.tar.gz", "--top-k", "2", "x.png");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("imgclass predict: --top-k needs --accept application/jsonlines and K >= 1\n");
  }
}
