package io.imgclass.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imgclass.core.ImgclassException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes {@code model.tar.gz} with SageMaker's flat member names (spec §1.5):
 * {@code image-classification-symbol.json}, {@code image-classification-NNNN.params},
 * {@code model-shapes.json}, and our class map {@code imgclass-classes.json} (a JSON array of class
 * names by label index), which SageMaker ignores.
 */
public final class ModelArchive {
  /** Symbol member name. */
  public static final String SYMBOL = "image-classification-symbol.json";
  /** Shapes member name. */
  public static final String SHAPES = "model-shapes.json";
  /** Class map member name (ours; SageMaker ignores it). */
  public static final String CLASSES = "imgclass-classes.json";
  private static final Pattern PARAMS = Pattern.compile("image-classification-(\\d+)\\.params");

  private ModelArchive() {}

  /** The params member name for an epoch: {@code image-classification-0010.params}. */
  public static String paramsName(int epoch) {
    return String.format("image-classification-%04d.params", epoch);
  }

  /** {@code model-shapes.json} content: {@code [{"shape": [N, C, H, W], "name": "data"}]}. */
  public static String shapesJson(int batchSize, ImageShape shape) {
    return "[{\"shape\": [" + batchSize + ", " + shape.channels() + ", " + shape.height() + ", " + shape.width()
        + "], \"name\": \"data\"}]";
  }

  /**
   * Writes the artifact to {@code target} through a temporary file renamed at the end, so a
   * failure never leaves a partial archive under the target name.
   */
  public static void write(ModelArtifact a, Path target) throws IOException {
    write(a, java.util.Map.of(), target);
  }

  /**
   * Writes an artifact that also ships earlier checkpoints (SageMaker's checkpoint_frequency): each
   * entry of {@code moreEpochs} becomes another {@code image-classification-NNNN.params} member.
   */
  public static void write(ModelArtifact a, java.util.Map<Integer, ParamSet> moreEpochs, Path target) throws IOException {
    List<TarGz.Entry> entries = new ArrayList<>();
    entries.add(new TarGz.Entry(SYMBOL, SymbolJson.write(a.graph()).getBytes(StandardCharsets.UTF_8)));
    java.util.TreeMap<Integer, ParamSet> all = new java.util.TreeMap<>(moreEpochs);
    all.put(a.epoch(), a.params());
    for (java.util.Map.Entry<Integer, ParamSet> e : all.entrySet()) {
      ByteArrayOutputStream params = new ByteArrayOutputStream();
      ParamsFile.write(e.getValue(), params);
      entries.add(new TarGz.Entry(paramsName(e.getKey()), params.toByteArray()));
    }
    if (a.imageShape() != null) {
      entries.add(new TarGz.Entry(SHAPES, shapesJson(a.batchSize(), a.imageShape()).getBytes(StandardCharsets.UTF_8)));
    }
    if (!a.classes().isEmpty()) {
      entries.add(new TarGz.Entry(CLASSES, new ObjectMapper().writeValueAsBytes(a.classes())));
    }
    Path abs = target.toAbsolutePath();
    Path tmp = abs.resolveSibling("." + abs.getFileName() + ".tmp");
    try (OutputStream out = Files.newOutputStream(tmp)) {
      TarGz.write(entries, out, System.currentTimeMillis() / 1000);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * Reads an artifact: a {@code model.tar.gz} (top-level members, a leading {@code ./} accepted)
   * or a folder holding the same files. With several params files, the highest epoch is used.
   */
  public static ModelArtifact read(Path path) throws IOException {
    Map<String, byte[]> files;
    if (Files.isDirectory(path)) {
      files = new java.util.LinkedHashMap<>();
      try (var s = Files.list(path)) {
        for (Path p : (Iterable<Path>) s::iterator) {
          if (Files.isRegularFile(p)) {
            long size = Files.size(p);
            long cap = Math.min(ArchiveLimits.current().memberBytes(), Integer.MAX_VALUE - 8);
            if (size > cap) {
              throw new ImgclassException(p + ": " + size + " bytes, over the limit of " + cap
                  + " bytes per model file; " + ArchiveLimits.howToRaise(true));
            }
            files.put(p.getFileName().toString(), Files.readAllBytes(p));
          }
        }
      }
    } else {
      try (InputStream in = Files.newInputStream(path)) {
        files = TarGz.read(in, path.toString());
      }
    }
    return fromFiles(files, path.toString());
  }

  static ModelArtifact fromFiles(Map<String, byte[]> files, String source) throws IOException {
    byte[] symbol = files.get(SYMBOL);
    if (symbol == null) {
      throw new ImgclassException(source + ": no top-level " + SYMBOL + " (found: " + String.join(", ", files.keySet()) + ")");
    }
    int epoch = -1;
    String paramsName = null;
    for (String name : files.keySet()) {
      Matcher m = PARAMS.matcher(name);
      if (m.matches() && Integer.parseInt(m.group(1)) > epoch) {
        epoch = Integer.parseInt(m.group(1));
        paramsName = name;
      }
    }
    if (paramsName == null) {
      throw new ImgclassException(source + ": no top-level image-classification-NNNN.params");
    }
    Graph graph = SymbolJson.read(new String(symbol, StandardCharsets.UTF_8), source + ":" + SYMBOL);
    ParamSet params = ParamsFile.read(new ByteArrayInputStream(files.get(paramsName)), source + ":" + paramsName);
    ImageShape shape = null;
    int batch = 1;
    byte[] shapes = files.get(SHAPES);
    if (shapes != null) {
      JsonNode root = json(shapes, source + ":" + SHAPES);
      JsonNode entry = null;
      for (JsonNode e : root.isArray() ? root : List.of(root)) {
        if ("data".equals(e.path("name").asText())) {
          entry = e;
        }
      }
      if (entry == null || entry.path("shape").size() != 4) {
        throw new ImgclassException(source + ":" + SHAPES + ": no 4-d \"data\" shape in " + root);
      }
      JsonNode s = entry.get("shape");
      checkShape(s, source + ":" + SHAPES);
      batch = s.get(0).asInt();
      try {
        shape = new ImageShape(s.get(1).asInt(), s.get(2).asInt(), s.get(3).asInt());
      } catch (ImgclassException e) {
        // A bad shape inside an archive is invalid data (exit 1), not a usage error.
        throw new ImgclassException(source + ":" + SHAPES + ": " + e.getMessage());
      }
    }
    List<String> classes = new ArrayList<>();
    byte[] cls = files.get(CLASSES);
    if (cls != null) {
      JsonNode root = json(cls, source + ":" + CLASSES);
      if (!root.isArray()) {
        throw new ImgclassException(source + ":" + CLASSES + ": expected a JSON array of class names");
      }
      root.forEach(n -> classes.add(n.asText()));
    }
    return new ModelArtifact(graph, params, epoch, shape, batch, classes);
  }

  /** The largest image side, batch and channel count model-shapes.json may give. */
  static final long MAX_SIDE = 8192;
  static final long MAX_BATCH = 4096;
  static final long MAX_CHANNELS = 4;

  /**
   * Refuses a data shape that is not whole numbers within sane bounds before anything is sized
   * from it: the file is input, and [64,1,999999999,999999999] would otherwise be allocated.
   */
  private static void checkShape(JsonNode s, String source) {
    long[] max = {MAX_BATCH, MAX_CHANNELS, MAX_SIDE, MAX_SIDE};
    String[] what = {"batch", "channels", "height", "width"};
    for (int i = 0; i < 4; i++) {
      JsonNode d = s.get(i);
      if (!d.canConvertToLong() || !d.isIntegralNumber() || d.asLong() < 1 || d.asLong() > max[i]) {
        throw new ImgclassException(source + ": data shape " + s + ": " + what[i] + " must be a whole number from 1 to "
            + max[i] + ", got " + d);
      }
    }
  }

  private static JsonNode json(byte[] bytes, String source) {
    try {
      return new ObjectMapper().readTree(bytes);
    } catch (IOException e) {
      throw new ImgclassException(source + ": not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
    }
  }
}
