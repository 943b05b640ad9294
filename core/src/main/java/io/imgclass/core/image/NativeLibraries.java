package io.imgclass.core.image;

import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds optional system libraries by file name. JNA's own search for a bare name ("turbojpeg")
 * tries several patterns and scans library folders for versioned names, which cost 30-80 ms per
 * library at start-up, a tenth of a small packing run; one directory listing here costs a few.
 */
final class NativeLibraries {
  private static final String[] SYSTEM_DIRS = {
    "/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/lib64",
    "/usr/lib", "/usr/local/lib",
  };

  private NativeLibraries() {}

  /**
   * Absolute paths of {@code lib<stem>.so} and {@code lib<stem>.so.<version>} in {@code
   * LD_LIBRARY_PATH} and the usual system folders, in search order; within a folder the shortest
   * name first (the soname, e.g. {@code .so.406}, before the full version it links to).
   */
  static List<String> find(String stem) {
    Set<String> dirs = new LinkedHashSet<>();
    String ld = System.getenv("LD_LIBRARY_PATH");
    if (ld != null) {
      for (String d : ld.split(File.pathSeparator)) {
        if (!d.isEmpty()) {
          dirs.add(d);
        }
      }
    }
    dirs.addAll(List.of(SYSTEM_DIRS));
    List<String> out = new ArrayList<>();
    String prefix = "lib" + stem + ".so";
    for (String d : dirs) {
      Path dir = Path.of(d);
      if (!Files.isDirectory(dir)) {
        continue;
      }
      List<String> here = new ArrayList<>();
      try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, prefix + "*")) {
        for (Path p : s) {
          String n = p.getFileName().toString();
          if (n.equals(prefix) || n.startsWith(prefix + ".")) {
            here.add(p.toString());
          }
        }
      } catch (IOException | RuntimeException e) {
        continue; // unreadable folder: not ours to judge
      }
      here.sort(Comparator.comparingInt(String::length).thenComparing(Comparator.naturalOrder()));
      out.addAll(here);
    }
    return out;
  }
}
