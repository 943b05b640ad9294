package io.imgclass.core.manifest;

import io.imgclass.core.label.LabelFormat;
import io.imgclass.core.label.LabelValue;
import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code --label-format auto}: looks at the labels of the first lines (1,000 by default) and picks
 * the format most of them fit. Bare numbers mean {@code single}. Lists that are 0/1 vectors of length
 * num_classes (or, without num_classes, all of one length) mean {@code multi-hot}, SageMaker's
 * default; other lists mean {@code class-id}. Lines that do not fit the winner are then reported by
 * the ordinary rules. A 0/1 list could be read either way when num_classes ≤ 2; the report says so.
 */
public final class LabelFormatDetector {
  /** Lines read by default. */
  public static final int DEFAULT_SAMPLE = 1000;

  /**
   * What was detected and why.
   *
   * @param format the format chosen
   * @param labelled lines whose label was a number or a list of numbers (directly or as a string)
   * @param scalars how many of those were bare numbers
   * @param multiHotShaped how many were 0/1 lists of the multi-hot length
   * @param reason one sentence for reports
   */
  public record Detection(LabelFormat format, int labelled, int scalars, int multiHotShaped, String reason) {}

  private LabelFormatDetector() {}

  /** Detects from the first {@code sample} lines of {@code file}. */
  public static Detection detect(Path file, Attributes attributes, int numClasses, int sample) throws IOException {
    int scalars = 0;
    int arrays = 0;
    int zeroOne = 0;
    int firstLength = -1;
    boolean sameLength = true;
    int lines = 0;
    try (ManifestScanner s = ManifestScanner.open(file, attributes)) {
      while (lines < sample && s.next()) {
        lines++;
        if (s.kind != ManifestScanner.Kind.OBJECT) {
          continue;
        }
        LabelValue v = s.labelValue;
        if (s.label == ManifestScanner.Attr.STRING) {
          if (v.parseText(s.labelString) != null) {
            continue;
          }
        } else if (s.label != ManifestScanner.Attr.PRESENT) {
          continue;
        }
        if (!v.isArray()) {
          scalars++;
          continue;
        }
        arrays++;
        if (firstLength < 0) {
          firstLength = v.size();
        } else if (firstLength != v.size()) {
          sameLength = false;
        }
        boolean ok = numClasses <= 0 || v.size() == numClasses;
        for (int i = 0; ok && i < v.size(); i++) {
          ok = v.get(i) == 0 || v.get(i) == 1;
        }
        if (ok) {
          zeroOne++;
        }
      }
    }
    int labelled = scalars + arrays;
    String from = "from the first " + labelled + " labelled line" + (labelled == 1 ? "" : "s");
    if (labelled == 0) {
      return new Detection(LabelFormat.SINGLE, 0, 0, 0,
          "no labels to detect from in the first " + lines + " lines; checked as single");
    }
    if (scalars >= arrays) {
      return new Detection(LabelFormat.SINGLE, labelled, scalars, zeroOne,
          "single: " + scalars + " bare numbers, " + arrays + " lists " + from);
    }
    boolean lengthOk = numClasses > 0 || sameLength;
    String len = numClasses > 0 ? "length num_classes=" + numClasses : "one length (" + firstLength + ")";
    if (lengthOk && zeroOne * 2 >= arrays) {
      boolean ambiguous = (numClasses > 0 ? numClasses : firstLength) <= 2;
      return new Detection(LabelFormat.MULTI_HOT, labelled, scalars, zeroOne,
          "multi-hot: " + zeroOne + " of " + arrays + " lists are 0/1 vectors of " + len + " " + from
              + (ambiguous ? " (ambiguous with class-id at 2 or fewer classes; give --label-format to be sure)" : ""));
    }
    return new Detection(LabelFormat.CLASS_ID, labelled, scalars, zeroOne,
        "class-id: only " + zeroOne + " of " + arrays + " lists are 0/1 vectors of " + len + " " + from);
  }
}
