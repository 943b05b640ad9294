package io.imgclass.cli;

import io.imgclass.core.model.ImageShape;
import io.imgclass.core.model.Initialization;
import io.imgclass.core.model.ModelArchive;
import io.imgclass.core.model.ModelArtifact;
import io.imgclass.core.model.ParamSet;
import io.imgclass.core.model.ResNet;
import io.imgclass.core.model.ResNetConfig;
import io.imgclass.core.model.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A seeded ResNet-20 whose probabilities are not saturated: a freshly initialised network sees
 * raw 0–255 pixels through {@code bn_data} statistics of mean 0 / variance 1 and answers 0 or 1
 * for every image, which would hide preprocessing differences.
 */
final class TestModels {
  private TestModels() {}

  static Path calibrated(Path dir, ImageShape shape, int classes, long seed) throws IOException {
    var g = ResNet.build(ResNetConfig.of(20, shape, classes));
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (Map.Entry<String, Tensor> e : Initialization.initialize(g, shape, seed).arrays().entrySet()) {
      float[] d = e.getValue().data().clone();
      switch (e.getKey()) {
        case "aux:bn_data_moving_mean" -> java.util.Arrays.fill(d, 120f);
        case "aux:bn_data_moving_var" -> java.util.Arrays.fill(d, 5000f);
        case "arg:fc_weight" -> {
          for (int i = 0; i < d.length; i++) {
            d[i] *= 0.05f;
          }
        }
        default -> {
          // as initialised
        }
      }
      out.put(e.getKey(), new Tensor(e.getValue().shape(), d));
    }
    Path f = dir.resolve("calibrated.tar.gz");
    ModelArchive.write(new ModelArtifact(g, new ParamSet(out), 1, shape, 8, List.of()), f);
    return f;
  }
}
