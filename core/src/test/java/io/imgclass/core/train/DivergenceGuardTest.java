package io.imgclass.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imgclass.core.ImgclassException;
import io.imgclass.core.model.ParamSet;
import io.imgclass.core.model.Tensor;
import io.imgclass.core.data.Sample;
import io.imgclass.core.data.SampleSource;
import io.imgclass.core.image.Pixels;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run whose loss or weights stop being finite ends with exit 1 and publishes nothing new. */
class DivergenceGuardTest {
  @TempDir Path dir;

  /** 16 random 16x16 RGB images of two classes, generated in memory. */
  private static TrainingJob job(Path out, Map<String, String> extra) {
    Map<String, String> hp = new HashMap<>(Map.of("num_classes", "2", "num_training_samples", "16",
        "image_shape", "3,16,16", "num_layers", "20", "mini_batch_size", "4", "epochs", "2"));
    hp.putAll(extra);
    TrainRequest req = new TrainRequest(Hyperparameters.resolve(hp), Channel.recordIO(out.resolve("none.rec"), null),
        null, null, null, out, null, 3, 1, "MXNet", 0, 1000);
    Pixels[] images = new Pixels[16];
    SplittableRandom r = new SplittableRandom(5);
    for (int i = 0; i < images.length; i++) {
      byte[] px = new byte[16 * 16 * 3];
      for (int k = 0; k < px.length; k++) {
        px[k] = (byte) (r.nextInt(100) + (i % 2) * 120);
      }
      images[i] = new Pixels(16, 16, 3, px);
    }
    SampleSource src = new SampleSource() {
      public int size() { return images.length; }
      public String describe() { return "generated"; }
      public int labelWidth() { return 1; }
      public Cursor cursor() {
        return new Cursor() {
          public Sample read(int i) { return new Sample(new byte[] {(byte) i}, new float[] {i % 2}, "generated " + i); }
          public void close() {}
        };
      }
    };
    return new TrainingJob(req, new PrintWriter(new StringWriter()))
        .withSources(src, null).withDecoder((bytes, where) -> images[bytes[0]]);
  }

  @Test
  void rmspropWithoutEpsilonDivergesAndPublishesNoModel() throws Exception {
    Path out = dir.resolve("nan");
    // MXNet's rmsprop divides by sqrt(n + eps): with eps and gamma 0 a zero gradient gives 0/0.
    assertThatThrownBy(() -> job(out, Map.of("optimizer", "rmsprop", "eps", "0", "gamma", "0",
        "learning_rate", "1")).run())
        .isInstanceOf(ImgclassException.class)
        .hasMessageStartingWith("training diverged at epoch 0, ")
        .hasMessageMatching("(?s).*(batch \\d+: the training loss is NaN|after its last batch 3: weight \\S+ holds (NaN|-?Infinity)).*")
        .hasMessageContaining("stopped without writing model.tar.gz")
        .hasMessageContaining("No earlier epoch was saved");
    assertThat(out.resolve("model.tar.gz")).doesNotExist();
    assertThat(out.resolve(TrainingJob.STATE_DIR)).doesNotExist();
    assertThat(out.resolve("image-classification-0001.params")).doesNotExist();
    JsonNode m = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
    assertThat(m.path("status").asText()).isEqualTo("diverged");
    assertThat(m.path("diverged").path("epoch").asInt(-1)).isEqualTo(0);
    assertThat(m.path("epochs")).isEmpty();
  }

  @Test
  void theSameRunWithEpsilonTrainsAndPublishes() throws Exception {
    Path out = dir.resolve("ok");
    TrainingJob.Result r = job(out, Map.of("optimizer", "rmsprop", "learning_rate", "0.001")).run();
    assertThat(r.model()).exists();
    assertThat(r.epochs()).allSatisfy(e -> assertThat(e.trainLoss()).isFinite());
    assertThat(new ObjectMapper().readTree(out.resolve("metrics.json").toFile()).has("diverged")).isFalse();
  }

  @Test
  void aNanLossNamesEpochAndBatchAndKeepsTheLastGoodEpoch() throws Exception {
    Path out = dir.resolve("later");
    // What epochs 0 and 1 left behind.
    Files.createDirectories(out.resolve(TrainingJob.STATE_DIR));
    Files.writeString(out.resolve("image-classification-0002.params"), "x");
    Files.writeString(out.resolve("metrics.json"), "{\"epochs\": [{\"epoch\": 1, \"train:loss\": 0.5}], \"best_epoch\": 1}");
    DivergenceGuard g = new DivergenceGuard(out);
    assertThat(g.loss(0.25f, 2, 0)).isEqualTo(0.25f);
    assertThatThrownBy(() -> g.loss(Float.POSITIVE_INFINITY, 2, 7))
        .hasMessageStartingWith("training diverged at epoch 2, batch 7: the training loss is Infinity;")
        .hasMessageContaining("Kept in " + out + " from the last good epoch: image-classification-0002.params, "
            + TrainingJob.STATE_DIR + " (the resume state)");
    JsonNode m = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
    assertThat(m.path("epochs").get(0).path("train:loss").asDouble()).isEqualTo(0.5); // earlier epochs kept
    assertThat(m.path("diverged").path("at").asText()).isEqualTo("batch 7");
    assertThat(m.path("diverged").path("reason").asText()).isEqualTo("the training loss is Infinity");
    assertThat(m.path("best_epoch").asInt()).isEqualTo(1);
  }

  @Test
  void weightsAreCheckedValueByValue() throws Exception {
    Map<String, Tensor> arrays = new LinkedHashMap<>();
    arrays.put("arg:fine", new Tensor(new long[] {3}, new float[] {1, 2, 3}));
    // Values near float's limit are not bad weights.
    arrays.put("arg:big", new Tensor(new long[] {2}, new float[] {3e38f, 3e38f}));
    DivergenceGuard g = new DivergenceGuard(dir.resolve("w"));
    g.loss(1f, 4, 9);
    g.weights(new ParamSet(arrays), 4);
    arrays.put("arg:fc1_weight", new Tensor(new long[] {4}, new float[] {1, Float.NaN, 2, Float.NEGATIVE_INFINITY}));
    assertThatThrownBy(() -> g.weights(new ParamSet(arrays), 4))
        .hasMessageStartingWith("training diverged at epoch 4, after its last batch 9: weight arg:fc1_weight holds NaN "
            + "(2 of its 4 values are NaN or infinite)");
  }
}
