package io.imgclass.core.eval;

import io.imgclass.core.ImgclassException;
import io.imgclass.core.data.Sample;
import io.imgclass.core.data.SampleSource;
import io.imgclass.core.image.ImageDecodeException;
import io.imgclass.core.infer.BatchPrediction;
import io.imgclass.core.infer.OrderedPipeline;
import io.imgclass.core.infer.Preprocessing;
import io.imgclass.core.model.Classifier;
import io.imgclass.core.model.Graph;
import io.imgclass.core.train.Accuracy;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs a model over labelled data ({@code .rec} or {@code .lst} + images, any {@link SampleSource})
 * and computes {@link EvaluationResult}. Images are decoded and preprocessed on a few threads,
 * batches go through the network in source order. An image that cannot be read or decoded, or
 * whose label is not a class of the model, is reported through {@code errors} and skipped.
 */
public final class Evaluator {
  /**
   * Options.
   *
   * @param preprocessing how images become network input
   * @param topK also report top-k accuracy for this k (0 or 1: off)
   * @param batchSize images per forward pass
   * @param threads decoding threads
   */
  public record Options(Preprocessing preprocessing, int topK, int batchSize, int threads) {}

  private Evaluator() {}

  /** Whether the model's head is the multi-label one (LogisticRegressionOutput). */
  public static boolean isMultiLabel(Graph g) {
    return "LogisticRegressionOutput".equals(g.nodes().get(g.heads().get(0).node()).op());
  }

  private record Item(float[] input, float[] labels) {}

  /** Evaluates; {@code errors} receives one line per skipped image. */
  public static EvaluationResult run(Classifier model, SampleSource source, Options opt, Consumer<String> errors)
      throws IOException {
    boolean multi = model.multiLabel();
    int k = model.numClasses();
    if (multi && source.labelWidth() != k) {
      throw new ImgclassException(source.describe() + " has " + source.labelWidth() + " labels per example but the"
          + " multi-label model has " + k + " classes; multi-label data must carry one 0/1 column per class");
    }
    if (!multi && source.labelWidth() != 1) {
      throw new ImgclassException(source.describe() + " has " + source.labelWidth() + " labels per example but the"
          + " model is single-label (softmax head); evaluate single-label data");
    }
    List<String> names = new ArrayList<>();
    for (int c = 0; c < k; c++) {
      List<String> cl = model.classes();
      names.add(c < cl.size() ? cl.get(c) : Integer.toString(c));
    }
    Accuracy acc = new Accuracy(multi ? 0 : opt.topK());
    long[][] confusion = multi ? new long[0][0] : new long[k][k];
    long[] tp = new long[k];
    long[] fp = new long[k];
    long[] fn = new long[k];
    long skipped = 0;
    Preprocessing pre = opt.preprocessing();
    List<SampleSource.Cursor> opened = new ArrayList<>();
    ThreadLocal<SampleSource.Cursor> cursors = ThreadLocal.withInitial(() -> {
      try {
        SampleSource.Cursor c = source.cursor();
        synchronized (opened) {
          opened.add(c);
        }
        return c;
      } catch (IOException e) {
        throw new ImgclassException(source.describe() + ": " + e.getMessage(), e);
      }
    });
    OrderedPipeline.Task<Item> task = i -> {
      Sample s = cursors.get().read(i);
      float[] l = s.labels();
      if (!multi && (l[0] < 0 || l[0] >= k || l[0] != Math.rint(l[0]))) {
        throw new ImgclassException(s.where() + ": label " + l[0] + " is not a class of the model (0.." + (k - 1) + ")");
      }
      try {
        return new Item(pre.apply(s.image()), l);
      } catch (ImageDecodeException e) {
        throw new ImgclassException(s.where() + ": cannot decode image: " + e.getMessage(), e);
      }
    };
    try (OrderedPipeline<Item> pipe = new OrderedPipeline<>(source.size(), task, opt.threads(), 2 * opt.batchSize())) {
      List<Item> batch = new ArrayList<>();
      while (pipe.hasNext() || !batch.isEmpty()) {
        if (pipe.hasNext()) {
          OrderedPipeline.Outcome<Item> o = pipe.next();
          if (o.ok()) {
            batch.add(o.value());
          } else {
            skipped++;
            Exception e = o.error();
            errors.accept("error: " + (e instanceof ImgclassException ? e.getMessage()
                : e instanceof java.nio.file.NoSuchFileException nf ? nf.getFile() + ": no such file"
                : source.describe() + ": example " + (o.index() + 1) + ": " + BatchPrediction.describe(e)));
          }
          if (batch.size() < opt.batchSize() && pipe.hasNext()) {
            continue;
          }
        }
        if (batch.isEmpty()) {
          continue;
        }
        float[][] in = new float[batch.size()][];
        for (int i = 0; i < in.length; i++) {
          in[i] = batch.get(i).input();
        }
        float[][] out = model.predict(in);
        if (multi) {
          float[][] targets = new float[out.length][];
          for (int i = 0; i < out.length; i++) {
            targets[i] = batch.get(i).labels();
            for (int c = 0; c < k; c++) {
              boolean p = out[i][c] >= 0.5f;
              boolean t = targets[i][c] >= 0.5f;
              tp[c] += p && t ? 1 : 0;
              fp[c] += p && !t ? 1 : 0;
              fn[c] += !p && t ? 1 : 0;
            }
          }
          acc.addMultiLabel(out, targets);
        } else {
          float[] labels = new float[out.length];
          for (int i = 0; i < out.length; i++) {
            labels[i] = batch.get(i).labels()[0];
            int truth = (int) labels[i];
            int pred = argmax(out[i]);
            confusion[truth][pred]++;
          }
          acc.addSingleLabel(out, labels);
        }
        batch.clear();
      }
    } finally {
      synchronized (opened) {
        for (SampleSource.Cursor c : opened) {
          try {
            c.close();
          } catch (IOException ignored) {
            // Read-only; nothing to lose.
          }
        }
      }
    }
    if (!multi) {
      for (int t = 0; t < k; t++) {
        for (int p = 0; p < k; p++) {
          if (t == p) {
            tp[t] += confusion[t][p];
          } else {
            fn[t] += confusion[t][p];
            fp[p] += confusion[t][p];
          }
        }
      }
    }
    List<EvaluationResult.ClassMetrics> per = new ArrayList<>();
    for (int c = 0; c < k; c++) {
      per.add(new EvaluationResult.ClassMetrics(c, names.get(c), tp[c], fp[c], fn[c], tp[c] + fn[c]));
    }
    String how = pre.kind() == Preprocessing.Kind.STRETCH ? "stretch to " + pre.shape()
        : "center-crop " + pre.shape() + (pre.resize() > 0 ? " after resize " + pre.resize() : "");
    return new EvaluationResult(source.describe(), how, multi, names, acc.samples(), skipped, acc.accuracy(),
        multi || opt.topK() <= 1 ? 0 : opt.topK(), multi || opt.topK() <= 1 ? 0 : acc.topKAccuracy(),
        acc.exactMatch(), per, confusion);
  }

  /** Index of the highest score (the first one on ties, as numpy's argmax). */
  public static int argmax(float[] s) {
    int arg = 0;
    for (int c = 1; c < s.length; c++) {
      if (s[c] > s[arg]) {
        arg = c;
      }
    }
    return arg;
  }
}
