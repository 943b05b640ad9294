package io.imgclass.core.model;

import java.util.List;
import java.util.Objects;

/**
 * The contents of a SageMaker image-classification {@code model.tar.gz}.
 *
 * @param graph the network (from {@code image-classification-symbol.json})
 * @param params parameters and auxiliary states (from {@code image-classification-NNNN.params})
 * @param epoch NNNN: the 1-based epoch of the checkpoint
 * @param imageShape C,H,W from {@code model-shapes.json}; {@code null} if the archive had none
 * @param batchSize the first dimension in {@code model-shapes.json} (SageMaker writes
 *     mini_batch_size)
 * @param classes class names by label index, from {@code imgclass-classes.json}; empty if absent
 */
public record ModelArtifact(
    Graph graph, ParamSet params, int epoch, ImageShape imageShape, int batchSize, List<String> classes) {

  /** Checks required fields and copies the class list. */
  public ModelArtifact {
    Objects.requireNonNull(graph, "graph");
    Objects.requireNonNull(params, "params");
    if (epoch < 0 || epoch > 9999) {
      throw new IllegalArgumentException("epoch must be 0..9999, got " + epoch);
    }
    classes = List.copyOf(classes);
  }
}
