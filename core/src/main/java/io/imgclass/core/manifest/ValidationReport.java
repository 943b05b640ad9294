package io.imgclass.core.manifest;

import io.imgclass.core.label.LabelFormat;
import java.util.List;
import java.util.Map;

/**
 * What {@link ManifestValidator} found. Counts are complete; {@link #issues()} lists at most
 * {@code maxErrors} errors and as many warnings, ordered by line (line 0, the file as a whole,
 * first).
 *
 * @param config what was checked
 * @param labelFormat the format labels were checked against
 * @param detection how auto-detection chose it, or null when it was given
 * @param lines lines in the file, blank ones included
 * @param validLines lines with no error
 * @param errors errors found
 * @param warnings warnings found
 * @param stringLabels valid labels written as strings ({@code "1"}, {@code "[0, 2]"})
 * @param counts issues per rule (every rule present, 0 when none)
 * @param notChecked rules that were not applied, with the reason
 * @param issues the listed issues
 * @param unlistedErrors errors found but not listed
 * @param unlistedWarnings warnings found but not listed
 * @param histogram examples per class (multi-label: lines marking the class)
 * @param classesWithoutExamples classes in [0, num_classes) with no example
 * @param images image statistics, or null without --check-images
 */
public record ValidationReport(
    ValidationConfig config,
    LabelFormat labelFormat,
    LabelFormatDetector.Detection detection,
    long lines,
    long validLines,
    long errors,
    long warnings,
    long stringLabels,
    Map<Rule, Long> counts,
    Map<Rule, String> notChecked,
    List<Issue> issues,
    long unlistedErrors,
    long unlistedWarnings,
    long[] histogram,
    List<Integer> classesWithoutExamples,
    ImageStats images) {

  /**
   * Decoded-image statistics.
   *
   * @param checked images looked at (resolved files)
   * @param decoded images that decoded
   * @param undecodable images that did not
   * @param tooSmall decoded images smaller than --image-shape
   * @param minWidth smallest width seen (0 when none decoded)
   * @param minHeight smallest height seen
   * @param maxWidth largest width seen
   * @param maxHeight largest height seen
   * @param formats decoded images per format name (jpeg, png, ...)
   */
  public record ImageStats(long checked, long decoded, long undecodable, long tooSmall,
      int minWidth, int minHeight, int maxWidth, int maxHeight, Map<String, Long> formats) {}

  /** True when there are no errors, and with {@code --strict} no warnings either. */
  public boolean passed() {
    return errors == 0 && (!config.strict() || warnings == 0);
  }

  /** Copies the arrays and collections. */
  public ValidationReport {
    counts = Map.copyOf(counts);
    notChecked = Map.copyOf(notChecked);
    issues = List.copyOf(issues);
    histogram = histogram.clone();
    classesWithoutExamples = List.copyOf(classesWithoutExamples);
  }

  @Override
  public long[] histogram() {
    return histogram.clone();
  }
}
