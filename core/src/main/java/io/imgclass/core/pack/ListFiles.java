package io.imgclass.core.pack;

import io.imgclass.core.ImgclassException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Finds the lists {@code pack-recordio PREFIX_OR_LST} converts, as im2rec.py does. */
public final class ListFiles {
  private ListFiles() {}

  /**
   * An existing {@code .lst} file is used alone. Otherwise, im2rec's rule: the prefix is made
   * absolute; the directory searched is the prefix itself if it is a directory, else its parent;
   * every regular file there whose absolute path starts with the prefix (as a string) and ends in
   * {@code .lst} is converted, so {@code foo} also matches {@code foobar.lst}. im2rec takes them in
   * {@code os.listdir} order, which the file system decides; we sort by name so runs repeat.
   */
  public static List<Path> resolve(Path prefixOrLst) throws IOException {
    Path abs = prefixOrLst.toAbsolutePath().normalize();
    if (abs.toString().endsWith(".lst") && Files.isRegularFile(abs)) {
      return List.of(abs);
    }
    Path dir = Files.isDirectory(abs) ? abs : abs.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw new ImgclassException(prefixOrLst + ": no such directory for the list prefix");
    }
    String prefix = abs.toString();
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        String s = p.toString();
        if (s.startsWith(prefix) && s.endsWith(".lst") && Files.isRegularFile(p)) {
          out.add(p);
        }
      }
    }
    out.sort(null);
    if (out.isEmpty()) {
      throw new ImgclassException(
          prefixOrLst + ": no .lst file found (looked for " + prefix + "*.lst); run make-lst first");
    }
    return out;
  }
}
