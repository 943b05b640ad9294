package io.imgclass.core.data;

import io.imgclass.core.ImgclassException;
import io.imgclass.core.lst.LstEntry;
import io.imgclass.core.lst.ImageRoot;
import io.imgclass.core.lst.LstReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Images listed in a {@code .lst} file under an image root (SageMaker's {@code application/x-image}
 * channel with its {@code _lst} channel). Paths are relative to the root; absolute paths and
 * {@code ..} are refused before training starts.
 */
public final class LstSource implements SampleSource {
  private final Path lst;
  private final Path root;
  private final Path[] files;
  private final float[][] labels;
  private final int labelWidth;
  // "list.lst:LINE" per entry, for messages about the example.
  private final String[] wheres;

  private LstSource(Path lst, Path root, Path[] files, float[][] labels, int labelWidth, String[] wheres) {
    this.wheres = wheres;
    this.lst = lst;
    this.root = root;
    this.files = files;
    this.labels = labels;
    this.labelWidth = labelWidth;
  }

  /** Reads the list (labels are small; images are read when asked for). */
  public static LstSource open(Path lst, Path root) throws IOException {
    if (!Files.isDirectory(root)) {
      throw new ImgclassException("image root is not a folder: " + root);
    }
    List<LstEntry> entries = new java.util.ArrayList<>();
    List<Long> lines = new java.util.ArrayList<>();
    try (LstReader r = LstReader.open(lst)) {
      for (LstEntry e; (e = r.next()) != null; ) {
        entries.add(e);
        lines.add(r.lineNumber());
      }
    }
    if (entries.isEmpty()) {
      throw new ImgclassException(lst + ": no entries (SageMaker: \"Invalid lst file in the train channel\")");
    }
    Path[] files = new Path[entries.size()];
    float[][] labels = new float[entries.size()][];
    String[] wheres = new String[entries.size()];
    int width = entries.get(0).labelCount();
    for (int i = 0; i < files.length; i++) {
      LstEntry e = entries.get(i);
      String where = lst + ":" + lines.get(i);
      if (e.labelCount() != width) {
        throw new ImgclassException(where + ": entry " + (i + 1) + " (index " + e.index() + ") has " + e.labelCount()
            + " labels, the first (line " + lines.get(0) + ") has " + width + "; every line must have the same number of labels");
      }
      files[i] = ImageRoot.resolve(root, e.path(), where);
      wheres[i] = where;
      labels[i] = e.floatLabels();
    }
    return new LstSource(lst, root, files, labels, width, wheres);
  }

  @Override
  public int size() {
    return files.length;
  }

  @Override
  public String describe() {
    return lst + " (images under " + root + ")";
  }

  @Override
  public int labelWidth() {
    return labelWidth;
  }

  @Override
  public Cursor cursor() {
    return new Cursor() {
      @Override
      public Sample read(int i) throws IOException {
        return new Sample(image(i), labels[i], wheres[i] + " (" + files[i] + ")");
      }

      private byte[] image(int i) throws IOException {
        try {
          return io.imgclass.core.image.ImageFiles.read(files[i]);
        } catch (io.imgclass.core.image.ImageFiles.NotARegularFile e) {
          throw new ImgclassException(wheres[i] + ": " + e.getMessage(), e);
        }
      }

      @Override
      public void close() {}
    };
  }
}
