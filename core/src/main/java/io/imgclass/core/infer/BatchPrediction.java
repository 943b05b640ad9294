package io.imgclass.core.infer;

import io.imgclass.core.lst.ImageRoot;
import io.imgclass.core.image.ImageDecodeException;
import io.imgclass.core.lst.LstEntry;
import io.imgclass.core.lst.LstReader;
import io.imgclass.core.model.Classifier;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Predicts a list of image files in batches and writes one line per image, in input order, as
 * SageMaker's endpoint answers: {@code application/json} a bare probability array,
 * {@code application/jsonlines} {@code {"prediction": [...]}} (plus the image path and top-k
 * classes when asked). An image that cannot be used gets an error line on the error writer and is
 * counted; the rest are still predicted. Images are decoded and preprocessed ({@link Preprocessing})
 * on a few threads while the network runs, and every forward pass has its own NDManager scope
 * ({@code NetworkRunner}).
 */
public final class BatchPrediction {
  /** Response format. */
  public enum Accept {
    /** Bare JSON array per image. */
    JSON("application/json"),
    /** {@code {"prediction": [...]}} per image. */
    JSONLINES("application/jsonlines");

    private final String mime;

    Accept(String mime) {
      this.mime = mime;
    }

    /** Parses a MIME type. */
    public static Accept parse(String mime) {
      for (Accept a : values()) {
        if (a.mime.equalsIgnoreCase(mime.strip())) {
          return a;
        }
      }
      throw new io.imgclass.core.UsageException("accept must be application/json or application/jsonlines, got '" + mime + "'");
    }
  }

  /**
   * Options.
   *
   * @param accept output format
   * @param topK 0, or the number of top classes to add (jsonlines only)
   * @param batchSize images per forward pass
   * @param preprocessing how images become network input
   * @param threads decoding threads
   */
  public record Options(Accept accept, int topK, int batchSize, Preprocessing preprocessing, int threads) {}

  /**
   * What happened.
   *
   * @param predicted images predicted
   * @param failed images that could not be used
   * @param wallNanos time from the first decode to the last line written
   * @param forwardNanos per forward pass, in order (the first includes MXNet's warm-up)
   * @param batchSizes images in each forward pass
   */
  public record Summary(int predicted, int failed, long wallNanos, long[] forwardNanos, int[] batchSizes) {
    /**
     * A one-line timing report: overall images/s, and the engine's steady state (median forward
     * pass after the first, which carries MXNet's one-time graph set-up).
     */
    public String timing() {
      double wall = wallNanos / 1e9;
      long[] steady = forwardNanos.length > 1 ? Arrays.copyOfRange(forwardNanos, 1, forwardNanos.length) : forwardNanos;
      int[] steadySizes = batchSizes.length > 1 ? Arrays.copyOfRange(batchSizes, 1, batchSizes.length) : batchSizes;
      long[] perImage = new long[steady.length];
      for (int i = 0; i < steady.length; i++) {
        perImage[i] = steady[i] / Math.max(1, steadySizes[i]);
      }
      double medBatchMs = median(steady) / 1e6;
      double medImageMs = median(perImage) / 1e6;
      long total = 0;
      for (long f : forwardNanos) {
        total += f;
      }
      return String.format(Locale.ROOT,
          "timing: %d images in %.3f s (%.1f images/s end to end); forward total %.3f s in %d passes;"
              + " steady state (passes 2..n): median pass %.2f ms, %.2f ms/image = %.1f images/s; first pass %.2f ms",
          predicted, wall, wall > 0 ? predicted / wall : 0, total / 1e9, forwardNanos.length, medBatchMs, medImageMs,
          medImageMs > 0 ? 1000 / medImageMs : 0, forwardNanos.length > 0 ? forwardNanos[0] / 1e6 : 0);
    }

    private static double median(long[] v) {
      if (v.length == 0) {
        return 0;
      }
      long[] s = v.clone();
      Arrays.sort(s);
      return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2.0;
    }
  }

  private BatchPrediction() {}

  /**
   * Expands the inputs into image files, in order: a file as given; a directory's images
   * (recursively, sorted by path); a {@code .lst}'s entries in list order, resolved under {@code
   * lstRoot} (null: the list's own folder).
   */
  public static List<Path> expand(List<Path> inputs, Path lstRoot) throws IOException {
    List<Path> out = new ArrayList<>();
    for (Path p : inputs) {
      if (Files.isDirectory(p)) {
        try (Stream<Path> s = Files.walk(p)) {
          // Not only regular files: a FIFO or device named like an image is reported, not skipped.
          s.filter(f -> !Files.isDirectory(f)).filter(BatchPrediction::looksLikeImage).sorted(Comparator.naturalOrder())
              .forEach(out::add);
        }
      } else if (p.getFileName() != null && p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".lst")) {
        Path root = lstRoot != null ? lstRoot : p.toAbsolutePath().getParent();
        List<LstEntry> entries = LstReader.readAll(p);
        for (int i = 0; i < entries.size(); i++) {
          out.add(ImageRoot.resolve(root, entries.get(i).path(), p + ": entry " + (i + 1)));
        }
      } else {
        out.add(p);
      }
    }
    return out;
  }

  private static boolean looksLikeImage(Path p) {
    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png") || n.endsWith(".bmp") || n.endsWith(".gif")
        || n.endsWith(".tif") || n.endsWith(".tiff");
  }

  /**
   * Runs the prediction: images are read and decoded on {@code threads} threads, at most two
   * batches ahead of the network, and written in input order.
   */
  public static Summary run(Classifier model, List<Path> files, Options opt, PrintWriter out, PrintWriter err) {
    List<String> classes = model.classes();
    Preprocessing pre = opt.preprocessing();
    int predicted = 0;
    int failed = 0;
    long t0 = System.nanoTime();
    List<Long> forward = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    java.util.Map<Integer, String> warnings = new java.util.concurrent.ConcurrentHashMap<>();
    try (OrderedPipeline<float[]> pipe = new OrderedPipeline<>(files.size(),
        i -> {
          byte[] bytes = io.imgclass.core.image.ImageFiles.read(files.get(i));
          String truncated = io.imgclass.core.image.JpegTruncation.check(bytes);
          if (truncated != null) {
            warnings.put(i, truncated);
          }
          return pre.apply(bytes);
        }, opt.threads(), 2 * opt.batchSize())) {
      List<Path> ok = new ArrayList<>();
      List<float[]> arrays = new ArrayList<>();
      while (pipe.hasNext() || !ok.isEmpty()) {
        if (pipe.hasNext()) {
          OrderedPipeline.Outcome<float[]> o = pipe.next();
          Path f = files.get(o.index());
          String warning = warnings.remove(o.index());
          if (warning != null && o.ok()) {
            // Printed in input order, as the outcome arrives, so warnings line up with the output.
            err.println("warning: " + f + ": " + warning + "; predicted from the part that decoded");
            err.flush();
          }
          if (o.ok()) {
            ok.add(f);
            arrays.add(o.value());
          } else {
            err.println("error: " + f + ": " + describe(o.error()));
            err.flush();
            failed++;
          }
          if (ok.size() < opt.batchSize() && pipe.hasNext()) {
            continue;
          }
        }
        if (ok.isEmpty()) {
          continue;
        }
        long f0 = System.nanoTime();
        float[][] probs = model.predict(arrays.toArray(new float[0][]));
        forward.add(System.nanoTime() - f0);
        sizes.add(ok.size());
        for (int i = 0; i < ok.size(); i++) {
          out.println(line(ok.get(i), probs[i], opt, classes));
          predicted++;
        }
        out.flush();
        ok.clear();
        arrays.clear();
      }
    }
    return new Summary(predicted, failed, System.nanoTime() - t0,
        forward.stream().mapToLong(Long::longValue).toArray(), sizes.stream().mapToInt(Integer::intValue).toArray());
  }

  /** A one-line reason for a failed image. */
  public static String describe(Exception e) {
    if (e instanceof io.imgclass.core.image.ImageFiles.NotARegularFile n) {
      return n.reason();
    }
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof ImageDecodeException) {
      return e.getMessage();
    }
    String m = e.getMessage();
    return (m == null ? e.getClass().getSimpleName() : m).replace('\n', ' ');
  }

  /**
   * A probability vector as SageMaker's endpoint writes it: {@code [p0, p1, ...]}, each value as
   * Java prints a float (shortest text that reads back to the same float).
   */
  public static String jsonArray(float[] p) {
    StringBuilder arr = new StringBuilder(p.length * 12).append('[');
    for (int k = 0; k < p.length; k++) {
      arr.append(k == 0 ? "" : ", ").append(p[k]);
    }
    return arr.append(']').toString();
  }

  static String line(Path file, float[] p, Options opt, List<String> classes) {
    String arr = jsonArray(p);
    if (opt.accept() == Accept.JSON) {
      return arr;
    }
    StringBuilder b = new StringBuilder("{\"image\": ").append(quote(file.toString()))
        .append(", \"prediction\": ").append(arr);
    if (opt.topK() > 0) {
      Integer[] idx = new Integer[p.length];
      for (int k = 0; k < idx.length; k++) {
        idx[k] = k;
      }
      Arrays.sort(idx, (x, y) -> Float.compare(p[y], p[x]));
      b.append(", \"top_k\": [");
      for (int k = 0; k < Math.min(opt.topK(), idx.length); k++) {
        b.append(k == 0 ? "" : ", ").append("{\"class\": ").append(idx[k]);
        if (idx[k] < classes.size()) {
          b.append(", \"label\": ").append(quote(classes.get(idx[k])));
        }
        b.append(", \"probability\": ").append(p[idx[k]]).append('}');
      }
      b.append(']');
    }
    return b.append('}').toString();
  }

  /** A JSON string literal. */
  public static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
