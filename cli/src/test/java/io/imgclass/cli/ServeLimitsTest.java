package io.imgclass.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgclass.core.model.ImageShape;
import io.imgclass.core.testing.Bombs;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code imgclass serve} in a JVM of its own at -Xmx1g, attacked as the review did: 16 clients that
 * send part of a request and stall, then 4 concurrent 30000² PNG bombs. /ping answers within a
 * second throughout, the bombs get 413, predictions keep coming, and the stalled clients are
 * disconnected after --read-timeout.
 */
class ServeLimitsTest {

  @Test
  void stalledClientsAndBombsDoNotTakeServeDown(@TempDir Path dir) throws Exception {
    Path m = TestModels.calibrated(dir, new ImageShape(3, 28, 28), 4, 21);
    byte[] bomb = Files.readAllBytes(Bombs.zeroPng(dir.resolve("bomb.png"), 30000));
    java.awt.image.BufferedImage b = new java.awt.image.BufferedImage(28, 28, java.awt.image.BufferedImage.TYPE_INT_RGB);
    b.setRGB(3, 4, 0xff8800);
    Path okPng = dir.resolve("ok.png");
    javax.imageio.ImageIO.write(b, "png", okPng.toFile());
    byte[] ok = Files.readAllBytes(okPng);

    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"), "io.imgclass.cli.Imgclass",
        "serve", "--model", m.toString(), "--port", "0", "--read-timeout", "3", "--grace-seconds", "5")
        .redirectError(dir.resolve("serve.err").toFile()).start();
    List<Socket> stalled = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String first = out.readLine();
      assertThat(first).as(Files.readString(dir.resolve("serve.err"))).isNotNull();
      Matcher mt = Pattern.compile("imgclass serve: listening on http://127\\.0\\.0\\.1:(\\d+) .*").matcher(first);
      assertThat(mt.matches()).as(first).isTrue();
      int port = Integer.parseInt(mt.group(1));
      String base = "http://127.0.0.1:" + port;
      HttpClient c = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      // A first ping before the attack: the client's own start-up is not what is measured below.
      assertThat(c.send(HttpRequest.newBuilder(URI.create(base + "/ping")).build(), HttpResponse.BodyHandlers.ofString())
          .statusCode()).isEqualTo(200);

      for (int i = 0; i < 16; i++) {
        Socket s = new Socket("127.0.0.1", port);
        OutputStream o = s.getOutputStream();
        o.write((i % 2 == 0 ? "POST /invocations HTTP/1.1\r\nHost: x\r\nContent-Ty"
            : "POST /invocations HTTP/1.1\r\nHost: x\r\nContent-Type: image/png\r\nContent-Length: 5000\r\n\r\n\u0089PNG")
            .getBytes(StandardCharsets.ISO_8859_1));
        o.flush();
        stalled.add(s);
      }
      long stalledAt = System.nanoTime();
      Thread.sleep(300);
      long t0 = System.nanoTime();
      HttpResponse<String> ping = c.send(HttpRequest.newBuilder(URI.create(base + "/ping")).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertThat(ping.statusCode()).isEqualTo(200);
      assertThat(ms).as("ping took %d ms with 16 stalled clients", ms).isLessThan(1000);

      List<Future<HttpResponse<String>>> answers = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        answers.add(pool.submit(() -> c.send(HttpRequest.newBuilder(URI.create(base + "/invocations"))
            .timeout(Duration.ofSeconds(60)).header("Content-Type", "image/png")
            .POST(HttpRequest.BodyPublishers.ofByteArray(bomb)).build(), HttpResponse.BodyHandlers.ofString())));
      }
      for (Future<HttpResponse<String>> f : answers) {
        HttpResponse<String> r = f.get(90, TimeUnit.SECONDS);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(413);
        assertThat(r.body()).startsWith("{\"error\": \"image too large (" + bomb.length + " bytes): image is 30000x30000");
      }
      HttpResponse<String> pred = c.send(HttpRequest.newBuilder(URI.create(base + "/invocations"))
          .timeout(Duration.ofSeconds(30)).header("Content-Type", "image/png")
          .POST(HttpRequest.BodyPublishers.ofByteArray(ok)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(pred.statusCode()).as(pred.body()).isEqualTo(200);
      assertThat(pred.body()).startsWith("[");

      // The stalled clients are disconnected once --read-timeout (3 s) has passed: each read ends
      // (end of stream or reset) instead of waiting for ever.
      for (Socket s : stalled) {
        s.setSoTimeout(15_000);
        InputStream in = s.getInputStream();
        int got;
        try {
          got = in.read();
        } catch (java.net.SocketException e) {
          got = -1; // reset by the server: disconnected too
        }
        assertThat(got).isEqualTo(-1);
      }
      long cut = (System.nanoTime() - stalledAt) / 1_000_000;
      assertThat(cut).as("stalled clients cut after %d ms", cut).isBetween(2500L, 15_000L);
      assertThat(c.send(HttpRequest.newBuilder(URI.create(base + "/ping")).build(), HttpResponse.BodyHandlers.ofString())
          .statusCode()).isEqualTo(200);
    } finally {
      pool.shutdownNow();
      for (Socket s : stalled) {
        s.close();
      }
      p.destroy();
      p.waitFor(30, TimeUnit.SECONDS);
    }
    String err = Files.readString(dir.resolve("serve.err"));
    assertThat(err).doesNotContain("OutOfMemoryError");
    assertThat(p.exitValue()).as(err).isEqualTo(143);
  }
}
