package io.imgclass.core.train;

import io.imgclass.core.ImgclassException;
import io.imgclass.core.UsageException;
import io.imgclass.core.model.Graph;
import io.imgclass.core.model.ImageShape;
import io.imgclass.core.model.Initialization;
import io.imgclass.core.model.ModelArchive;
import io.imgclass.core.model.ModelArtifact;
import io.imgclass.core.model.Node;
import io.imgclass.core.model.ParamSet;
import io.imgclass.core.model.ShapeInference;
import io.imgclass.core.model.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a run's weights start: fresh (seeded initialisation), a resumed run's state ({@code
 * --resume}), an earlier artifact to continue ({@code --model}), or a pretrained one whose layers
 * except the final {@code fc} are reused ({@code --pretrained}). Whatever engine wrote them, the
 * values are MXNet's (arg:/aux: names, MXNet's BatchNorm statistics).
 *
 * @param params the starting weights and BatchNorm statistics
 * @param classes class names carried over (may be empty)
 * @param resumed the resumed run's state, or null
 */
record StartingWeights(ParamSet params, List<String> classes, ResumeState resumed) {

  /** The epoch training starts at. */
  int beginEpoch() {
    return resumed == null ? 0 : resumed.nextEpoch();
  }

  /** Reads the starting point the request names. */
  static StartingWeights of(TrainRequest req, Graph graph, ImageShape shape, TrainingLog log) throws IOException {
    TrainingHyperparameters hp = req.hyperparameters();
    if (req.resume() != null) {
      Path stateDir = req.resume().resolve(TrainingJob.STATE_DIR);
      ResumeState resumed = ResumeState.read(stateDir);
      if (!resumed.hyperparameters().equals(hp.asStrings())) {
        throw new UsageException("--resume " + req.resume() + ": the hyperparameters differ from the interrupted run's; "
            + "resume with the same ones (saved in " + stateDir.resolve("state.json") + ")");
      }
      return new StartingWeights(resumed.params(), new ArrayList<>(resumed.classes()), resumed);
    }
    if (req.model() != null) {
      ModelArtifact prev = ModelArchive.read(req.model());
      checkSameNetwork(prev, graph, shape, req.model());
      return new StartingWeights(renameFc(prev.params(), fcName(prev.graph()), fcName(graph)),
          new ArrayList<>(prev.classes()), null);
    }
    if (req.pretrained() != null) {
      ModelArtifact pre = ModelArchive.read(req.pretrained());
      return new StartingWeights(transfer(pre, graph, shape, req.seed(), req.pretrained(), log), new ArrayList<>(), null);
    }
    return new StartingWeights(Initialization.initialize(graph, shape, req.seed()), new ArrayList<>(), null);
  }

  static String fcName(Graph g) {
    Node head = g.nodes().get(g.heads().get(0).node());
    Node fc = g.nodes().get(head.inputs().get(0).node());
    if ("Cast".equals(fc.op())) {
      fc = g.nodes().get(fc.inputs().get(0).node());
    }
    return fc.name();
  }

  static ParamSet renameFc(ParamSet p, String from, String to) {
    if (from.equals(to)) {
      return p;
    }
    Map<String, Tensor> m = new LinkedHashMap<>();
    for (Map.Entry<String, Tensor> e : p.arrays().entrySet()) {
      String k = e.getKey();
      String prefix = k.startsWith(ParamSet.ARG) ? ParamSet.ARG : k.startsWith(ParamSet.AUX) ? ParamSet.AUX : "";
      String bare = k.substring(prefix.length());
      if (bare.startsWith(from + "_")) {
        bare = to + bare.substring(from.length());
      }
      m.put(prefix + bare, e.getValue());
    }
    return new ParamSet(m);
  }

  private static void checkSameNetwork(ModelArtifact prev, Graph graph, ImageShape shape, Path source) {
    ShapeInference.Shapes want = ShapeInference.infer(graph, new long[] {1, shape.channels(), shape.height(), shape.width()});
    ParamSet renamed = renameFc(prev.params(), fcName(prev.graph()), fcName(graph));
    List<String> problems = new ArrayList<>();
    if (prev.imageShape() != null && !prev.imageShape().equals(shape)) {
      problems.add("image_shape " + prev.imageShape() + " vs " + shape);
    }
    try {
      renamed.matching(want, source.toString());
    } catch (ImgclassException e) {
      problems.add(e.getMessage());
    }
    if (!problems.isEmpty()) {
      throw new ImgclassException(source + ": cannot continue training from this model: num_layers, image_shape and "
          + "num_classes must match the earlier run (" + String.join("; ", problems) + ")");
    }
  }

  /** Transfer learning: every parameter except the final layer's comes from the artifact. */
  private static ParamSet transfer(ModelArtifact pre, Graph graph, ImageShape shape, long seed, Path source,
      TrainingLog log) {
    ParamSet fresh = Initialization.initialize(graph, shape, seed);
    String preFc = fcName(pre.graph());
    String ourFc = fcName(graph);
    Map<String, Tensor> m = new LinkedHashMap<>();
    int reused = 0;
    for (Map.Entry<String, Tensor> e : fresh.arrays().entrySet()) {
      String k = e.getKey();
      String bare = k.substring(4);
      Tensor candidate = bare.startsWith(ourFc + "_") ? null : pre.params().get(bare);
      if (candidate != null && !bare.startsWith(preFc + "_") && Arrays.equals(candidate.shape(), e.getValue().shape())) {
        m.put(k, candidate);
        reused++;
      } else if (candidate != null && !bare.startsWith(preFc + "_")) {
        throw new ImgclassException(source + ": " + bare + " has shape " + Arrays.toString(candidate.shape())
            + ", this network needs " + Arrays.toString(e.getValue().shape())
            + " (num_layers and image channels must match the pretrained model)");
      } else {
        m.put(k, e.getValue());
      }
    }
    log.info("transfer learning: reused " + reused + " of " + fresh.arrays().size()
        + " arrays from " + source + "; " + ourFc + " re-initialised");
    return new ParamSet(m);
  }
}
