package io.imgclass.core.label;

import java.util.Arrays;

/**
 * A parsed, checked label. Build one with {@link LabelCheck#toLabel}; the records validate only
 * their own shape, not num_classes.
 */
public sealed interface Label permits Label.Single, Label.MultiHot, Label.ClassIds {

  /** The format this label is written in. */
  LabelFormat format();

  /**
   * The label's text form, as a Pipe-mode stream carries it after the image record: {@code 1} for a
   * single label, {@code [1, 0, 1]} for a multi-hot vector, {@code [0, 2]} for class ids. Numbers
   * are written as integers and list items are separated by a comma and a space (the form the AWS
   * documentation shows); see docs/validate-manifest.md.
   */
  String toText();

  /**
   * The labels an MXNet image record carries (spec §2.5): one float for a single label; for
   * multi-label, the multi-hot vector of length {@code numClasses} (class ids are expanded to it,
   * so every record has the same label_width).
   */
  float[] toRecordLabels(int numClasses);

  /** The classes this label marks as present, ascending. */
  int[] classes();

  /** A single class id. */
  record Single(int classId) implements Label {
    /** Checks that the id is not negative. */
    public Single {
      if (classId < 0) {
        throw new IllegalArgumentException("class id must be >= 0, got " + classId);
      }
    }

    @Override
    public LabelFormat format() {
      return LabelFormat.SINGLE;
    }

    @Override
    public String toText() {
      return Integer.toString(classId);
    }

    @Override
    public float[] toRecordLabels(int numClasses) {
      return new float[] {classId};
    }

    @Override
    public int[] classes() {
      return new int[] {classId};
    }
  }

  /** A multi-hot vector: {@code values[i]} is 1 when class i is present, else 0. */
  record MultiHot(float[] values) implements Label {
    /** Copies the vector and checks that it holds only 0 and 1. */
    public MultiHot {
      values = values.clone();
      for (float v : values) {
        if (v != 0f && v != 1f) {
          throw new IllegalArgumentException("multi-hot values must be 0 or 1, got " + v);
        }
      }
    }

    @Override
    public float[] values() {
      return values.clone();
    }

    @Override
    public LabelFormat format() {
      return LabelFormat.MULTI_HOT;
    }

    @Override
    public String toText() {
      StringBuilder b = new StringBuilder(values.length * 3 + 2).append('[');
      for (int i = 0; i < values.length; i++) {
        if (i > 0) {
          b.append(", ");
        }
        b.append(values[i] == 1f ? '1' : '0');
      }
      return b.append(']').toString();
    }

    @Override
    public float[] toRecordLabels(int numClasses) {
      if (values.length != numClasses) {
        throw new IllegalArgumentException(
            "multi-hot label of length " + values.length + " but num_classes is " + numClasses);
      }
      return values.clone();
    }

    @Override
    public int[] classes() {
      return java.util.stream.IntStream.range(0, values.length).filter(i -> values[i] == 1f).toArray();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof MultiHot m && Arrays.equals(m.values, values);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
      return "MultiHot" + toText();
    }
  }

  /** A list of distinct class ids, in the order written. */
  record ClassIds(int[] ids) implements Label {
    /** Copies the ids and checks that they are non-empty, non-negative and distinct. */
    public ClassIds {
      ids = ids.clone();
      if (ids.length == 0) {
        throw new IllegalArgumentException("a class-id label needs at least one id");
      }
      int[] sorted = ids.clone();
      Arrays.sort(sorted);
      for (int i = 0; i < sorted.length; i++) {
        if (sorted[i] < 0 || (i > 0 && sorted[i] == sorted[i - 1])) {
          throw new IllegalArgumentException("class ids must be distinct and >= 0: " + Arrays.toString(ids));
        }
      }
    }

    @Override
    public int[] ids() {
      return ids.clone();
    }

    @Override
    public LabelFormat format() {
      return LabelFormat.CLASS_ID;
    }

    @Override
    public String toText() {
      StringBuilder b = new StringBuilder(ids.length * 4 + 2).append('[');
      for (int i = 0; i < ids.length; i++) {
        if (i > 0) {
          b.append(", ");
        }
        b.append(ids[i]);
      }
      return b.append(']').toString();
    }

    @Override
    public float[] toRecordLabels(int numClasses) {
      float[] out = new float[numClasses];
      for (int id : ids) {
        if (id >= numClasses) {
          throw new IllegalArgumentException("class id " + id + " >= num_classes " + numClasses);
        }
        out[id] = 1f;
      }
      return out;
    }

    @Override
    public int[] classes() {
      int[] c = ids.clone();
      Arrays.sort(c);
      return c;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ClassIds c && Arrays.equals(c.ids, ids);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(ids);
    }

    @Override
    public String toString() {
      return "ClassIds" + toText();
    }
  }
}
