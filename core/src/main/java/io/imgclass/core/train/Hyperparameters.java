package io.imgclass.core.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imgclass.core.ImgclassException;
import io.imgclass.core.UsageException;
import io.imgclass.core.train.HyperparameterDef.Kind;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * SageMaker Image Classification's hyperparameters (spec §1.1): their one definition, and the
 * parsing and checking of the string values SageMaker passes in {@code hyperparameters.json}.
 *
 * <p>Values are merged in SageMaker's order: built-in defaults, then the JSON file, then the CLI
 * options (which win). Every check failure reads like SageMaker's own: {@code The value 'x' is not
 * valid for the 'name' hyperparameter which expects ...}.
 */
public final class Hyperparameters {

  private static final List<String> NUM_LAYERS =
      List.of("18", "34", "50", "101", "152", "200", "20", "32", "44", "56", "110");

  /** Every hyperparameter, in SageMaker's documentation order. */
  public static final List<HyperparameterDef> DEFINITIONS = List.of(
      intDef("num_classes", null, true, 1, null,
          "Number of output classes; for multi-label, the number of label columns."),
      intDef("num_training_samples", null, true, 1, null,
          "Number of training examples; sets the epoch size and so the lr_scheduler_step boundaries."),
      enumDef("augmentation_type", null, List.of("crop", "crop_color", "crop_color_transform"),
          "Training augmentation: random crop and mirror; plus hue/saturation/lightness jitter; plus rotation, shear and aspect-ratio change."),
      floatDef("beta_1", "0.9", 0, 1, "adam: decay of the first moment estimate."),
      floatDef("beta_2", "0.999", 0, 1, "adam: decay of the second moment estimate."),
      intDef("checkpoint_frequency", null, false, 1, null,
          "Save a checkpoint every N epochs (1..epochs), all kept in model.tar.gz. Unset: keep only the epoch with the best validation accuracy."),
      new HyperparameterDef("early_stopping", Kind.BOOL, "False", false, null, null, false,
          List.of("True", "False"), "Stop when validation accuracy stops improving."),
      intDef("early_stopping_min_epochs", "10", false, 1, null,
          "Epochs to run before early stopping may stop training."),
      intDef("early_stopping_patience", "5", false, 1, null,
          "Epochs without improvement before stopping."),
      floatDef("early_stopping_tolerance", "0.0", 0, 1,
          "Relative improvement (acc - best) / best that counts as an improvement."),
      intDef("epochs", "30", false, 1, null, "Number of training epochs."),
      floatDef("eps", "1e-08", 0, 1, "adam and rmsprop: epsilon for numerical stability."),
      floatDef("gamma", "0.9", 0, 1, "rmsprop: decay factor of the squared-gradient average."),
      new HyperparameterDef("image_shape", Kind.SHAPE, "3,224,224", false, null, null, false,
          List.of(), "Input shape \"channels,height,width\"; channels 1 (grey) or 3 (RGB)."),
      enumDef("kv_store", null, List.of("dist_sync", "dist_async", "device", "local"),
          "Key-value store for distributed training; device/local (the default) train on one machine."),
      floatDef("learning_rate", "0.1", 0, 1, "Initial learning rate."),
      floatDef("lr_scheduler_factor", "0.1", 0, 1,
          "Factor the learning rate is multiplied by at each lr_scheduler_step epoch."),
      new HyperparameterDef("lr_scheduler_step", Kind.INT_LIST, null, false, null, null, false,
          List.of(), "Epochs at which the learning rate is reduced, e.g. \"10, 20\"."),
      intDef("mini_batch_size", "32", false, 1, null, "Batch size."),
      floatDef("momentum", "0.9", 0, 1,
          "sgd and nag momentum. SageMaker's default-input.json says 0 but its jobs log and use 0.9."),
      flagDef("multi_label", "Train multi-label (sigmoid cross-entropy); accuracy is averaged over classes."),
      new HyperparameterDef("num_layers", Kind.INT, "152", false, null, null, false, NUM_LAYERS,
          "ResNet depth: 18, 34, 50, 101, 152, 200; or 20, 32, 44, 56, 110 for images up to 28 pixels high."),
      enumDef("optimizer", "sgd", List.of("sgd", "adam", "rmsprop", "nag"), "Optimizer."),
      enumDef("precision_dtype", "float32", List.of("float32", "float16"),
          "Training precision; float16 is mixed precision on GPUs (--engine pytorch --gpus N)."),
      intDef("resize", null, false, 1, null,
          "Shorter side the images are resized to before cropping; required for image (.lst) input, at least image height and width."),
      new HyperparameterDef("top_k", Kind.INT, null, false, 1.0, null, true, List.of(),
          "Also report top-k training accuracy (k > 1)."),
      flagDef("use_pretrained_model",
          "Start from a pretrained network and re-initialise only the final layer (imgclass: --pretrained ARTIFACT)."),
      flagDef("use_weighted_loss",
          "multi-label: weight each class's loss by its inverse frequency in the training set."),
      floatDef("weight_decay", "0.0001", 0, 1,
          "L2 weight decay, applied to weights and BatchNorm gammas only."));

  private static final Map<String, HyperparameterDef> BY_NAME = byName();

  private Hyperparameters() {}

  /**
   * The hyperparameter reference as Markdown, generated from {@link #DEFINITIONS}; {@code
   * docs/hyperparameters.md} is this text, and a test keeps it so.
   */
  public static String markdown() {
    StringBuilder b = new StringBuilder();
    b.append("# Hyperparameters\n\n")
        .append("Generated from `io.imgclass.core.train.Hyperparameters.DEFINITIONS` (a test checks that this file\n")
        .append("matches the code). Names, defaults and ranges are SageMaker Image Classification's (spec §1.1).\n")
        .append("Give them as `imgclass train` options (kebab-case) or in `--hyperparameters hyperparameters.json`\n")
        .append("with SageMaker's snake_case names and string values; options win over the file.\n\n")
        .append("| name | option | type | default | accepted | meaning |\n")
        .append("|---|---|---|---|---|---|\n");
    for (HyperparameterDef d : DEFINITIONS) {
      String accepted = switch (d.kind()) {
        case ENUM, BOOL -> String.join(", ", d.choices().stream().map(c -> "`" + c + "`").toList());
        case INT -> d.choices().isEmpty() ? "integer " + d.rangeText() : String.join(", ", d.choices());
        case FLOAT -> "float " + d.rangeText();
        case INT_LIST -> "comma-separated increasing epochs";
        case SHAPE -> "`C,H,W`, C = 1 or 3";
      };
      String def = d.required() ? "**required**" : d.defaultValue() == null ? "unset" : "`" + d.defaultValue() + "`";
      b.append("| `").append(d.name()).append("` | `").append(d.option()).append("` | ")
          .append(d.kind().name().toLowerCase(Locale.ROOT)).append(" | ").append(def).append(" | ")
          .append(accepted.strip()).append(" | ").append(d.description().replace("|", "\\|")).append(" |\n");
    }
    return b.toString();
  }

  /** The definition of a snake_case name, or null. */
  public static HyperparameterDef definition(String name) {
    return BY_NAME.get(name);
  }

  /**
   * Reads {@code hyperparameters.json}: an object of string values, as SageMaker writes it
   * (numbers and booleans are accepted and turned into strings). Unknown names are an error, except
   * SageMaker's own {@code sagemaker_*} entries, which are ignored.
   */
  public static Map<String, String> readJson(Path file) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(file.toFile());
    } catch (IOException e) {
      throw new ImgclassException(file + ": not valid JSON: " + e.getMessage().replace('\n', ' '), e);
    }
    if (root == null || !root.isObject()) {
      throw new ImgclassException(file + ": expected a JSON object of hyperparameter names to string values");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String name = e.getKey();
      if (name.startsWith("sagemaker_")) {
        continue;
      }
      if (!BY_NAME.containsKey(name)) {
        throw new UsageException(file + ": unknown hyperparameter '" + name + "'" + suggestion(name));
      }
      JsonNode v = e.getValue();
      if (!v.isValueNode() || v.isNull()) {
        throw new UsageException(file + ": hyperparameter '" + name + "' must be a string, got " + v.getNodeType().toString().toLowerCase(Locale.ROOT));
      }
      out.put(name, v.asText());
    }
    return out;
  }

  /**
   * Merges the given layers (later ones win) over the defaults and checks every value.
   *
   * @param layers maps of snake_case name to string value, e.g. the JSON file then the CLI options
   */
  @SafeVarargs
  public static TrainingHyperparameters resolve(Map<String, String>... layers) {
    Map<String, String> v = new LinkedHashMap<>();
    for (HyperparameterDef d : DEFINITIONS) {
      if (d.defaultValue() != null) {
        v.put(d.name(), d.defaultValue());
      }
    }
    for (Map<String, String> layer : layers) {
      for (Map.Entry<String, String> e : layer.entrySet()) {
        if (!BY_NAME.containsKey(e.getKey())) {
          throw new UsageException("unknown hyperparameter '" + e.getKey() + "'" + suggestion(e.getKey()));
        }
        if (e.getValue() != null) {
          v.put(e.getKey(), e.getValue().strip());
        }
      }
    }
    for (HyperparameterDef d : DEFINITIONS) {
      if (d.required() && !v.containsKey(d.name())) {
        throw new UsageException("Missing required hyperparameter '" + d.name() + "' (" + d.option() + ")");
      }
      if (v.containsKey(d.name())) {
        check(d, v.get(d.name()));
      }
    }
    return TrainingHyperparameters.from(v);
  }

  /** Checks one value against its definition; throws with SageMaker's wording. */
  static void check(HyperparameterDef d, String value) {
    boolean ok = switch (d.kind()) {
      case INT -> parseInt(value) != null && inRange(d, parseInt(value))
          && (d.choices().isEmpty() || d.choices().contains(Long.toString(parseInt(value))));
      case FLOAT -> parseFloat(value) != null && inRange(d, parseFloat(value));
      case ENUM -> d.choices().contains(value);
      case BOOL -> parseBool(value) != null;
      case INT_LIST -> parseIntList(value) != null;
      case SHAPE -> parseShape(value) != null;
    };
    if (!ok) {
      throw invalid(d, value);
    }
  }

  static UsageException invalid(HyperparameterDef d, String value) {
    return new UsageException("The value '" + value + "' is not valid for the '" + d.name()
        + "' hyperparameter which expects " + d.expectation());
  }

  private static boolean inRange(HyperparameterDef d, double x) {
    if (d.min() != null && (d.minExclusive() ? x <= d.min() : x < d.min())) {
      return false;
    }
    return d.max() == null || x <= d.max();
  }

  static Long parseInt(String s) {
    try {
      return Long.parseLong(s.strip());
    } catch (NumberFormatException e) {
      // SageMaker passes every value as a string; "10.0" for an int is a common slip we accept.
      Double d = parseFloat(s);
      return d != null && d == Math.rint(d) && Math.abs(d) < 1e15 ? (long) (double) d : null;
    }
  }

  static Double parseFloat(String s) {
    try {
      double d = Double.parseDouble(s.strip());
      return Double.isFinite(d) ? d : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  static Boolean parseBool(String s) {
    return switch (s.strip().toLowerCase(Locale.ROOT)) {
      case "true", "1" -> Boolean.TRUE;
      case "false", "0" -> Boolean.FALSE;
      default -> null;
    };
  }

  static List<Integer> parseIntList(String s) {
    List<Integer> out = new ArrayList<>();
    String t = s.strip();
    if (t.startsWith("[") && t.endsWith("]")) {
      t = t.substring(1, t.length() - 1);
    }
    if (t.isBlank()) {
      return out;
    }
    for (String part : t.split(",")) {
      Long n = parseInt(part);
      if (n == null || n < 0 || n > Integer.MAX_VALUE || (!out.isEmpty() && n <= out.get(out.size() - 1))) {
        return null;
      }
      out.add((int) (long) n);
    }
    return out;
  }

  static int[] parseShape(String s) {
    String[] parts = s.strip().split(",");
    if (parts.length != 3) {
      return null;
    }
    int[] out = new int[3];
    for (int i = 0; i < 3; i++) {
      Long n = parseInt(parts[i]);
      if (n == null || n < 1 || n > 100_000) {
        return null;
      }
      out[i] = (int) (long) n;
    }
    return out[0] == 1 || out[0] == 3 ? out : null;
  }

  private static String suggestion(String name) {
    String best = null;
    int bestD = Integer.MAX_VALUE;
    String norm = name.replace('-', '_').toLowerCase(Locale.ROOT);
    for (String n : BY_NAME.keySet()) {
      int d = distance(norm, n);
      if (d < bestD) {
        bestD = d;
        best = n;
      }
    }
    return bestD <= 3 ? "; did you mean '" + best + "'?" : "";
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  private static Map<String, HyperparameterDef> byName() {
    Map<String, HyperparameterDef> m = new LinkedHashMap<>();
    for (HyperparameterDef d : DEFINITIONS) {
      m.put(d.name(), d);
    }
    return Map.copyOf(m);
  }

  private static HyperparameterDef intDef(String name, String def, boolean required, double min, Double max, String desc) {
    return new HyperparameterDef(name, Kind.INT, def, required, min, max, false, List.of(), desc);
  }

  private static HyperparameterDef floatDef(String name, String def, double min, double max, String desc) {
    return new HyperparameterDef(name, Kind.FLOAT, def, false, min, max, false, List.of(), desc);
  }

  private static HyperparameterDef enumDef(String name, String def, List<String> choices, String desc) {
    return new HyperparameterDef(name, Kind.ENUM, def, false, null, null, false, choices, desc);
  }

  private static HyperparameterDef flagDef(String name, String desc) {
    return new HyperparameterDef(name, Kind.INT, "0", false, null, null, false, List.of("0", "1"), desc);
  }
}
