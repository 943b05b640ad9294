package io.imgclass.core.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imgclass.core.ImgclassException;
import io.imgclass.core.model.ParamSet;
import io.imgclass.core.model.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Stops a run whose numbers are no longer numbers: a NaN or infinite loss (checked every batch, it
 * is already on the host) or weight (checked at the end of every epoch, before the epoch's
 * checkpoint, resume state or artifact can be written). The run then ends with an {@link
 * ImgclassException} (exit 1) naming the epoch and batch; what earlier, finite epochs saved stays as
 * it is, no {@code model.tar.gz} is written, and {@code metrics.json} records the divergence, so a
 * NaN model is never published as a result.
 *
 * <p>Why weights too: with {@code rmsprop}, {@code eps 0} and {@code gamma 0} a parameter whose
 * gradient is exactly 0 becomes 0/0 = NaN while the loss stays finite (BatchNorm's fixed gammas do
 * not take part in the forward pass), and an artifact of such weights predicts one vector for
 * every image.
 */
final class DivergenceGuard {
  private final Path output;
  private int lastBatch = -1;

  /** A guard for a run writing to {@code output}. */
  DivergenceGuard(Path output) {
    this.output = output;
  }

  /** Returns {@code loss} when finite; otherwise stops the run. */
  float loss(float loss, int epoch, int batch) throws IOException {
    if (!Float.isFinite(loss)) {
      throw diverged(epoch, "batch " + batch, "the training loss is " + loss);
    }
    lastBatch = batch;
    return loss;
  }

  /**
   * Stops the run when any weight (or BatchNorm statistic) is NaN or infinite after epoch {@code
   * epoch}'s batches. Works on the host copy the epoch takes anyway for its checkpoints, so it is the
   * same for every engine.
   */
  void weights(ParamSet params, int epoch) throws IOException {
    for (Map.Entry<String, Tensor> e : params.arrays().entrySet()) {
      float[] v = e.getValue().data();
      for (int i = 0; i < v.length; i++) {
        if (!Float.isFinite(v[i])) {
          int bad = 0;
          for (float x : v) {
            bad += Float.isFinite(x) ? 0 : 1;
          }
          throw diverged(epoch, "after its last batch " + lastBatch, "weight " + e.getKey() + " holds " + v[i]
              + " (" + bad + " of its " + v.length + " values are NaN or infinite)");
        }
      }
    }
  }

  private ImgclassException diverged(int epoch, String where, String what) throws IOException {
    recordInMetrics(epoch, where, what);
    return new ImgclassException("training diverged at epoch " + epoch + ", " + where + ": " + what
        + "; stopped without writing model.tar.gz. " + kept()
        + " Lower --learning-rate (with rmsprop or adam, also raise --eps above 0) and train again"
        + " (--overwrite reuses this folder)");
  }

  /** What earlier, finite epochs left in the output folder. */
  private String kept() throws IOException {
    List<String> names = new ArrayList<>();
    if (Files.isDirectory(output)) {
      try (Stream<Path> s = Files.list(output)) {
        s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".params")).sorted().forEach(names::add);
      }
    }
    if (Files.isDirectory(output.resolve(TrainingJob.STATE_DIR))) {
      names.add(TrainingJob.STATE_DIR + " (the resume state)");
    }
    return names.isEmpty() ? "No earlier epoch was saved."
        : "Kept in " + output + " from the last good epoch: " + String.join(", ", names) + ".";
  }

  /**
   * Adds {@code "diverged"} to metrics.json (creating it when no epoch finished), so the file of a
   * diverged run says so instead of showing only the finite losses of the epochs before.
   */
  private void recordInMetrics(int epoch, String where, String what) throws IOException {
    ObjectMapper om = new ObjectMapper();
    Path target = output.resolve("metrics.json");
    ObjectNode root = null;
    if (Files.isRegularFile(target)) {
      JsonNode old = om.readTree(target.toFile());
      root = old instanceof ObjectNode o ? o : null;
    }
    if (root == null) {
      root = om.createObjectNode();
      root.putArray("epochs");
    }
    ObjectNode d = root.putObject("diverged");
    d.put("epoch", epoch);
    d.put("at", where);
    d.put("reason", what);
    root.put("status", "diverged");
    Files.createDirectories(output);
    Path tmp = target.resolveSibling("metrics.json.partial");
    om.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), root);
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
