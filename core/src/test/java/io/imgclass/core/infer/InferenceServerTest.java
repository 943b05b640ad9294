package io.imgclass.core.infer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imgclass.core.model.Classifier;
import io.imgclass.core.model.ImageShape;
import io.imgclass.core.model.ModelArchive;
import io.imgclass.core.model.ModelArtifact;
import io.imgclass.core.model.NetworkRunner;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The SageMaker inference contract over a real socket on 127.0.0.1, port 0. */
class InferenceServerTest {
  static final ImageShape SHAPE = new ImageShape(3, 28, 28);
  static final int MAX_BODY = 20_000;
  static final int IMAGES = 6;

  @TempDir static Path dir;
  static ModelArtifact artifact;
  static byte[][] pngs = new byte[IMAGES][];
  static float[][] expected = new float[IMAGES][];
  static HttpClient client;

  @BeforeAll
  static void setUp() throws Exception {
    Path m = InferFixtures.model(dir, SHAPE, 5, false, 11);
    artifact = ModelArchive.read(m);
    Preprocessing pre = Preprocessing.stretch(SHAPE);
    float[][] in = new float[IMAGES][];
    for (int i = 0; i < IMAGES; i++) {
      // Different sizes: the endpoint stretches each to 28x28.
      pngs[i] = InferFixtures.png(20 + 7 * i, 50 - 4 * i, 100 + i);
      in[i] = pre.apply(pngs[i]);
    }
    try (Classifier c = Classifier.load(m)) {
      for (int i = 0; i < IMAGES; i++) {
        expected[i] = c.predict(new float[][] {in[i]})[0];
      }
    }
    client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  @AfterAll
  static void tearDown() {
    client = null;
  }

  private static InferenceServer start(Engine.Strategy s, int workers) throws Exception {
    InferenceHandler h = new InferenceHandler(artifact, Engine.create(artifact, s, workers, new io.imgclass.core.model.RunOptions(io.imgclass.core.model.EngineKind.MXNET, 0, NetworkRunner.Mode.SYMBOL)), MAX_BODY);
    InferenceServer srv = InferenceServer.start(h, "127.0.0.1", 0, 8);
    assertThat(srv.address().getAddress().isLoopbackAddress()).isTrue();
    assertThat(srv.address().getPort()).isPositive();
    return srv;
  }

  private static HttpResponse<String> post(InferenceServer srv, String type, String accept, byte[] body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + srv.address().getPort() + "/invocations"))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (type != null) {
      b.header("Content-Type", type);
    }
    if (accept != null) {
      b.header("Accept", accept);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void assertProbabilities(JsonNode arr, float[] want) {
    assertThat(arr.isArray()).isTrue();
    assertThat(arr).hasSize(want.length);
    for (int k = 0; k < want.length; k++) {
      assertThat(arr.get(k).asDouble()).isCloseTo(want[k], within(1e-5));
    }
  }

  @Test
  void contract() throws Exception {
    InferenceServer srv = start(Engine.Strategy.POOL, 1);
    try {
      String base = "http://127.0.0.1:" + srv.address().getPort();
      HttpResponse<String> ping = client.send(HttpRequest.newBuilder(URI.create(base + "/ping")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(ping.statusCode()).isEqualTo(200);

      ObjectMapper om = new ObjectMapper();
      // application/json, also for no Accept and */*: a bare array, exactly predict's line.
      for (String accept : new String[] {"application/json", null, "*/*", "text/csv, application/json;q=0.5"}) {
        HttpResponse<String> r = post(srv, "image/png", accept, pngs[1]);
        assertThat(r.statusCode()).as(accept).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(r.body()).isEqualTo(BatchPrediction.jsonArray(expected[1]));
      }
      HttpResponse<String> jl = post(srv, "application/x-image", "application/jsonlines", pngs[2]);
      assertThat(jl.statusCode()).isEqualTo(200);
      assertThat(jl.headers().firstValue("Content-Type")).hasValue("application/jsonlines");
      assertThat(jl.body()).endsWith("}\n");
      assertProbabilities(om.readTree(jl.body()).get("prediction"), expected[2]);
      assertThat(om.readTree(jl.body()).size()).isEqualTo(1);

      HttpResponse<String> r415 = post(srv, "text/plain", null, pngs[0]);
      assertThat(r415.statusCode()).isEqualTo(415);
      assertThat(om.readTree(r415.body()).get("error").asText()).startsWith("unsupported Content-Type 'text/plain'");
      assertThat(post(srv, null, null, pngs[0]).statusCode()).isEqualTo(415);

      HttpResponse<String> r406 = post(srv, "image/png", "text/csv", pngs[0]);
      assertThat(r406.statusCode()).isEqualTo(406);
      assertThat(om.readTree(r406.body()).get("status").asInt()).isEqualTo(406);

      HttpResponse<String> r400 = post(srv, "image/jpeg", null, "not an image at all".getBytes(StandardCharsets.UTF_8));
      assertThat(r400.statusCode()).isEqualTo(400);
      assertThat(om.readTree(r400.body()).get("error").asText())
          .isEqualTo("cannot decode the image (19 bytes): not a recognised image format");

      // Too large, streamed without a length (chunked): cut off while reading.
      byte[] big = new byte[MAX_BODY + 1];
      HttpRequest chunked = HttpRequest.newBuilder(URI.create(base + "/invocations")).header("Content-Type", "image/png")
          .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build();
      HttpResponse<String> r413 = client.send(chunked, HttpResponse.BodyHandlers.ofString());
      assertThat(r413.statusCode()).isEqualTo(413);
      assertThat(r413.body()).contains("larger than 20000 bytes");
      // Exactly the limit is fine (it is not an image, so 400).
      assertThat(post(srv, "image/png", null, new byte[MAX_BODY]).statusCode()).isEqualTo(400);

      // Too large by Content-Length: answered before the body is sent.
      try (Socket s = new Socket("127.0.0.1", srv.address().getPort())) {
        s.setSoTimeout(10_000);
        OutputStream os = s.getOutputStream();
        os.write(("POST /invocations HTTP/1.1\r\nHost: x\r\nContent-Type: image/jpeg\r\nContent-Length: 100000000\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        os.flush();
        InputStream is = s.getInputStream();
        String head = new String(is.readNBytes(12), StandardCharsets.US_ASCII);
        assertThat(head).isEqualTo("HTTP/1.1 413");
      }

      HttpResponse<String> r404 = client.send(HttpRequest.newBuilder(URI.create(base + "/other")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r404.statusCode()).isEqualTo(404);
      HttpResponse<String> r405 = client.send(HttpRequest.newBuilder(URI.create(base + "/invocations")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r405.statusCode()).isEqualTo(405);
    } finally {
      assertThat(srv.stop(Duration.ofSeconds(5))).isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.Strategy.class)
  void concurrentRequestsAreAllAnsweredLikePredict(Engine.Strategy strategy) throws Exception {
    InferenceServer srv = start(strategy, 2);
    ExecutorService clients = Executors.newFixedThreadPool(8);
    try {
      List<Future<String>> answers = new ArrayList<>();
      for (int i = 0; i < 8 * 8; i++) {
        int img = i % IMAGES;
        answers.add(clients.submit(() -> {
          HttpResponse<String> r = post(srv, "image/png", "application/json", pngs[img]);
          assertThat(r.statusCode()).isEqualTo(200);
          return r.body();
        }));
      }
      ObjectMapper om = new ObjectMapper();
      for (int i = 0; i < answers.size(); i++) {
        // Batches of different sizes may differ in the last float bits; the answer is the same.
        assertProbabilities(om.readTree(answers.get(i).get()), expected[i % IMAGES]);
      }
    } finally {
      clients.shutdownNow();
      assertThat(srv.stop(Duration.ofSeconds(5))).isTrue();
    }
  }

  @Test
  void stopFinishesRequestsInFlightAndRefusesNewOnes() throws Exception {
    InferenceServer srv = start(Engine.Strategy.BATCH, 1);
    ExecutorService clients = Executors.newFixedThreadPool(4);
    List<Future<Integer>> inFlight = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      inFlight.add(clients.submit(() -> post(srv, "image/png", null, pngs[0]).statusCode()));
    }
    Thread.sleep(50);
    assertThat(srv.stop(Duration.ofSeconds(20))).isTrue();
    for (Future<Integer> f : inFlight) {
      // Each either finished (200) or arrived after the stop began (503), or found the port closed.
      try {
        assertThat(f.get()).isIn(200, 503);
      } catch (java.util.concurrent.ExecutionException e) {
        assertThat(e.getCause()).isInstanceOf(java.io.IOException.class);
      }
    }
    clients.shutdownNow();
  }
}
