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

  private LstSource(Path lst, Path root, Path[] files, float[][] labels, int labelWidth) {
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
    List<LstEntry> entries = LstReader.readAll(lst);
    if (entries.isEmpty()) {
      throw new ImgclassException(lst + ": no entries (SageMaker: \"Invalid lst file in the train channel\")");
    }
    Path[] files = new Path[entries.size()];
    float[][] labels = new float[entries.size()][];
    int width = entries.get(0).labelCount();
    for (int i = 0; i < files.length; i++) {
      LstEntry e = entries.get(i);
      if (e.labelCount() != width) {
        throw new ImgclassException(lst + ": entry " + (i + 1) + " (index " + e.index() + ") has " + e.labelCount()
            + " labels, the first has " + width + "; every line must have the same number of labels");
      }
      files[i] = ImageRoot.resolve(root, e.path(), lst + ": entry " + (i + 1));
      labels[i] = e.floatLabels();
    }
    return new LstSource(lst, root, files, labels, width);
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
        return new Sample(Files.readAllBytes(files[i]), labels[i], files[i].toString());
      }

      @Override
      public void close() {}
    };
  }
}
