package io.imgclass.core.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imgclass.core.ImgclassException;
import io.imgclass.core.model.ParamSet;
import io.imgclass.core.model.ParamsFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What {@code --resume} needs to continue a run after the last finished epoch: weights, optimizer
 * state, the best and periodic checkpoints, the metric history.
 *
 * <p>Every file is written under a temporary name and renamed; the data files carry the epoch in
 * their names and {@code state.json}, renamed last, names them. A run killed at any moment
 * therefore leaves either the previous complete state or the new one, never a mix.
 */
record ResumeState(
    int nextEpoch,
    Map<String, String> hyperparameters,
    ParamSet params,
    ParamSet optimizerState,
    ParamSet best,
    int bestEpoch,
    Map<Integer, ParamSet> periodic,
    List<EpochMetrics> history,
    List<String> classes) {

  void write(Path dir) throws IOException {
    Files.createDirectories(dir);
    String tag = String.format("%04d", nextEpoch);
    ObjectMapper om = new ObjectMapper();
    ObjectNode root = om.createObjectNode();
    root.put("format", 1);
    root.put("next_epoch", nextEpoch);
    root.putPOJO("hyperparameters", hyperparameters);
    root.put("params", writeParams(dir, "params-" + tag + ".params", params));
    root.put("optimizer", writeParams(dir, "optimizer-" + tag + ".params", optimizerState));
    root.put("best_epoch", bestEpoch);
    if (best != null) {
      root.put("best", writeParams(dir, "best-" + String.format("%04d", bestEpoch + 1) + ".params", best));
    }
    ObjectNode per = root.putObject("periodic");
    for (Map.Entry<Integer, ParamSet> e : periodic.entrySet()) {
      String name = "periodic-" + String.format("%04d", e.getKey()) + ".params";
      Path f = dir.resolve(name);
      if (!Files.exists(f)) {
        writeParams(dir, name, e.getValue());
      }
      per.put(Integer.toString(e.getKey()), name);
    }
    ArrayNode h = root.putArray("history");
    for (EpochMetrics m : history) {
      h.add(om.valueToTree(m));
    }
    root.putPOJO("classes", classes);
    Path state = dir.resolve("state.json");
    Path tmp = dir.resolve("state.json.partial");
    om.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), root);
    Files.move(tmp, state, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    // Only now are older files unreferenced.
    Set<String> keep = new HashSet<>();
    root.fields().forEachRemaining(e -> {
      if (e.getValue().isTextual() && e.getValue().asText().endsWith(".params")) {
        keep.add(e.getValue().asText());
      }
    });
    per.fields().forEachRemaining(e -> keep.add(e.getValue().asText()));
    try (var s = Files.list(dir)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        String n = p.getFileName().toString();
        if (n.endsWith(".params") && !keep.contains(n)) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  private static String writeParams(Path dir, String name, ParamSet p) throws IOException {
    Path target = dir.resolve(name);
    Path tmp = dir.resolve(name + ".partial");
    try (OutputStream o = Files.newOutputStream(tmp)) {
      ParamsFile.write(p, o);
    }
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return name;
  }

  static ResumeState read(Path dir) throws IOException {
    Path state = dir.resolve("state.json");
    if (!Files.isRegularFile(state)) {
      throw new ImgclassException("nothing to resume: " + state + " does not exist (was the run started with this --output?)");
    }
    ObjectMapper om = new ObjectMapper();
    JsonNode root = om.readTree(state.toFile());
    Map<String, String> hps = new LinkedHashMap<>();
    root.get("hyperparameters").fields().forEachRemaining(e -> hps.put(e.getKey(), e.getValue().asText()));
    Map<Integer, ParamSet> periodic = new TreeMap<>();
    root.path("periodic").fields().forEachRemaining(e -> {
      try {
        periodic.put(Integer.parseInt(e.getKey()), readParams(dir, e.getValue().asText()));
      } catch (IOException ex) {
        throw new ImgclassException(dir + ": " + ex.getMessage(), ex);
      }
    });
    List<EpochMetrics> history = new ArrayList<>();
    for (JsonNode m : root.path("history")) {
      history.add(new EpochMetrics(m.get("epoch").asInt(), num(m, "trainAccuracy"), num(m, "trainTopK"),
          num(m, "trainLoss"), num(m, "validationAccuracy"), num(m, "seconds"), num(m, "samplesPerSecond"),
          num(m, "learningRate")));
    }
    List<String> classes = new ArrayList<>();
    root.path("classes").forEach(n -> classes.add(n.asText()));
    return new ResumeState(root.get("next_epoch").asInt(), hps, readParams(dir, root.get("params").asText()),
        readParams(dir, root.get("optimizer").asText()),
        root.has("best") ? readParams(dir, root.get("best").asText()) : null,
        root.get("best_epoch").asInt(), periodic, history, classes);
  }

  private static double num(JsonNode m, String field) {
    JsonNode v = m.get(field);
    // Jackson writes NaN as a string token "NaN" when asked for non-numeric numbers.
    return v == null || v.isNull() ? Double.NaN : v.isTextual() ? Double.parseDouble(v.asText()) : v.asDouble();
  }

  private static ParamSet readParams(Path dir, String name) throws IOException {
    try (InputStream in = Files.newInputStream(dir.resolve(name))) {
      return ParamsFile.read(in, dir.resolve(name).toString());
    }
  }
}
