package io.imgclass.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code imgclass evaluate} on a small generated .rec and .lst with a freshly initialised model. */
class EvaluateCommandTest {
  static final int N = 14;
  static final int K = 3;

  /** Images of varied sizes under root/cK/, a .lst with their labels, and the .rec packed from it. */
  private static int[] data(Path dir) throws Exception {
    int[] labels = new int[N];
    StringBuilder lst = new StringBuilder();
    SplittableRandom r = new SplittableRandom(3);
    for (int i = 0; i < N; i++) {
      labels[i] = i % K;
      BufferedImage img = new BufferedImage(30 + i, 28 + (i % 4) * 3, BufferedImage.TYPE_INT_RGB);
      int base = r.nextInt(1 << 24);
      for (int y = 0; y < img.getHeight(); y++) {
        for (int x = 0; x < img.getWidth(); x++) {
          img.setRGB(x, y, base ^ (x * 2000 + y * 37 + r.nextInt(64)));
        }
      }
      String rel = "c" + labels[i] + "/img" + i + ".png";
      Path f = dir.resolve("root").resolve(rel);
      Files.createDirectories(f.getParent());
      ImageIO.write(img, "png", f.toFile());
      lst.append(i).append('\t').append(labels[i]).append(".000000\t").append(rel).append('\n');
    }
    Files.writeString(dir.resolve("val.lst"), lst.toString());
    CliRunner.Result p = CliRunner.run("pack-recordio", dir.resolve("val.lst").toString(), dir.resolve("root").toString(),
        "--pass-through", "--quiet");
    assertThat(p.exitCode()).as(p.err()).isZero();
    return labels;
  }

  /** The same report, whichever engine runs the network (a calibrated model, so no argmax is a near tie). */
  @Test
  void everyEngineGivesTheSameReport(@TempDir Path dir) throws Exception {
    data(dir);
    Path m = TestModels.calibrated(dir, new io.imgclass.core.model.ImageShape(3, 28, 28), K, 5);
    String first = null;
    for (String engine : new String[] {"mxnet", "pytorch", "onnxruntime"}) {
      CliRunner.Result r = CliRunner.run("evaluate", "--engine", engine, "--model", m.toString(),
          dir.resolve("val.rec").toString(), "--format", "json", "--top-k", "2");
      assertThat(r.exitCode()).as(engine + ": " + r.err()).isZero();
      assertThat(r.err()).as(engine).isEmpty();
      JsonNode j = new ObjectMapper().readTree(r.out());
      assertThat(j.get("evaluated").asInt()).as(engine).isEqualTo(N);
      String metrics = j.get("accuracy").toString() + j.get("confusion_matrix") + j.get("per_class");
      if (first == null) {
        first = metrics;
      } else {
        assertThat(metrics).as(engine + " vs mxnet").isEqualTo(first);
      }
    }
  }

  @Test
  void accuracyEqualsPredictArgmaxAndConfusionSums(@TempDir Path dir) throws Exception {
    int[] labels = data(dir);
    Path m = dir.resolve("m.tar.gz");
    CliRunner.Result init = CliRunner.run("model", "--num-layers", "20", "--image-shape", "3,28,28", "--num-classes",
        String.valueOf(K), "--init-out", m.toString(), "--seed", "4");
    assertThat(init.exitCode()).as(init.err()).isZero();

    Path json = dir.resolve("eval.json");
    Path png = dir.resolve("cm.png");
    CliRunner.Result r = CliRunner.run("evaluate", "--model", m.toString(), dir.resolve("val.rec").toString(),
        "--format", "json", "--output", json.toString(), "--confusion-png", png.toString(), "--top-k", "2",
        "--batch-size", "4");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEmpty();
    JsonNode j = new ObjectMapper().readTree(json.toFile());
    assertThat(j.get("evaluated").asInt()).isEqualTo(N);
    assertThat(j.get("skipped").asInt()).isZero();
    assertThat(j.get("preprocessing").asText()).isEqualTo("center-crop 3,28,28");
    long total = 0;
    long diagonal = 0;
    for (int t = 0; t < K; t++) {
      long row = 0;
      for (int c = 0; c < K; c++) {
        row += j.get("confusion_matrix").get(t).get(c).asLong();
      }
      assertThat(row).isEqualTo(j.get("per_class").get(t).get("support").asLong()).isEqualTo((N - t + K - 1) / K);
      total += row;
      diagonal += j.get("confusion_matrix").get(t).get(t).asLong();
    }
    assertThat(total).isEqualTo(N);
    assertThat(j.get("accuracy").asDouble()).isEqualTo((double) diagonal / N);
    assertThat(ImageIO.read(png.toFile())).isNotNull();

    // predict with the same (validation) preprocessing on the same images, through the .lst.
    CliRunner.Result p = CliRunner.run("predict", "--model", m.toString(), "--preprocess", "center-crop",
        "--root", dir.resolve("root").toString(), dir.resolve("val.lst").toString());
    assertThat(p.exitCode()).as(p.err()).isZero();
    String[] lines = p.out().strip().split("\n");
    int correct = 0;
    ObjectMapper om = new ObjectMapper();
    for (int i = 0; i < N; i++) {
      JsonNode probs = om.readTree(lines[i]);
      int arg = 0;
      for (int c = 1; c < K; c++) {
        if (probs.get(c).asDouble() > probs.get(arg).asDouble()) {
          arg = c;
        }
      }
      correct += arg == labels[i] ? 1 : 0;
    }
    assertThat(j.get("accuracy").asDouble()).isEqualTo((double) correct / N);

    // The same data as .lst + root gives the same report (text this time).
    CliRunner.Result viaLst = CliRunner.run("evaluate", "--model", m.toString(), dir.resolve("val.lst").toString(),
        "--root", dir.resolve("root").toString());
    assertThat(viaLst.exitCode()).as(viaLst.err()).isZero();
    assertThat(viaLst.out()).contains("images: " + N + " evaluated, 0 skipped\n")
        .contains(String.format(java.util.Locale.ROOT, "accuracy: %.4f%n", (double) correct / N))
        .contains("confusion matrix (rows: true class, columns: predicted class, by index):");
  }

  @Test
  void badImagesAreReportedAndTheRestEvaluated(@TempDir Path dir) throws Exception {
    data(dir);
    Files.writeString(dir.resolve("root/c1/img1.png"), "broken");
    Path m = dir.resolve("m.tar.gz");
    assertThat(CliRunner.run("model", "--num-layers", "20", "--image-shape", "3,28,28", "--num-classes",
        String.valueOf(K), "--init-out", m.toString(), "--seed", "4").exitCode()).isZero();
    CliRunner.Result r = CliRunner.run("evaluate", "--model", m.toString(), dir.resolve("val.lst").toString(),
        "--root", dir.resolve("root").toString(), "--preprocess", "stretch", "--format", "json");
    assertThat(r.exitCode()).isEqualTo(1);
    // The list's line first: it is what to fix.
    assertThat(r.err()).isEqualTo("error: " + dir.resolve("val.lst") + ":2 (" + dir.resolve("root/c1/img1.png")
        + "): cannot decode image: not a recognised"
        + " image format\nimgclass evaluate: 1 of " + N + " images could not be used; " + (N - 1) + " evaluated\n");
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertThat(j.get("evaluated").asInt()).isEqualTo(N - 1);
    assertThat(j.get("skipped").asInt()).isEqualTo(1);
    assertThat(j.get("preprocessing").asText()).isEqualTo("stretch to 3,28,28");

    // Without --root the paths are looked up beside the list: every one is missing, each reported.
    CliRunner.Result missing = CliRunner.run("evaluate", "--model", m.toString(), dir.resolve("val.lst").toString());
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.err()).startsWith("error: " + dir.resolve("val.lst") + ":1: " + dir.resolve("c0/img0.png")
        + ": no such file\n")
        .endsWith("imgclass evaluate: " + N + " of " + N + " images could not be used; 0 evaluated\n");
  }

  @Test
  void optionCombinations() {
    CliRunner.Result r = CliRunner.run("evaluate", "--model", "m.tar.gz", "x.rec", "--root", "imgs");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("imgclass evaluate: --root goes with a .lst, not a .rec\n");
    CliRunner.Result s = CliRunner.run("evaluate", "--model", "m.tar.gz", "x.rec", "--preprocess", "stretch",
        "--resize", "32");
    assertThat(s.exitCode()).isEqualTo(2);
    assertThat(s.err()).isEqualTo("imgclass evaluate: --resize only applies to --preprocess center-crop\n");
  }
}
