package io.imgclass.core.lst;

import io.imgclass.core.ImgclassException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A multi-label CSV for {@code make-lst --labels-csv}. Two shapes are accepted (an optional first
 * row starting with {@code path} is a header):
 *
 * <ul>
 *   <li>{@code relpath,tag1;tag2;...}: one column of class names or integer ids separated by
 *       {@code ;} (or spaces). Names become classes in code-point order, ids are used as labels;
 *       each image gets a multi-hot vector over all classes.
 *   <li>{@code relpath,v1,v2,...,vk}: k numeric columns (a multi-hot vector or fixed-width label
 *       ids), written as they are. k must be the same on every row.
 * </ul>
 *
 * <p>Paths are relative to the image root, '/'-separated. No quoting: paths containing commas are
 * not supported (the error names the line).
 *
 * @param labels labels per relative path, in file order
 * @param classNames one name per label position
 */
public record LabelsCsv(Map<String, double[]> labels, List<String> classNames) {

  /** Parses a labels CSV. */
  public static LabelsCsv read(Path file) throws IOException {
    List<String[]> rows = new ArrayList<>();
    List<Long> lineNos = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      long n = 0;
      for (String line; (line = in.readLine()) != null; ) {
        n++;
        if (line.isBlank() || (n == 1 && line.strip().toLowerCase(java.util.Locale.ROOT).startsWith("path"))) {
          continue;
        }
        rows.add(line.split(",", -1));
        lineNos.add(n);
      }
    }
    if (rows.isEmpty()) {
      throw new ImgclassException(file + ": no label rows");
    }
    Map<String, double[]> out = new LinkedHashMap<>();
    boolean numericColumns = rows.get(0).length > 2;
    if (numericColumns) {
      int width = rows.get(0).length - 1;
      for (int r = 0; r < rows.size(); r++) {
        String[] row = rows.get(r);
        String where = file + ":" + lineNos.get(r);
        if (row.length - 1 != width) {
          throw new ImgclassException(
              where + ": " + (row.length - 1) + " label columns, but the first row has " + width
                  + " (every image needs the same number of labels; use multi-hot vectors)");
        }
        double[] v = new double[width];
        for (int i = 0; i < width; i++) {
          try {
            v[i] = Double.parseDouble(row[i + 1].strip());
          } catch (NumberFormatException e) {
            throw new ImgclassException(where + ": column " + (i + 2) + " '" + row[i + 1].strip() + "' is not a number");
          }
        }
        put(out, row[0].strip(), v, where);
      }
      List<String> names = new ArrayList<>();
      for (int i = 0; i < width; i++) {
        names.add(Integer.toString(i));
      }
      return new LabelsCsv(out, names);
    }
    // One column of tags: collect the class set first.
    List<String[]> tags = new ArrayList<>();
    boolean allInts = true;
    TreeSet<String> names = new TreeSet<>(ListMaker.CODE_POINT_ORDER);
    for (int r = 0; r < rows.size(); r++) {
      String[] row = rows.get(r);
      if (row.length != 2) {
        throw new ImgclassException(file + ":" + lineNos.get(r) + ": expected path,labels");
      }
      String[] t = row[1].strip().isEmpty() ? new String[0] : row[1].strip().split("[;\\s]+");
      for (String s : t) {
        allInts &= s.matches("\\d+");
        names.add(s);
      }
      tags.add(t);
    }
    List<String> classNames = new ArrayList<>();
    Map<String, Integer> pos = new LinkedHashMap<>();
    if (allInts) {
      int max = names.stream().mapToInt(Integer::parseInt).max().orElse(-1);
      for (int i = 0; i <= max; i++) {
        classNames.add(Integer.toString(i));
        pos.put(Integer.toString(i), i);
      }
      for (String s : names) {
        pos.put(s, Integer.parseInt(s)); // "007" and "7" are the same id
      }
    } else {
      for (String s : names) {
        pos.put(s, classNames.size());
        classNames.add(s);
      }
    }
    for (int r = 0; r < rows.size(); r++) {
      double[] v = new double[classNames.size()];
      for (String s : tags.get(r)) {
        v[pos.get(s)] = 1;
      }
      put(out, rows.get(r)[0].strip(), v, file + ":" + lineNos.get(r));
    }
    return new LabelsCsv(out, classNames);
  }

  private static void put(Map<String, double[]> out, String path, double[] v, String where) {
    if (path.isEmpty()) {
      throw new ImgclassException(where + ": empty path");
    }
    if (out.put(path, v) != null) {
      throw new ImgclassException(where + ": '" + path + "' appears twice");
    }
  }
}
