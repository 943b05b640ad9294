package io.imgclass.core.label;

import java.util.Locale;

/**
 * Label values that cannot be trusted as written to a RecordIO header, which stores every label as
 * a float32 and the index as an unsigned 64-bit id: NaN, infinities, negative values, values above
 * 2^24 (beyond it float32 skips whole numbers: 16777217 would be stored as 16777216), and, for a
 * single label (a class id), fractions. MXNet packs all of these without a word and training then
 * fails far from the cause, or learns from the wrong class.
 */
public final class LabelNumbers {
  /** The largest whole number from which on float32 can no longer hold every whole number: 2^24. */
  public static final double MAX_EXACT = 1 << 24;

  private LabelNumbers() {}

  /**
   * What is wrong with label {@code v}, or null.
   *
   * @param classId true for a single label (a class id), which must also be a whole number
   */
  public static String problem(double v, boolean classId) {
    if (Double.isNaN(v)) {
      return "label NaN is not a number";
    }
    if (Double.isInfinite(v)) {
      return "label " + (v > 0 ? "inf" : "-inf") + " is infinite";
    }
    if (v < 0) {
      return "label " + text(v) + " is negative";
    }
    if (v > MAX_EXACT) {
      return "label " + text(v) + " is above 2^24 = 16777216, beyond which float32 (the RecordIO header's type) "
          + "cannot hold every whole number";
    }
    if (classId && v != Math.rint(v)) {
      return "label " + text(v) + " is not a whole number (a single label is a class id)";
    }
    return null;
  }

  /** What is wrong with the first bad one of {@code labels}, or null; {@code classId} as above. */
  public static String problem(double[] labels, boolean classId) {
    for (int i = 0; i < labels.length; i++) {
      String p = problem(labels[i], classId);
      if (p != null) {
        return labels.length == 1 ? p : p + " (label " + (i + 1) + " of " + labels.length + ")";
      }
    }
    return null;
  }

  /** The same for float32 labels as read from a record header. */
  public static String problem(float[] labels, boolean classId) {
    double[] d = new double[labels.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = labels[i];
    }
    return problem(d, classId);
  }

  /** What is wrong with an image index, or null: a negative one becomes a huge unsigned id. */
  public static String indexProblem(long index) {
    return index < 0 ? "index " + index + " is negative (RecordIO ids are unsigned: it would be stored as "
        + Long.toUnsignedString(index) + ")" : null;
  }

  private static String text(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%s", v);
  }
}
