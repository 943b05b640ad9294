package io.imgclass.core.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imgclass.core.model.Graph;
import io.imgclass.core.model.ImageShape;
import io.imgclass.core.model.ModelArchive;
import io.imgclass.core.model.ModelArtifact;
import io.imgclass.core.model.ParamSet;
import io.imgclass.core.model.ParamsFile;
import io.imgclass.core.model.SymbolJson;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a run writes to its output folder: the best and periodic checkpoints ({@code
 * model-NNNN.params} beside {@code model-symbol.json}), the resume state, {@code metrics.json},
 * and at the end {@code model.tar.gz} and the training curve. Every file is written to a temporary
 * name and renamed when complete.
 */
final class Checkpoints {
  private final Path output;
  private final TrainingHyperparameters hp;
  private final Graph graph;
  private final TrainingLog log;

  Checkpoints(Path output, TrainingHyperparameters hp, Graph graph, TrainingLog log) {
    this.output = output;
    this.hp = hp;
    this.graph = graph;
    this.log = log;
  }

  /** Writes {@code model-NNNN.params} for this epoch (and the symbol once). */
  void save(ParamSet params, int epoch, boolean announce) throws IOException {
    Path target = output.resolve(ModelArchive.paramsName(epoch + 1));
    Path tmp = target.resolveSibling(target.getFileName() + ".partial");
    try (OutputStream o = Files.newOutputStream(tmp)) {
      ParamsFile.write(params, o);
    }
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    Path sym = output.resolve(ModelArchive.SYMBOL);
    if (!Files.exists(sym)) {
      Path symTmp = sym.resolveSibling(sym.getFileName() + ".partial");
      Files.writeString(symTmp, SymbolJson.write(graph), StandardCharsets.UTF_8);
      Files.move(symTmp, sym, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
    if (announce) {
      log.savedCheckpoint(target.toString());
    }
  }

  /** Writes {@code metrics.json}: every epoch's figures, the best epoch and the hyperparameters. */
  Path writeMetrics(List<EpochMetrics> history, int bestEpoch) throws IOException {
    ObjectMapper om = new ObjectMapper();
    ObjectNode root = om.createObjectNode();
    ArrayNode epochs = root.putArray("epochs");
    for (EpochMetrics m : history) {
      ObjectNode e = epochs.addObject();
      e.put("epoch", m.epoch());
      e.put("train:accuracy", m.trainAccuracy());
      if (!Double.isNaN(m.trainTopK())) {
        e.put("train:top_k_accuracy", m.trainTopK());
      }
      e.put("train:loss", m.trainLoss());
      if (!Double.isNaN(m.validationAccuracy())) {
        e.put("validation:accuracy", m.validationAccuracy());
      }
      e.put("time_cost_s", m.seconds());
      e.put("samples_per_s", m.samplesPerSecond());
      e.put("learning_rate", m.learningRate());
    }
    root.put("best_epoch", bestEpoch);
    if (bestEpoch >= 0 && bestEpoch < history.size() + 1) {
      history.stream().filter(m -> m.epoch() == bestEpoch).findFirst().ifPresent(m -> {
        if (!Double.isNaN(m.validationAccuracy())) {
          root.put("validation:accuracy", m.validationAccuracy());
        }
        root.put("train:accuracy", m.trainAccuracy());
      });
    }
    root.putPOJO("hyperparameters", hp.asStrings());
    Path target = output.resolve("metrics.json");
    Path tmp = target.resolveSibling("metrics.json.partial");
    om.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), root);
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return target;
  }

  /**
   * Writes {@code model.tar.gz} (the best epoch, with the periodic checkpoints when
   * checkpoint_frequency is set), {@code metrics.json} and the training curve.
   *
   * @return the artifact's path
   */
  Path writeArtifact(ModelArtifact artifact, Map<Integer, ParamSet> periodic, int bestEpoch,
      List<EpochMetrics> history, ImageShape shape) throws IOException {
    Path modelPath = output.resolve("model.tar.gz");
    if (hp.checkpointFrequency().isPresent()) {
      Map<Integer, ParamSet> more = new TreeMap<>(periodic);
      more.remove(bestEpoch + 1);
      ModelArchive.write(artifact, more, modelPath);
    } else {
      ModelArchive.write(artifact, modelPath);
    }
    writeMetrics(history, bestEpoch);
    TrainingCurve.write(history, "imgclass ResNet-" + hp.numLayers() + " " + shape, output.resolve("training-curve.png"));
    return modelPath;
  }
}
