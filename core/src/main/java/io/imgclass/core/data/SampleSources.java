package io.imgclass.core.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imgclass.core.ImgclassException;
import io.imgclass.core.image.ColorMode;
import io.imgclass.core.image.ImageCodec;
import io.imgclass.core.image.ImageDecodeException;
import io.imgclass.core.train.Channel;
import io.imgclass.core.train.TrainingHyperparameters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Opens a training channel as a {@link SampleSource}, and the shared image decoder for training. */
public final class SampleSources {
  private SampleSources() {}

  /** The source for a channel; {@code name} (train/validation) is for messages. */
  public static SampleSource open(Channel c, TrainingHyperparameters hp, String name) throws IOException {
    return switch (c.kind()) {
      case RECORDIO -> RecordIOSource.open(c.data(), c.index());
      case IMAGE_LST -> LstSource.open(c.index(), c.data());
      case MANIFEST -> ManifestSource.open(c.data(), c.index(), c.attributeNames(), c.labelFormat(), c.s3PrefixMaps(),
          hp.numClasses());
    };
  }

  /**
   * Class names for the artifact: the {@code PREFIX-classes.json} that {@code make-lst} writes next
   * to the list the data came from, if one can be found; otherwise none (the artifact then carries
   * no names and predictions show class ids).
   */
  public static List<String> classNames(Channel c, int numClasses) {
    Path anchor = c.kind() == Channel.Kind.IMAGE_LST ? c.index() : c.data();
    if (anchor == null) {
      return List.of();
    }
    String file = anchor.getFileName().toString();
    String base = file.contains(".") ? file.substring(0, file.lastIndexOf('.')) : file;
    List<Path> candidates = new ArrayList<>();
    for (String suffix : new String[] {"", "_train", "_val", "_test"}) {
      if (base.endsWith(suffix) && !suffix.isEmpty()) {
        candidates.add(anchor.resolveSibling(base.substring(0, base.length() - suffix.length()) + "-classes.json"));
      }
    }
    candidates.add(anchor.resolveSibling(base + "-classes.json"));
    for (Path p : candidates) {
      if (Files.isRegularFile(p)) {
        try {
          JsonNode root = new ObjectMapper().readTree(p.toFile());
          List<String> names = new ArrayList<>();
          if (root.isArray()) {
            root.forEach(n -> names.add(n.asText()));
          } else if (root.path("classes").isArray()) {
            // make-lst's class map: {"classes": [{"label": 0, "name": "cat", ...}, ...]}
            String[] byLabel = new String[numClasses];
            for (JsonNode entry : root.get("classes")) {
              int label = entry.path("label").asInt(-1);
              if (label >= 0 && label < numClasses) {
                byLabel[label] = entry.path("name").asText();
              }
            }
            for (int i = 0; i < numClasses; i++) {
              names.add(byLabel[i] == null ? Integer.toString(i) : byLabel[i]);
            }
          } else if (root.isObject()) {
            JsonNode map = root.has("classes") ? root.get("classes") : root;
            for (int i = 0; i < numClasses; i++) {
              JsonNode v = map.get(Integer.toString(i));
              names.add(v == null ? Integer.toString(i) : v.asText());
            }
          }
          if (names.size() == numClasses) {
            return names;
          }
        } catch (IOException e) {
          throw new ImgclassException(p + ": not a readable class map: " + e.getMessage(), e);
        }
      }
    }
    return List.of();
  }

  /** The decoder training uses: 3-channel RGB, or grey for image_shape channels 1. */
  public static BatchLoader.Decoder decoder(int channels) {
    ColorMode mode = channels == 1 ? ColorMode.GRAY : ColorMode.COLOR;
    return (bytes, where) -> {
      try {
        return ImageCodec.decode(bytes, mode);
      } catch (ImageDecodeException e) {
        throw new ImgclassException(where + ": cannot decode image: " + e.getMessage(), e);
      }
    };
  }
}
