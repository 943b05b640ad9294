package io.imgclass.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imgclass.core.data.RecordIOSource;
import io.imgclass.core.infer.InferFixtures;
import io.imgclass.core.infer.Preprocessing;
import io.imgclass.core.model.Classifier;
import io.imgclass.core.model.ImageShape;
import io.imgclass.recordio.ImageRecordHeader;
import io.imgclass.recordio.RecordIOWriter;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Evaluation on small generated .rec files with freshly initialised models. */
class EvaluatorTest {
  static final ImageShape SHAPE = new ImageShape(3, 28, 28);

  private static List<byte[]> images(int n) throws Exception {
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(InferFixtures.png(32 + i % 5, 28 + i % 3, 500 + i));
    }
    return out;
  }

  @Test
  void singleLabelMetricsAgreeWithArgmaxOfThePredictions(@TempDir Path dir) throws Exception {
    int k = 4;
    Path model = InferFixtures.model(dir, SHAPE, k, false, 5);
    List<byte[]> imgs = images(37);
    int[] labels = new int[imgs.size()];
    Path rec = dir.resolve("val.rec");
    try (RecordIOWriter w = RecordIOWriter.create(rec, dir.resolve("val.idx"))) {
      for (int i = 0; i < imgs.size(); i++) {
        labels[i] = (i * 7) % k;
        w.write(i, ImageRecordHeader.single(labels[i], i).encode(imgs.get(i)));
      }
      // One broken image: reported and skipped, the rest evaluated.
      w.write(imgs.size(), ImageRecordHeader.single(0, imgs.size()).encode(new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2}));
    }
    Preprocessing pre = new Preprocessing(Preprocessing.Kind.CENTER_CROP, 30, SHAPE);
    List<String> errors = new ArrayList<>();
    EvaluationResult r;
    int correct = 0;
    int top2 = 0;
    try (Classifier c = Classifier.load(model)) {
      r = Evaluator.run(c, RecordIOSource.open(rec, null), new Evaluator.Options(pre, 2, 8, 2), errors::add);
      for (int i = 0; i < imgs.size(); i++) {
        float[] p = c.predict(new float[][] {pre.apply(imgs.get(i))})[0];
        correct += Evaluator.argmax(p) == labels[i] ? 1 : 0;
        int higher = 0;
        for (float v : p) {
          higher += v > p[labels[i]] ? 1 : 0;
        }
        top2 += higher < 2 ? 1 : 0;
      }
    }
    assertThat(errors).hasSize(1);
    assertThat(errors.get(0)).startsWith("error: " + rec + " at byte ").contains(": cannot decode image: ");
    assertThat(r.evaluated()).isEqualTo(37);
    assertThat(r.skipped()).isEqualTo(1);
    long sum = 0;
    long diagonal = 0;
    for (int t = 0; t < k; t++) {
      long row = 0;
      for (int p = 0; p < k; p++) {
        row += r.confusion()[t][p];
      }
      int support = 0;
      for (int l : labels) {
        support += l == t ? 1 : 0;
      }
      assertThat(row).isEqualTo(support).isEqualTo(r.perClass().get(t).support());
      sum += row;
      diagonal += r.confusion()[t][t];
      assertThat(r.perClass().get(t).truePositives()).isEqualTo(r.confusion()[t][t]);
    }
    assertThat(sum).isEqualTo(37);
    assertThat(diagonal).isEqualTo(correct);
    assertThat(r.accuracy()).isCloseTo(correct / 37.0, within(1e-12));
    assertThat(r.topK()).isEqualTo(2);
    assertThat(r.topKAccuracy()).isCloseTo(top2 / 37.0, within(1e-12));
    // A fresh model is not a constant one here: the answers spread over several classes.
    long predictedClasses = java.util.stream.IntStream.range(0, k)
        .filter(p -> java.util.stream.IntStream.range(0, k).mapToLong(t -> r.confusion()[t][p]).sum() > 0).count();
    assertThat(predictedClasses).isGreaterThan(1);

    JsonNode j = new ObjectMapper().readTree(EvaluationReport.json(r));
    assertThat(j.get("evaluated").asInt()).isEqualTo(37);
    assertThat(j.get("accuracy").asDouble()).isEqualTo(r.accuracy());
    assertThat(j.get("confusion_matrix")).hasSize(k);
    assertThat(j.get("per_class").get(1).get("class").asText()).isEqualTo("class1");
    String text = EvaluationReport.text(r);
    assertThat(text).contains("images: 37 evaluated, 1 skipped").contains("top-2 accuracy: ")
        .contains("confusion matrix (rows: true class, columns: predicted class, by index):");

    Path png = dir.resolve("cm.png");
    ConfusionPng.write(r, png);
    BufferedImage img = ImageIO.read(png.toFile());
    assertThat(img.getWidth()).isGreaterThan(k * 10);
  }

  @Test
  void multiLabelPerClassDecisionsAndExactMatch(@TempDir Path dir) throws Exception {
    int k = 3;
    Path model = InferFixtures.model(dir, SHAPE, k, true, 6);
    List<byte[]> imgs = images(20);
    float[][] targets = new float[imgs.size()][k];
    SplittableRandom rnd = new SplittableRandom(1);
    Path rec = dir.resolve("ml.rec");
    try (RecordIOWriter w = RecordIOWriter.create(rec, dir.resolve("ml.idx"))) {
      for (int i = 0; i < imgs.size(); i++) {
        for (int c = 0; c < k; c++) {
          targets[i][c] = rnd.nextInt(2);
        }
        w.write(i, ImageRecordHeader.multi(targets[i], i).encode(imgs.get(i)));
      }
    }
    Preprocessing pre = Preprocessing.stretch(SHAPE);
    EvaluationResult r;
    long[] tp = new long[k];
    long[] fp = new long[k];
    long[] fn = new long[k];
    int exact = 0;
    try (Classifier c = Classifier.load(model)) {
      List<String> errors = new ArrayList<>();
      r = Evaluator.run(c, RecordIOSource.open(rec, null), new Evaluator.Options(pre, 5, 6, 2), errors::add);
      assertThat(errors).isEmpty();
      for (int i = 0; i < imgs.size(); i++) {
        float[] p = c.predict(new float[][] {pre.apply(imgs.get(i))})[0];
        boolean all = true;
        for (int cl = 0; cl < k; cl++) {
          boolean yes = p[cl] >= 0.5f;
          boolean truth = targets[i][cl] == 1f;
          tp[cl] += yes && truth ? 1 : 0;
          fp[cl] += yes && !truth ? 1 : 0;
          fn[cl] += !yes && truth ? 1 : 0;
          all &= yes == truth;
        }
        exact += all ? 1 : 0;
      }
    }
    assertThat(r.multiLabel()).isTrue();
    assertThat(r.confusion()).isEmpty();
    assertThat(r.topK()).isZero();
    assertThat(r.exactMatch()).isCloseTo(exact / 20.0, within(1e-12));
    for (int cl = 0; cl < k; cl++) {
      EvaluationResult.ClassMetrics m = r.perClass().get(cl);
      assertThat(new long[] {m.truePositives(), m.falsePositives(), m.falseNegatives()})
          .containsExactly(tp[cl], fp[cl], fn[cl]);
    }
    assertThat(EvaluationReport.text(r)).contains("exact-match ratio: ").doesNotContain("confusion matrix");
    assertThat(new ObjectMapper().readTree(EvaluationReport.json(r)).has("exact_match_ratio")).isTrue();
    assertThat(Files.exists(rec)).isTrue();
  }
}
