import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Loopback load generator for `imgclass serve` (JDK only):
 *   java bench/ServeLoad.java URL IMAGE_DIR CLIENTS REQUESTS_PER_CLIENT
 * Each client thread sends its requests back to back (POST /invocations, image/png or image/jpeg,
 * Accept application/json), cycling through the images. Counts errors (non-200, I/O errors, or an
 * answer that differs from the first answer for the same image by more than 1e-5), and prints one
 * line: requests, errors, wall time, requests/s, latency p50/p90/p99/max in ms.
 */
public class ServeLoad {
  public static void main(String[] a) throws Exception {
    String url = a[0];
    int clients = Integer.parseInt(a[2]);
    int perClient = Integer.parseInt(a[3]);
    List<Path> files;
    try (Stream<Path> s = Files.walk(Path.of(a[1]))) {
      files = s.filter(Files::isRegularFile).filter(p -> p.toString().matches("(?i).*\\.(png|jpe?g)$")).sorted().limit(200).toList();
    }
    byte[][] bodies = new byte[files.size()][];
    String[] types = new String[files.size()];
    for (int i = 0; i < bodies.length; i++) {
      bodies[i] = Files.readAllBytes(files.get(i));
      types[i] = files.get(i).toString().toLowerCase(Locale.ROOT).endsWith(".png") ? "image/png" : "image/jpeg";
    }
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10)).build();
    Map<Integer, double[]> reference = new ConcurrentHashMap<>();
    AtomicLong errors = new AtomicLong();
    long[][] lat = new long[clients][perClient];
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    long t0 = System.nanoTime();
    List<Future<?>> fs = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      int cc = c;
      fs.add(pool.submit(() -> {
        for (int r = 0; r < perClient; r++) {
          int img = (cc * 7919 + r) % bodies.length;
          HttpRequest req = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", types[img])
              .header("Accept", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(bodies[img])).build();
          long s = System.nanoTime();
          try {
            HttpResponse<String> resp = client.send(req, HttpResponse.BodyHandlers.ofString());
            lat[cc][r] = System.nanoTime() - s;
            if (resp.statusCode() != 200) {
              errors.incrementAndGet();
              continue;
            }
            String b = resp.body().strip();
            double[] v = Arrays.stream(b.substring(1, b.length() - 1).split(",")).mapToDouble(x -> Double.parseDouble(x.strip())).toArray();
            double[] ref = reference.putIfAbsent(img, v);
            if (ref != null) {
              for (int k = 0; k < v.length; k++) {
                if (Math.abs(v[k] - ref[k]) > 1e-5) {
                  errors.incrementAndGet();
                  break;
                }
              }
            }
          } catch (Exception e) {
            lat[cc][r] = System.nanoTime() - s;
            errors.incrementAndGet();
          }
        }
        return null;
      }));
    }
    for (Future<?> f : fs) {
      f.get();
    }
    double wall = (System.nanoTime() - t0) / 1e9;
    pool.shutdown();
    long[] all = Arrays.stream(lat).flatMapToLong(Arrays::stream).sorted().toArray();
    int n = all.length;
    System.out.printf(Locale.ROOT,
        "requests %d errors %d wall_s %.2f req_per_s %.1f p50_ms %.2f p90_ms %.2f p99_ms %.2f max_ms %.2f%n",
        n, errors.get(), wall, n / wall, all[n / 2] / 1e6, all[(int) (n * 0.9)] / 1e6, all[(int) (n * 0.99)] / 1e6,
        all[n - 1] / 1e6);
  }
}
