package io.imgclass.core.infer;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgclass.core.model.ImageShape;
import io.imgclass.core.model.ModelArchive;
import io.imgclass.core.model.ModelArtifact;
import io.imgclass.core.model.NetworkRunner;
import io.imgclass.core.testing.Bombs;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients that stall or send bombs do not take the server down: {@code /ping} and predictions are
 * answered while every work thread's worth of connections is stalled, and images whose header
 * claims too many pixels get 413 with a JSON body. (The read timeout that finally cuts stalled
 * clients off is one setting per JVM; ServeLimitsTest in cli checks it in a serve process of its
 * own.)
 */
class InferenceServerLimitsTest {
  @TempDir Path dir;

  @Test
  void stalledClientsDoNotBlockPingOrPredictionsAndBombsGet413() throws Exception {
    ImageShape shape = new ImageShape(3, 28, 28);
    ModelArtifact a = ModelArchive.read(InferFixtures.model(dir, shape, 3, false, 5));
    InferenceHandler h = new InferenceHandler(a, Engine.create(a, Engine.Strategy.POOL, 1, io.imgclass.core.model.RunOptions.defaults()),
        InferenceHandler.DEFAULT_MAX_BODY);
    // 8 work threads (serve's default) and 16 stalled clients: twice what used to block every thread.
    InferenceServer srv = InferenceServer.start(h, "127.0.0.1", 0, 8);
    List<Socket> stalled = new ArrayList<>();
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    String base = "http://127.0.0.1:" + srv.address().getPort();
    try {
      // A first ping before the attack: the client's own start-up is not what is measured below.
      assertThat(client.send(HttpRequest.newBuilder(URI.create(base + "/ping")).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
      for (int i = 0; i < 16; i++) {
        Socket s = new Socket("127.0.0.1", srv.address().getPort());
        OutputStream o = s.getOutputStream();
        // Half send part of the headers, half the headers and part of the body; then nothing.
        o.write((i % 2 == 0 ? "POST /invocations HTTP/1.1\r\nHost: x\r\nContent-Ty"
            : "POST /invocations HTTP/1.1\r\nHost: x\r\nContent-Type: image/png\r\nContent-Length: 5000\r\n\r\n\u0089PNG")
            .getBytes(StandardCharsets.ISO_8859_1));
        o.flush();
        stalled.add(s);
      }
      Thread.sleep(300); // let the server pick them all up
      long t0 = System.nanoTime();
      HttpResponse<String> ping = client.send(HttpRequest.newBuilder(URI.create(base + "/ping"))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertThat(ping.statusCode()).isEqualTo(200);
      assertThat(ms).as("ping took %d ms with 16 stalled clients", ms).isLessThan(1000);

      byte[] png = InferFixtures.png(30, 30, 1);
      HttpResponse<String> ok = client.send(HttpRequest.newBuilder(URI.create(base + "/invocations"))
          .timeout(Duration.ofSeconds(20)).header("Content-Type", "image/png")
          .POST(HttpRequest.BodyPublishers.ofByteArray(png)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);

      // 4 concurrent decompression bombs (875 KB PNGs of 30000x30000): 413 each, JSON body.
      byte[] bomb = Files.readAllBytes(Bombs.zeroPng(dir.resolve("bomb.png"), 30000));
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          answers.add(pool.submit(() -> client.send(HttpRequest.newBuilder(URI.create(base + "/invocations"))
              .timeout(Duration.ofSeconds(30)).header("Content-Type", "image/png")
              .POST(HttpRequest.BodyPublishers.ofByteArray(bomb)).build(), HttpResponse.BodyHandlers.ofString())));
        }
        for (Future<HttpResponse<String>> f : answers) {
          HttpResponse<String> r = f.get();
          assertThat(r.statusCode()).isEqualTo(413);
          assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
          assertThat(r.body()).isEqualTo("{\"error\": \"image too large (" + bomb.length + " bytes): image is 30000x30000"
              + " (900000000 pixels), over the limit of 100000000 pixels (raise it with --max-pixels or"
              + " IMGCLASS_MAX_PIXELS)\", \"status\": 413}\n");
        }
      } finally {
        pool.shutdownNow();
      }
      HttpResponse<String> after = client.send(HttpRequest.newBuilder(URI.create(base + "/invocations"))
          .timeout(Duration.ofSeconds(20)).header("Content-Type", "image/png")
          .POST(HttpRequest.BodyPublishers.ofByteArray(png)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(after.statusCode()).isEqualTo(200);
      assertThat(after.body()).isEqualTo(ok.body());
    } finally {
      for (Socket s : stalled) {
        s.close();
      }
      srv.stop(Duration.ofSeconds(5));
    }
  }

  @Test
  void requestsBeyondTheQueueGet503AtOnce() throws Exception {
    // A slow network (ResNet-18 at 224x224: hundreds of ms per image here), one work slot, no
    // queue: of 6 requests sent together, one runs and those arriving meanwhile are turned away.
    ImageShape shape = new ImageShape(3, 224, 224);
    io.imgclass.core.model.Graph g = io.imgclass.core.model.ResNet.build(io.imgclass.core.model.ResNetConfig.of(18, shape, 3));
    Path m = dir.resolve("r18.tar.gz");
    ModelArchive.write(new ModelArtifact(g, io.imgclass.core.model.Initialization.initialize(g, shape, 5), 1, shape, 1,
        List.of()), m);
    ModelArtifact a = ModelArchive.read(m);
    InferenceHandler h = new InferenceHandler(a, Engine.create(a, Engine.Strategy.POOL, 1, io.imgclass.core.model.RunOptions.defaults()),
        InferenceHandler.DEFAULT_MAX_BODY);
    InferenceServer srv = InferenceServer.start(h, "127.0.0.1", 0,
        new InferenceServer.Limits(1, 16, 0, InferenceServer.Limits.DEFAULT_READ_TIMEOUT));
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    String base = "http://127.0.0.1:" + srv.address().getPort();
    byte[] png = InferFixtures.png(64, 64, 2);
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<HttpResponse<String>>> answers = new ArrayList<>();
      java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
      for (int i = 0; i < 6; i++) {
        answers.add(pool.submit(() -> {
          go.await();
          return client.send(HttpRequest.newBuilder(URI.create(base + "/invocations"))
              .timeout(Duration.ofSeconds(60)).header("Content-Type", "image/png")
              .POST(HttpRequest.BodyPublishers.ofByteArray(png)).build(), HttpResponse.BodyHandlers.ofString());
        }));
      }
      go.countDown();
      int ok = 0;
      int busy = 0;
      for (Future<HttpResponse<String>> f : answers) {
        HttpResponse<String> r = f.get();
        if (r.statusCode() == 200) {
          ok++;
        } else {
          assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
          assertThat(r.body()).isEqualTo("{\"error\": \"busy: 1 requests running and 0 waiting; retry later\", \"status\": 503}\n");
          busy++;
        }
      }
      assertThat(ok).isPositive();
      assertThat(busy).isPositive();
    } finally {
      pool.shutdownNow();
      srv.stop(Duration.ofSeconds(10));
    }
  }
}
