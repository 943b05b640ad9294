package io.imgclass.core.label;

/**
 * Checks a {@link LabelValue} against a {@link LabelFormat} and num_classes, counts its classes, and
 * turns it into a {@link Label}. Integral floats ({@code 1.0}) count as integers: MXNet stores every
 * label as a float, and {@code float("1.0")} is the same label as {@code 1}.
 */
public final class LabelCheck {

  /** One problem with a label. */
  public record Result(LabelProblem problem, String message) {}

  /**
   * The largest class id accepted when num_classes is not known: keeps a typo like {@code 1e12}
   * from sizing the class histogram.
   */
  public static final int MAX_UNKNOWN_CLASSES = 1 << 20;

  private LabelCheck() {}

  /**
   * Checks a label. {@code numClasses <= 0} means unknown: the range and length checks are then
   * skipped.
   *
   * @return null when the label is valid
   */
  public static Result check(LabelValue v, LabelFormat format, int numClasses) {
    int n = v.size();
    switch (format) {
      case SINGLE -> {
        if (v.isArray()) {
          return new Result(LabelProblem.FORMAT_MISMATCH,
              "label is a list " + abbreviate(v) + ", but label format single expects one class id");
        }
        double x = v.get(0);
        if (!isInteger(x)) {
          return new Result(LabelProblem.NOT_INTEGER, "label " + LabelValue.format(x) + " is not an integer class id");
        }
        if (x < 0 || x >= limit(numClasses)) {
          return new Result(LabelProblem.OUT_OF_RANGE,
              "label " + LabelValue.format(x) + " is outside [0, " + limitText(numClasses) + ")");
        }
        return null;
      }
      case MULTI_HOT -> {
        if (!v.isArray()) {
          return new Result(LabelProblem.FORMAT_MISMATCH,
              "label is the single number " + v + ", but label format multi-hot expects a list of 0/1 values");
        }
        if (numClasses > 0 && n != numClasses) {
          return new Result(LabelProblem.MULTI_HOT_LENGTH,
              "multi-hot label has " + n + (n == 1 ? " value" : " values") + " but num_classes is " + numClasses);
        }
        for (int i = 0; i < n; i++) {
          double x = v.get(i);
          if (x != 0 && x != 1) {
            return new Result(LabelProblem.MULTI_HOT_VALUE,
                "multi-hot value " + LabelValue.format(x) + " at position " + i + " is not 0 or 1");
          }
        }
        return null;
      }
      case CLASS_ID -> {
        if (!v.isArray()) {
          return new Result(LabelProblem.FORMAT_MISMATCH,
              "label is the single number " + v + ", but label format class-id expects a list of class ids");
        }
        if (n == 0) {
          return new Result(LabelProblem.CLASS_ID_EMPTY, "class-id label is an empty list");
        }
        for (int i = 0; i < n; i++) {
          double x = v.get(i);
          if (!isInteger(x)) {
            return new Result(LabelProblem.NOT_INTEGER,
                "class id " + LabelValue.format(x) + " at position " + i + " is not an integer");
          }
          if (x < 0 || x >= limit(numClasses)) {
            return new Result(LabelProblem.CLASS_ID_OUT_OF_RANGE,
                "class id " + LabelValue.format(x) + " at position " + i + " is outside [0, "
                    + limitText(numClasses) + ")");
          }
          for (int j = 0; j < i; j++) {
            if (v.get(j) == x) {
              return new Result(LabelProblem.CLASS_ID_DUPLICATE,
                  "class id " + LabelValue.format(x) + " appears at positions " + j + " and " + i);
            }
          }
        }
        return null;
      }
      default -> throw new AssertionError(format);
    }
  }

  /**
   * Adds one to {@code histogram[c]} for each class c the (valid) label marks present, growing the
   * array when num_classes is unknown; returns the array to keep using.
   */
  public static long[] count(LabelValue v, LabelFormat format, long[] histogram) {
    int n = v.size();
    if (format == LabelFormat.MULTI_HOT) {
      histogram = ensure(histogram, n);
      for (int i = 0; i < n; i++) {
        if (v.get(i) == 1) {
          histogram[i]++;
        }
      }
    } else {
      for (int i = 0; i < n; i++) {
        int c = (int) v.get(i);
        histogram = ensure(histogram, c + 1);
        histogram[c]++;
      }
    }
    return histogram;
  }

  private static long[] ensure(long[] h, int size) {
    return h.length >= size ? h : java.util.Arrays.copyOf(h, Math.max(size, h.length * 2));
  }

  /** The label a valid value stands for (call {@link #check} first). */
  public static Label toLabel(LabelValue v, LabelFormat format) {
    int n = v.size();
    switch (format) {
      case SINGLE:
        return new Label.Single((int) v.get(0));
      case MULTI_HOT: {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
          f[i] = (float) v.get(i);
        }
        return new Label.MultiHot(f);
      }
      case CLASS_ID: {
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
          ids[i] = (int) v.get(i);
        }
        return new Label.ClassIds(ids);
      }
      default:
        throw new AssertionError(format);
    }
  }

  private static boolean isInteger(double x) {
    return x == Math.rint(x);
  }

  private static double limit(int numClasses) {
    return numClasses > 0 ? numClasses : MAX_UNKNOWN_CLASSES;
  }

  private static String limitText(int numClasses) {
    return numClasses > 0 ? Integer.toString(numClasses) : MAX_UNKNOWN_CLASSES + " (num_classes not given)";
  }

  private static String abbreviate(LabelValue v) {
    String s = v.toString();
    return s.length() <= 40 ? s : s.substring(0, 37) + "...";
  }
}
