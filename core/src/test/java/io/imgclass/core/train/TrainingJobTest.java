package io.imgclass.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imgclass.core.ImgclassException;
import io.imgclass.core.UsageException;
import io.imgclass.core.model.Classifier;
import io.imgclass.core.model.ModelArchive;
import io.imgclass.core.model.ModelArtifact;
import io.imgclass.recordio.ImageRecordHeader;
import io.imgclass.recordio.RawRecord;
import io.imgclass.recordio.RecordIOReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trains a ResNet-20 on real Fashion-MNIST images for a few hundred steps: it must learn, survive
 * a kill -9 and resume, write an artifact that predicts what validation measured, and continue
 * incrementally from that artifact.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TrainingJobTest {
  private static final int TRAIN = 2000;
  private static final int VAL = 500;
  @TempDir static Path dir;
  static Path train;
  static Path val;
  static Path out;

  @BeforeAll
  static void data() throws Exception {
    io.imgclass.core.testing.TestRequirement.require(FashionMnist.available(), "Debian's dataset-fashion-mnist is not installed");
    train = dir.resolve("fm_train.rec");
    val = dir.resolve("fm_val.rec");
    FashionMnist.pack("train", 0, TRAIN, train);
    FashionMnist.pack("t10k", 0, VAL, val);
    out = dir.resolve("out");
  }

  static TrainRequest request(Path train, Path val, Path out, Map<String, String> extra, Path model, Path resume) {
    Map<String, String> hp = new HashMap<>(Map.of(
        "num_classes", "10", "num_training_samples", Integer.toString(TRAIN), "image_shape", "1,28,28",
        "num_layers", "20", "mini_batch_size", "32", "learning_rate", "0.1", "epochs", "3"));
    hp.putAll(extra);
    return new TrainRequest(Hyperparameters.resolve(hp), Channel.recordIO(train, null),
        val == null ? null : Channel.recordIO(val, null), model, null, out, resume, 7, 2, "MXNet", 0, 20);
  }

  @Test
  @Order(1)
  void learnsSurvivesKillAndResumes() throws Exception {
    // A separate JVM trains; it is killed with SIGKILL once the first epoch's state is on disk.
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), TrainForTest.class.getName(),
        train.toString(), val.toString(), out.toString(), "3"));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
    Path state = out.resolve(TrainingJob.STATE_DIR).resolve("state.json");
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
    while (!Files.exists(state) && p.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(Files.exists(state)).as(Files.readString(dir.resolve("child.log"))).isTrue();
    p.destroyForcibly();
    p.waitFor(30, TimeUnit.SECONDS);
    assertThat(Files.exists(out.resolve("model.tar.gz"))).as("killed before the end").isFalse();
    JsonNode s = new ObjectMapper().readTree(state.toFile());
    int resumedAt = s.get("next_epoch").asInt();
    assertThat(resumedAt).isBetween(1, 2);

    StringWriter log = new StringWriter();
    TrainingJob.Result r = new TrainingJob(request(train, val, out, Map.of(), null, out), new PrintWriter(log)).run();
    String text = log.toString();
    assertThat(text).doesNotContain("Epoch[0] ").contains("Epoch[2] Validation-accuracy=");
    assertThat(text).containsPattern("\\[\\d\\d/\\d\\d/\\d{4} \\d\\d:\\d\\d:\\d\\d INFO \\d+\\] Epoch\\[2\\] Time cost=\\d+\\.\\d{3}");
    assertThat(r.epochs()).extracting(EpochMetrics::epoch).containsExactly(0, 1, 2);
    // The stated bar: 3 epochs of 2,000 images (189 steps of 32) reach 72 % on held-out images.
    assertThat(r.bestValidationAccuracy()).isGreaterThanOrEqualTo(0.72);

    ModelArtifact a = ModelArchive.read(r.model());
    assertThat(a.epoch()).isEqualTo(r.bestEpoch() + 1);
    assertThat(Files.exists(out.resolve("metrics.json"))).isTrue();
    assertThat(Files.size(out.resolve("training-curve.png"))).isPositive();
    JsonNode metrics = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
    assertThat(metrics.get("validation:accuracy").asDouble()).isEqualTo(r.bestValidationAccuracy());

    // The artifact, run by the inference path, gives the accuracy validation measured.
    assertThat(artifactAccuracy(r.model())).isCloseTo(r.bestValidationAccuracy(), org.assertj.core.data.Offset.offset(0.004));
  }

  @Test
  @Order(2)
  void continuesIncrementallyFromItsOwnArtifact() throws Exception {
    Path model = out.resolve("model.tar.gz");
    assumeTrue(Files.exists(model), "needs the first test's artifact");
    StringWriter log = new StringWriter();
    TrainingJob.Result r = new TrainingJob(request(train, val, dir.resolve("inc"), Map.of("epochs", "1",
        "learning_rate", "0.01"), model, null), new PrintWriter(log)).run();
    // A fresh network is near 10-40 % after its first epoch; a continued one starts where it was.
    assertThat(r.epochs().get(0).trainAccuracy()).isGreaterThan(0.65);
    assertThat(r.bestValidationAccuracy()).isGreaterThan(0.68);

    assertThatThrownBy(() -> new TrainingJob(request(train, val, dir.resolve("bad"), Map.of("num_layers", "32"),
        model, null), new PrintWriter(new StringWriter())).run())
        .isInstanceOf(ImgclassException.class)
        .hasMessageContaining("num_layers, image_shape and num_classes must match the earlier run");
  }

  @Test
  @Order(3)
  void labelWidthMismatchIsAClearErrorBeforeTraining() {
    assertThatThrownBy(() -> new TrainingJob(request(train, null, dir.resolve("ml"), Map.of("multi_label", "1"), null,
        null), new PrintWriter(new StringWriter())).run())
        .hasMessageStartingWith("Mismatch between number of labels in the multi-label data (1) and the num_classes parameter (10)");
  }

  @Test
  @Order(4)
  void float16OnCpuIsRefused() {
    assertThatThrownBy(() -> new TrainingJob(request(train, null, dir.resolve("f16"), Map.of("precision_dtype",
        "float16"), null, null), new PrintWriter(new StringWriter())).run())
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("float16 needs a GPU");
  }

  private static double artifactAccuracy(Path model) throws Exception {
    int correct = 0;
    int n = 0;
    try (Classifier c = Classifier.load(model); RecordIOReader r = RecordIOReader.open(val)) {
      List<float[]> batch = new ArrayList<>();
      List<Integer> labels = new ArrayList<>();
      for (RawRecord rec = r.next(); rec != null; rec = r.next()) {
        ImageRecordHeader h = ImageRecordHeader.decode(rec.data());
        java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(h.image(rec.data())));
        float[] chw = new float[784];
        for (int y = 0; y < 28; y++) {
          for (int x = 0; x < 28; x++) {
            chw[y * 28 + x] = img.getRaster().getSample(x, y, 0);
          }
        }
        batch.add(chw);
        labels.add((int) h.label());
      }
      float[][] probs = c.predict(batch.toArray(new float[0][]));
      for (int i = 0; i < probs.length; i++) {
        int arg = 0;
        for (int k = 1; k < probs[i].length; k++) {
          if (probs[i][k] > probs[i][arg]) {
            arg = k;
          }
        }
        correct += arg == labels.get(i) ? 1 : 0;
        n++;
      }
    }
    return (double) correct / n;
  }
}
