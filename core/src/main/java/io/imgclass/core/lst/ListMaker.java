package io.imgclass.core.lst;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imgclass.core.ImgclassException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * im2rec.py {@code --list}, exactly (spec §3): {@code os.walk(root, followlinks=True)} with each
 * directory's sub-directories and files sorted by code point, a new label for a directory when
 * its first matching file is found (pre-order), the index assigned in traversal order before the
 * shuffle, CPython's {@code random.seed(seed); random.shuffle} ({@link PyRandom}), then im2rec's
 * chunk and train/test/val arithmetic and file names.
 *
 * <p>Beyond im2rec: the class map is persisted ({@code PREFIX-classes.json}), unreadable
 * directories are errors instead of being silently ignored, and symbolic-link cycles are not
 * followed twice (Python would recurse until the path is too long).
 */
public final class ListMaker {
  /** Python's string order: by Unicode code point (Java's compareTo orders UTF-16 units). */
  public static final Comparator<String> CODE_POINT_ORDER =
      (a, b) -> {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
          int ca = a.codePointAt(i);
          int cb = b.codePointAt(j);
          if (ca != cb) {
            return Integer.compare(ca, cb);
          }
          i += Character.charCount(ca);
          j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
      };

  /** One listed image before splitting. */
  private record Item(long index, String relpath, double[] labels) {}

  private final MakeListConfig config;
  private boolean multiLabel;
  private boolean allowEmpty;

  public ListMaker(MakeListConfig config) {
    this.config = config;
  }

  /**
   * Whether finding no image is fine (then empty lists are written). By default it is an error
   * before anything is written: an empty list is almost always a wrong ROOT, a missing --recursive
   * or the wrong --exts, and it would only fail later, in pack-recordio or training.
   */
  public ListMaker allowEmpty(boolean allow) {
    this.allowEmpty = allow;
    return this;
  }

  /** The class-map file name for a prefix: {@code PREFIX-classes.json}. */
  public static Path classMapPath(Path prefix) {
    return prefix.resolveSibling(prefix.getFileName() + "-classes.json");
  }

  /** Walks, shuffles, splits and writes the lists and the class map. */
  public MakeListResult run() throws IOException {
    Path root = config.root().toAbsolutePath().normalize();
    if (!Files.isDirectory(root)) {
      throw new ImgclassException(config.root() + ": not a directory");
    }
    Path prefix = config.prefix().toAbsolutePath().normalize();
    LabelsCsv csv = config.labelsCsv() == null ? null : LabelsCsv.read(config.labelsCsv());
    multiLabel = csv != null;
    Map<String, Integer> dirLabels = new LinkedHashMap<>();
    List<Item> items = new ArrayList<>();
    int[] withoutRow = {0};
    Set<String> seenCsv = new HashSet<>();
    Visitor v =
        (dir, file) -> {
          String rel = relpath(root, file);
          if (csv != null) {
            double[] labels = csv.labels().get(rel);
            if (labels == null) {
              withoutRow[0]++;
              return;
            }
            seenCsv.add(rel);
            items.add(new Item(items.size(), rel, labels));
            return;
          }
          Integer label = dirLabels.computeIfAbsent(relDir(root, dir), k -> dirLabels.size());
          items.add(new Item(items.size(), rel, new double[] {label}));
        };
    if (config.recursive()) {
      walk(root, v, new HashSet<>());
    } else {
      for (Path f : sortedChildren(root)) {
        if (matches(f)) {
          v.accept(root, f);
        }
      }
    }
    List<String> missing = new ArrayList<>();
    if (csv != null) {
      for (String p : csv.labels().keySet()) {
        if (!seenCsv.contains(p)) {
          missing.add(p);
        }
      }
    }
    if (items.isEmpty() && !allowEmpty) {
      throw new ImgclassException(config.root() + ": no images to list (extensions " + String.join(" ", config.exts())
          + (config.recursive() ? "" : "; without --recursive only files directly in ROOT are listed")
          + (csv != null ? "; only images with a row in " + config.labelsCsv() : "")
          + "); nothing was written. Pass --allow-empty to write empty lists");
    }
    if (config.shuffle()) {
      new PyRandom(config.seed()).shuffle(items);
    }
    List<String> classNames =
        csv != null ? csv.classNames() : new ArrayList<>(dirLabels.keySet());
    List<MakeListResult.ListFile> files = writeSplits(prefix, items, classNames.size());
    int[] totals = new int[classNames.size()];
    for (Item it : items) {
      count(it, totals);
    }
    List<MakeListResult.ClassInfo> classes = new ArrayList<>();
    for (int i = 0; i < classNames.size(); i++) {
      classes.add(new MakeListResult.ClassInfo(i, classNames.get(i), totals[i]));
    }
    Path classMap = classMapPath(prefix);
    writeClassMap(classMap, root, csv != null, classes);
    return new MakeListResult(classes, files, classMap, items.size(), withoutRow[0], missing);
  }

  private List<MakeListResult.ListFile> writeSplits(Path prefix, List<Item> items, int nClasses)
      throws IOException {
    List<MakeListResult.ListFile> files = new ArrayList<>();
    int n = items.size();
    int chunks = config.chunks();
    int chunkSize = (n + chunks - 1) / chunks;
    for (int c = 0; c < chunks; c++) {
      List<Item> chunk = items.subList(Math.min(n, c * chunkSize), Math.min(n, (c + 1) * chunkSize));
      String strChunk = chunks > 1 ? "_" + c : "";
      // im2rec uses chunk_size, not the chunk's own length, and Python's int() truncation.
      int sep = (int) (chunkSize * config.trainRatio());
      int sepTest = (int) (chunkSize * config.testRatio());
      if (config.trainRatio() == 1.0) {
        files.add(write(prefix, strChunk + ".lst", "all", c, chunk, nClasses));
      } else {
        if (config.testRatio() != 0) {
          files.add(write(prefix, strChunk + "_test.lst", "test", c, slice(chunk, 0, sepTest), nClasses));
        }
        if (config.trainRatio() + config.testRatio() < 1.0) {
          files.add(write(prefix, strChunk + "_val.lst", "val", c, slice(chunk, sepTest + sep, chunk.size()), nClasses));
        }
        files.add(write(prefix, strChunk + "_train.lst", "train", c, slice(chunk, sepTest, sepTest + sep), nClasses));
      }
    }
    return files;
  }

  /** Python's {@code list[a:b]} for non-negative a, b. */
  private static List<Item> slice(List<Item> l, int a, int b) {
    int from = Math.min(a, l.size());
    int to = Math.min(b, l.size());
    return to <= from ? List.of() : l.subList(from, to);
  }

  private MakeListResult.ListFile write(
      Path prefix, String suffix, String split, int chunk, List<Item> items, int nClasses)
      throws IOException {
    Path out = prefix.resolveSibling(prefix.getFileName() + suffix);
    int[] perClass = new int[nClasses];
    try (LstWriter w = LstWriter.create(out)) {
      for (Item it : items) {
        w.write(new LstEntry(it.index(), it.labels(), it.relpath()));
        count(it, perClass);
      }
    }
    return new MakeListResult.ListFile(out, split, chunk, items.size(), perClass);
  }

  private void count(Item it, int[] perClass) {
    double[] l = it.labels();
    if (!multiLabel) {
      perClass[(int) l[0]]++;
    } else {
      for (int i = 0; i < l.length; i++) {
        if (l[i] != 0) {
          perClass[i]++;
        }
      }
    }
  }

  private interface Visitor {
    void accept(Path dir, Path file) throws IOException;
  }

  /** os.walk(top, followlinks=True), top-down, dirs and files sorted. */
  private void walk(Path dir, Visitor v, Set<Path> ancestors) throws IOException {
    Path real;
    try {
      real = dir.toRealPath();
    } catch (IOException e) {
      throw new ImgclassException(dir + ": cannot resolve directory: " + e.getMessage());
    }
    if (!ancestors.add(real)) {
      return; // a symlink cycle: os.walk would loop until the path is too long
    }
    List<Path> dirs = new ArrayList<>();
    for (Path p : sortedChildren(dir)) {
      if (Files.isDirectory(p)) {
        dirs.add(p);
      } else if (matches(p)) {
        v.accept(dir, p);
      }
    }
    for (Path d : dirs) {
      walk(d, v, ancestors);
    }
    ancestors.remove(real);
  }

  private boolean matches(Path p) {
    String name = p.getFileName().toString();
    return Files.isRegularFile(p) && config.exts().contains(splitext(name).toLowerCase(Locale.ROOT));
  }

  /** Python's os.path.splitext(name)[1]: leading dots do not start an extension. */
  static String splitext(String name) {
    int dot = name.lastIndexOf('.');
    if (dot <= 0) {
      return "";
    }
    for (int i = 0; i < dot; i++) {
      if (name.charAt(i) != '.') {
        return name.substring(dot);
      }
    }
    return "";
  }

  private static List<Path> sortedChildren(Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        out.add(p);
      }
    } catch (IOException e) {
      throw new ImgclassException(dir + ": cannot list directory: " + e.getMessage());
    }
    out.sort((a, b) -> CODE_POINT_ORDER.compare(a.getFileName().toString(), b.getFileName().toString()));
    return out;
  }

  private static String relpath(Path root, Path file) {
    return root.relativize(file).toString().replace(java.io.File.separatorChar, '/');
  }

  private static String relDir(Path root, Path dir) {
    String r = relpath(root, dir);
    return r.isEmpty() ? "." : r;
  }

  private static void writeClassMap(Path file, Path root, boolean multiLabel, List<MakeListResult.ClassInfo> classes)
      throws IOException {
    ObjectMapper om = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode doc = om.createObjectNode();
    doc.put("format", "imgclass-classes/1");
    doc.put("labels", multiLabel ? "multi-hot" : "folder");
    doc.put("root", root.toString());
    ArrayNode arr = doc.putArray("classes");
    for (MakeListResult.ClassInfo c : classes) {
      arr.addObject().put("label", c.label()).put("name", c.name()).put("images", c.images());
    }
    Path temp = file.resolveSibling(file.getFileName() + ".partial");
    om.writeValue(temp.toFile(), doc);
    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
