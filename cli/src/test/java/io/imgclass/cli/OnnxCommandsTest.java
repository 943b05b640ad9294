package io.imgclass.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imgclass.core.model.ImageShape;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code export} and {@code --engine onnxruntime}: predict on ONNX Runtime (from the model.tar.gz
 * converted in memory, and from the exported .onnx) equals predict on MXNet within 1e-4, and serve
 * on ONNX Runtime answers the bytes predict on ONNX Runtime prints.
 */
class OnnxCommandsTest {

  static List<Path> images(Path dir, int n) throws Exception {
    List<Path> imgs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Path p = dir.resolve("img" + i + ".png");
      java.awt.image.BufferedImage b =
          new java.awt.image.BufferedImage(30 + 9 * i, 28, java.awt.image.BufferedImage.TYPE_INT_RGB);
      for (int y = 0; y < b.getHeight(); y++) {
        for (int x = 0; x < b.getWidth(); x++) {
          b.setRGB(x, y, (x * 8 + i * 40) << 16 | (y * 9) << 8 | (x * y) & 0xff);
        }
      }
      javax.imageio.ImageIO.write(b, "png", p.toFile());
      imgs.add(p);
    }
    return imgs;
  }

  static double[][] probabilities(String out) throws Exception {
    String[] lines = out.strip().split("\n");
    double[][] p = new double[lines.length][];
    ObjectMapper om = new ObjectMapper();
    for (int i = 0; i < lines.length; i++) {
      JsonNode a = om.readTree(lines[i]);
      p[i] = new double[a.size()];
      for (int k = 0; k < a.size(); k++) {
        p[i][k] = a.get(k).asDouble();
      }
    }
    return p;
  }

  static CliRunner.Result predict(Path model, String engine, List<Path> imgs) {
    List<String> args = new ArrayList<>(List.of("predict", "--engine", engine, "--model", model.toString(), "--batch-size", "2"));
    imgs.forEach(p -> args.add(p.toString()));
    return CliRunner.run(args.toArray(new String[0]));
  }

  @Test
  void exportedModelPredictsAsMxnet(@TempDir Path dir) throws Exception {
    Path m = TestModels.calibrated(dir, new ImageShape(3, 28, 28), 4, 21);
    Path onnx = dir.resolve("out/m.onnx");
    Files.createDirectories(onnx.getParent());
    CliRunner.Result ex = CliRunner.run("export", "--model", m.toString(), "--onnx", onnx.toString());
    assertThat(ex.exitCode()).as(ex.err()).isZero();
    assertThat(ex.err()).isEmpty();
    // ResNet-20: the 9 bn2 after each unit's conv1, and stage1_unit1_bn1 right after conv0.
    assertThat(ex.out()).matches("imgclass export: wrote .*m\\.onnx \\(opset 13, \\d+ nodes, 10 BatchNorms folded, "
        + "[0-9.]+ MB; input data \\[batch,3,28,28\\], output softmax_output \\[batch,4\\]\\)\n");
    try (var files = Files.list(onnx.getParent())) {
      assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("m.onnx");
    }
    List<Path> imgs = images(dir, 5);
    CliRunner.Result mx = predict(m, "mxnet", imgs);
    CliRunner.Result ort = predict(m, "onnxruntime", imgs);
    CliRunner.Result file = predict(onnx, "onnxruntime", imgs);
    for (CliRunner.Result r : List.of(mx, ort, file)) {
      assertThat(r.exitCode()).as(r.err()).isZero();
      assertThat(r.err()).isEmpty();
    }
    double[][] want = probabilities(mx.out());
    assertThat(want).hasNumberOfRows(5);
    for (double[][] got : List.of(probabilities(ort.out()), probabilities(file.out()))) {
      assertThat(got).hasNumberOfRows(5);
      for (int i = 0; i < want.length; i++) {
        assertThat(got[i]).hasSameSizeAs(want[i]);
        for (int k = 0; k < want[i].length; k++) {
          assertThat(got[i][k]).isCloseTo(want[i][k], org.assertj.core.data.Offset.offset(1e-4));
        }
      }
    }
  }

  @Test
  void badInputsAreReported(@TempDir Path dir) throws Exception {
    CliRunner.Result missing = CliRunner.run("export", "--model", dir.resolve("none.tar.gz").toString(), "--onnx",
        dir.resolve("x.onnx").toString());
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.out()).isEmpty();
    assertThat(missing.err()).startsWith("imgclass export: ").contains("none.tar.gz");
    assertThat(dir.resolve("x.onnx")).doesNotExist();

    Path junk = dir.resolve("junk.onnx");
    Files.writeString(junk, "not protobuf");
    CliRunner.Result notOnnx = CliRunner.run("predict", "--engine", "onnxruntime", "--model", junk.toString(),
        dir.toString());
    assertThat(notOnnx.exitCode()).isEqualTo(1);
    assertThat(notOnnx.out()).isEmpty();
    assertThat(notOnnx.err()).startsWith("imgclass predict: " + junk + ": not an ONNX model");

    CliRunner.Result wrongEngine = CliRunner.run("predict", "--engine", "mxnet", "--model", junk.toString(), dir.toString());
    assertThat(wrongEngine.exitCode()).isEqualTo(2);
    assertThat(wrongEngine.out()).isEmpty();
    assertThat(wrongEngine.err()).isEqualTo("imgclass predict: " + junk + " is an ONNX model: run it with --engine"
        + " onnxruntime\n");
    CliRunner.Result serveWrong = CliRunner.run("serve", "--model", junk.toString(), "--port", "0");
    assertThat(serveWrong.exitCode()).isEqualTo(2);
    assertThat(serveWrong.out()).isEmpty();
    assertThat(serveWrong.err()).isEqualTo("imgclass serve: " + junk + " is an ONNX model: run it with --engine"
        + " onnxruntime\n");
  }

  // Every engine's serve answers exactly the bytes predict prints on that engine (PyTorch and MXNet
  // too, so the HTTP path is covered on each engine, not only ONNX Runtime's).
  @org.junit.jupiter.params.ParameterizedTest(name = "{0} {1}")
  @org.junit.jupiter.params.provider.CsvSource({"onnxruntime, model.tar.gz", "onnxruntime, exported .onnx",
      "pytorch, model.tar.gz", "mxnet, model.tar.gz"})
  void serveAnswersAsPredictOnEachEngine(String engine, String kind, @TempDir Path dir) throws Exception {
    Path m = TestModels.calibrated(dir, new ImageShape(3, 28, 28), 4, 22);
    if (kind.endsWith(".onnx")) {
      Path onnx = dir.resolve("m.onnx");
      CliRunner.Result ex = CliRunner.run("export", "--model", m.toString(), "--onnx", onnx.toString());
      assertThat(ex.exitCode()).as(ex.err()).isZero();
      m = onnx;
    }
    List<Path> imgs = images(dir, 3);
    List<String> args = new ArrayList<>(List.of("predict", "--engine", engine, "--model", m.toString(),
        "--batch-size", "1"));
    imgs.forEach(p -> args.add(p.toString()));
    CliRunner.Result predicted = CliRunner.run(args.toArray(new String[0]));
    assertThat(predicted.exitCode()).as(predicted.err()).isZero();
    String[] expected = predicted.out().strip().split("\n");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "io.imgclass.cli.Imgclass",
        "serve", "--engine", engine, "--model", m.toString(), "--port", "0", "--grace-seconds", "10")
        .redirectError(dir.resolve("serve.err").toFile()).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String first = out.readLine();
      assertThat(first).as(Files.readString(dir.resolve("serve.err"))).isNotNull();
      Matcher mt = Pattern.compile("imgclass serve: listening on http://127\\.0\\.0\\.1:(\\d+) .*").matcher(first);
      assertThat(mt.matches()).as(first).isTrue();
      String base = "http://127.0.0.1:" + mt.group(1);
      HttpClient c = HttpClient.newHttpClient();
      for (int i = 0; i < imgs.size(); i++) {
        HttpResponse<String> r = c.send(HttpRequest.newBuilder(URI.create(base + "/invocations"))
            .header("Content-Type", "image/png").POST(HttpRequest.BodyPublishers.ofFile(imgs.get(i))).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        if (!engine.equals("pytorch")) {
          assertThat(r.body()).isEqualTo(expected[i]);
        } else {
          // libtorch on the CPU is not bitwise repeatable between processes (its oneDNN kernels are
          // picked per process): the same numbers within float rounding, not the same bytes.
          com.fasterxml.jackson.databind.JsonNode got = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body());
          com.fasterxml.jackson.databind.JsonNode want = new com.fasterxml.jackson.databind.ObjectMapper().readTree(expected[i]);
          assertThat(got.size()).isEqualTo(want.size());
          for (int k = 0; k < want.size(); k++) {
            assertThat(got.get(k).asDouble()).isCloseTo(want.get(k).asDouble(), org.assertj.core.data.Offset.offset(1e-5));
          }
        }
      }
    } finally {
      p.destroy();
    }
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
  }
}
