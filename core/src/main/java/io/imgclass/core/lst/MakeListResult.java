package io.imgclass.core.lst;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@code make-lst} wrote.
 *
 * @param classes the classes in label order
 * @param files the list files in the order they were written
 * @param classMap the class map file
 * @param images images listed
 * @param withoutCsvRow images under the root that had no row in the labels CSV (not listed)
 * @param csvRowsWithoutImage labels CSV rows whose image was not found under the root
 */
public record MakeListResult(
    List<ClassInfo> classes,
    List<ListFile> files,
    Path classMap,
    int images,
    int withoutCsvRow,
    List<String> csvRowsWithoutImage) {

  public MakeListResult {
    classes = List.copyOf(classes);
    files = List.copyOf(files);
    csvRowsWithoutImage = List.copyOf(csvRowsWithoutImage);
  }

  /**
   * One class.
   *
   * @param label the numeric label
   * @param name the folder relative to the root ({@code .} for the root itself), or the tag name
   * @param images images carrying this label (multi-label: images where the label is non-zero)
   */
  public record ClassInfo(int label, String name, int images) {}

  /**
   * One written list.
   *
   * @param path the file
   * @param split {@code all}, {@code train}, {@code val} or {@code test}
   * @param chunk the chunk number
   * @param images lines written
   * @param perClass images per label in this file
   */
  public record ListFile(Path path, String split, int chunk, int images, int[] perClass) {
    public ListFile {
      perClass = perClass.clone();
    }

    @Override
    public int[] perClass() {
      return perClass.clone();
    }
  }
}
