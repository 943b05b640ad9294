package io.imgclass.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
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
    Path small = png(dir, "small.png", 20, 28, 3);
    CliRunner.Result r = CliRunner.run("predict", "--model", m.toString(), dir.resolve("imgs").toString(), small.toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("error: " + small + ": image is 20x28, the model takes 28x28 (resizing is not wired"
        + " into predict yet)\nimgclass predict: 1 of 3 images could not be used; 2 predicted\n");
    String[] lines = r.out().strip().split("\n");
    assertThat(lines).hasSize(2);
    ObjectMapper om = new ObjectMapper();
    for (String l : lines) {
      JsonNode arr = om.readTree(l);
      assertThat(arr.isArray()).isTrue();
      assertThat(arr).hasSize(4);
    }

    // Real MXNet (the oracle decodes the same PNGs with PIL; no resize at 28x28).
    String py = "/usr/bin/python3";
    boolean ok = Files.isExecutable(Path.of(py))
        && new ProcessBuilder(py, "-c", "import numpy, PIL").start().waitFor() == 0;
    if (!ok && "true".equals(System.getenv("CI"))) {
      throw new AssertionError("CI=true but python3 with numpy and PIL is missing");
    }
    assumeTrue(ok, "python3 with numpy and PIL not installed");
    Path oracle = Path.of(System.getProperty("imgclass.shared"), "peers", "mxnet_predict_oracle.py");
    Process p = new ProcessBuilder(py, oracle.toString(), m.toString(), a.toString(), b.toString())
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
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
  void topKNeedsJsonLines(@TempDir Path dir) {
    CliRunner.Result r = CliRunner.run("predict", "--model", "m.tar.gz", "--top-k", "2", "x.png");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("imgclass predict: --top-k needs --accept application/jsonlines and K >= 1\n");
  }
}
