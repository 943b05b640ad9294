package io.imgclass.core.infer;

import io.imgclass.core.ImgclassException;
import io.imgclass.core.model.Classifier;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
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
 * counted; the rest are still predicted.
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
   */
  public record Options(Accept accept, int topK, int batchSize) {}

  /**
   * What happened.
   *
   * @param predicted images predicted
   * @param failed images that could not be used
   */
  public record Summary(int predicted, int failed) {}

  private BatchPrediction() {}

  /** Expands files and directories (recursively, sorted) into image files. */
  public static List<Path> expand(List<Path> inputs) throws IOException {
    List<Path> out = new ArrayList<>();
    for (Path p : inputs) {
      if (Files.isDirectory(p)) {
        try (Stream<Path> s = Files.walk(p)) {
          s.filter(Files::isRegularFile).filter(BatchPrediction::looksLikeImage).sorted(Comparator.naturalOrder())
              .forEach(out::add);
        }
      } else {
        out.add(p);
      }
    }
    return out;
  }

  private static boolean looksLikeImage(Path p) {
    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png") || n.endsWith(".bmp") || n.endsWith(".gif");
  }

  /** Runs the prediction. */
  public static Summary run(Classifier model, List<Path> files, Options opt, PrintWriter out, PrintWriter err) {
    ExactSizeImageDecoder decoder = new ExactSizeImageDecoder(model.artifact().imageShape());
    List<String> classes = model.artifact().classes();
    int predicted = 0;
    int failed = 0;
    for (int start = 0; start < files.size(); start += opt.batchSize()) {
      List<Path> batch = files.subList(start, Math.min(files.size(), start + opt.batchSize()));
      List<Path> ok = new ArrayList<>();
      List<float[]> arrays = new ArrayList<>();
      for (Path f : batch) {
        try {
          arrays.add(decoder.decode(f));
          ok.add(f);
        } catch (ImgclassException e) {
          err.println("error: " + e.getMessage());
          failed++;
        } catch (IOException | UncheckedIOException e) {
          err.println("error: " + f + ": " + e.getMessage());
          failed++;
        }
      }
      if (ok.isEmpty()) {
        continue;
      }
      float[][] probs = model.predict(arrays.toArray(new float[0][]));
      for (int i = 0; i < ok.size(); i++) {
        out.println(line(ok.get(i), probs[i], opt, classes));
        predicted++;
      }
      out.flush();
    }
    return new Summary(predicted, failed);
  }

  static String line(Path file, float[] p, Options opt, List<String> classes) {
    StringBuilder arr = new StringBuilder("[");
    for (int k = 0; k < p.length; k++) {
      arr.append(k == 0 ? "" : ", ").append(p[k]);
    }
    arr.append(']');
    if (opt.accept() == Accept.JSON) {
      return arr.toString();
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

  private static String quote(String s) {
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
