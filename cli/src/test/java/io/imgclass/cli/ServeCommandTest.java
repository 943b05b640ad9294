package io.imgclass.cli;

import static org.assertj.core.api.Assertions.assertThat;

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
 * {@code imgclass serve} as users run it: its own JVM, {@code --port 0}, the printed address,
 * answers equal to {@code imgclass predict}'s, and a graceful stop on SIGTERM.
 */
class ServeCommandTest {

  @Test
  void servesLikePredictAndStopsOnSigterm(@TempDir Path dir) throws Exception {
    Path m = TestModels.calibrated(dir, new ImageShape(3, 28, 28), 4, 21);
    List<Path> imgs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Path p = dir.resolve("img" + i + ".png");
      java.awt.image.BufferedImage b = new java.awt.image.BufferedImage(30 + 9 * i, 28, java.awt.image.BufferedImage.TYPE_INT_RGB);
      for (int y = 0; y < b.getHeight(); y++) {
        for (int x = 0; x < b.getWidth(); x++) {
          b.setRGB(x, y, (x * 8 + i * 40) << 16 | (y * 9) << 8 | (x * y) & 0xff);
        }
      }
      javax.imageio.ImageIO.write(b, "png", p.toFile());
      imgs.add(p);
    }
    List<String> args = new ArrayList<>(List.of("predict", "--model", m.toString(), "--batch-size", "1"));
    imgs.forEach(p -> args.add(p.toString()));
    CliRunner.Result predicted = CliRunner.run(args.toArray(new String[0]));
    assertThat(predicted.exitCode()).as(predicted.err()).isZero();
    String[] expected = predicted.out().strip().split("\n");

    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "io.imgclass.cli.Imgclass",
        "serve", "--model", m.toString(), "--port", "0", "--grace-seconds", "10")
        .redirectError(dir.resolve("serve.err").toFile()).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String first = out.readLine();
      assertThat(first).as(Files.readString(dir.resolve("serve.err"))).isNotNull();
      Matcher mt = Pattern.compile("imgclass serve: listening on http://127\\.0\\.0\\.1:(\\d+) \\(model .*, image_shape"
          + " 3,28,28, batch strategy, 1 worker\\)").matcher(first);
      assertThat(mt.matches()).as(first).isTrue();
      String base = "http://127.0.0.1:" + mt.group(1);
      HttpClient c = HttpClient.newHttpClient();
      assertThat(c.send(HttpRequest.newBuilder(URI.create(base + "/ping")).build(), HttpResponse.BodyHandlers.ofString())
          .statusCode()).isEqualTo(200);
      for (int i = 0; i < imgs.size(); i++) {
        HttpResponse<String> r = c.send(HttpRequest.newBuilder(URI.create(base + "/invocations"))
            .header("Content-Type", "image/png").POST(HttpRequest.BodyPublishers.ofFile(imgs.get(i))).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        // Same network, same preprocessing, one image per forward pass on both sides: identical text.
        assertThat(r.body()).isEqualTo(expected[i]);
      }
    } finally {
      p.destroy(); // SIGTERM
    }
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String err = Files.readString(dir.resolve("serve.err"));
    assertThat(p.exitValue()).as(err).isEqualTo(143);
    assertThat(err).contains("imgclass serve: stopping (finishing requests in flight, at most 10 s)\n"
        + "imgclass serve: stopped\n");
  }

  @Test
  void badOptionsAreUsageErrors() {
    CliRunner.Result r = CliRunner.run("serve", "--model", "m.tar.gz", "--strategy", "fast");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("imgclass serve: strategy must be pool or batch, got 'fast'\n");
    CliRunner.Result port = CliRunner.run("serve", "--model", "m.tar.gz", "--port", "70000");
    assertThat(port.exitCode()).isEqualTo(2);
    assertThat(port.err()).isEqualTo("imgclass serve: --port must be 0..65535, got 70000\n");
  }

  @Test
  void missingModelFails(@TempDir Path dir) {
    CliRunner.Result r = CliRunner.run("serve", "--model", dir.resolve("none.tar.gz").toString(), "--port", "0");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).startsWith("imgclass serve: ").contains("none.tar.gz");
  }
}
