package io.imgclass.core.lst;

import java.util.Arrays;

/**
 * One {@code .lst} line: {@code index\tlabel_1\t...\tlabel_k\tpath}.
 *
 * <p>Labels are kept as doubles because im2rec parses them with Python's {@code float()} and
 * writes them with {@code %f}; they become float32 only in the RecordIO header.
 *
 * @param index the image index (im2rec assigns it in traversal order, before shuffling)
 * @param labels one or more labels
 * @param path the image path relative to the image root, with '/' separators
 */
public record LstEntry(long index, double[] labels, String path) {
  public LstEntry {
    if (labels == null || labels.length == 0) {
      throw new IllegalArgumentException("an .lst entry needs at least one label");
    }
    labels = labels.clone();
    if (path == null || path.isEmpty()) {
      throw new IllegalArgumentException("an .lst entry needs a path");
    }
  }

  /** A single-label entry. */
  public static LstEntry of(long index, double label, String path) {
    return new LstEntry(index, new double[] {label}, path);
  }

  @Override
  public double[] labels() {
    return labels.clone();
  }

  /** The number of labels on the line. */
  public int labelCount() {
    return labels.length;
  }

  /** The first label (the only one im2rec keeps without {@code --pack-label}). */
  public double firstLabel() {
    return labels[0];
  }

  /** The labels as float32, as the RecordIO header stores them. */
  public float[] floatLabels() {
    float[] f = new float[labels.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) labels[i];
    }
    return f;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LstEntry e
        && e.index == index
        && Arrays.equals(e.labels, labels)
        && e.path.equals(path);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(index) * 31 + Arrays.hashCode(labels) * 17 + path.hashCode();
  }

  @Override
  public String toString() {
    return LstWriter.format(this).strip();
  }
}
