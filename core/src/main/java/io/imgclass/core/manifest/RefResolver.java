package io.imgclass.core.manifest;

import io.imgclass.core.UsageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Turns image references into local files: {@code s3://bucket/prefix/…} through {@code
 * --s3-prefix-map s3://bucket/prefix=DIR} (the longest matching prefix wins), anything else as a
 * path relative to {@code --image-root}. A reference whose file would lie outside its root
 * directory, by {@code ..}, an absolute path or a symbolic link, is refused.
 */
public final class RefResolver {
  /** One {@code s3://bucket/prefix=DIR} mapping; the prefix always ends in '/'. */
  public record PrefixMapping(String prefix, Path dir) {
    /** Parses {@code s3://bucket/prefix=DIR}. */
    public static PrefixMapping parse(String spec) {
      int eq = spec.lastIndexOf('=');
      if (!spec.startsWith("s3://") || eq < 0) {
        throw new UsageException("--s3-prefix-map wants s3://bucket/prefix=DIR, got '" + spec + "'");
      }
      String prefix = spec.substring(0, eq);
      String dir = spec.substring(eq + 1);
      if (prefix.length() <= "s3://".length() || dir.isEmpty()) {
        throw new UsageException("--s3-prefix-map wants s3://bucket/prefix=DIR, got '" + spec + "'");
      }
      if (!prefix.endsWith("/")) {
        prefix = prefix + "/";
      }
      return new PrefixMapping(prefix, Path.of(dir).toAbsolutePath().normalize());
    }
  }

  /** Where a reference leads: a file, or the rule it breaks and why. */
  public record Resolution(Path file, Rule problem, String message) {
    static Resolution ok(Path p) {
      return new Resolution(p, null, null);
    }

    static Resolution fail(Rule r, String m) {
      return new Resolution(null, r, m);
    }

    /** True when {@link #file()} is set. */
    public boolean ok() {
      return problem == null;
    }
  }

  private final Path imageRoot;
  private final List<PrefixMapping> mappings;

  /**
   * A resolver; {@code imageRoot} may be null.
   *
   * @throws UsageException if a root is not a directory
   */
  public RefResolver(Path imageRoot, List<PrefixMapping> mappings) {
    this.imageRoot = imageRoot == null ? null : imageRoot.toAbsolutePath().normalize();
    List<PrefixMapping> sorted = new ArrayList<>(mappings);
    // Longest prefix first, so s3://b/train/ wins over s3://b/ for s3://b/train/x.jpg.
    sorted.sort(Comparator.comparingInt((PrefixMapping m) -> m.prefix().length()).reversed());
    this.mappings = List.copyOf(sorted);
    if (this.imageRoot != null && !Files.isDirectory(this.imageRoot)) {
      throw new UsageException("--image-root " + imageRoot + " is not a directory");
    }
    for (PrefixMapping m : this.mappings) {
      if (!Files.isDirectory(m.dir())) {
        throw new UsageException("--s3-prefix-map directory " + m.dir() + " is not a directory");
      }
    }
  }

  /** Whether any root was given (otherwise refs are not resolved to files at all). */
  public boolean active() {
    return imageRoot != null || !mappings.isEmpty();
  }

  /** Resolves one reference to an existing, readable regular file inside its root. */
  public Resolution resolve(String ref) {
    Path root;
    String rest;
    if (ref.startsWith("s3://")) {
      PrefixMapping hit = null;
      for (PrefixMapping m : mappings) {
        if (ref.startsWith(m.prefix())) {
          hit = m;
          break;
        }
      }
      if (hit == null) {
        return Resolution.fail(Rule.REF_UNMAPPED, "no --s3-prefix-map covers '" + LineChecker.abbreviate(ref) + "'");
      }
      root = hit.dir();
      rest = ref.substring(hit.prefix().length());
    } else {
      if (imageRoot == null) {
        return Resolution.fail(Rule.REF_UNMAPPED,
            "'" + LineChecker.abbreviate(ref) + "' is not an s3:// URI and no --image-root is given");
      }
      root = imageRoot;
      rest = ref;
    }
    Path p;
    try {
      Path rel = Path.of(rest);
      if (rel.isAbsolute()) {
        return Resolution.fail(Rule.REF_ESCAPES_ROOT, "'" + LineChecker.abbreviate(ref) + "' is an absolute path");
      }
      p = root.resolve(rel).normalize();
    } catch (InvalidPathException e) {
      return Resolution.fail(Rule.MISSING_FILE, "'" + LineChecker.abbreviate(ref) + "' is not a valid path: " + e.getReason());
    }
    if (!p.startsWith(root) || p.equals(root)) {
      return Resolution.fail(Rule.REF_ESCAPES_ROOT, "'" + LineChecker.abbreviate(ref) + "' resolves to " + p + ", outside " + root);
    }
    String notAFile = io.imgclass.core.image.ImageFiles.problem(p);
    if (notAFile != null && !notAFile.equals("no such file")) {
      return Resolution.fail(Rule.MISSING_FILE, p + " " + (notAFile.startsWith("is") ? "" : "has a problem: ") + notAFile
          + " (for '" + LineChecker.abbreviate(ref) + "')");
    }
    if (notAFile != null || !Files.isReadable(p)) {
      return Resolution.fail(Rule.MISSING_FILE, "no readable file " + p + " for '" + LineChecker.abbreviate(ref) + "'");
    }
    if (Files.isSymbolicLink(p) || hasLinkBelow(root, p)) {
      try {
        Path real = p.toRealPath();
        if (!real.startsWith(root.toRealPath())) {
          return Resolution.fail(Rule.REF_ESCAPES_ROOT,
              "'" + LineChecker.abbreviate(ref) + "' leads through a symbolic link to " + real + ", outside " + root);
        }
      } catch (IOException e) {
        return Resolution.fail(Rule.MISSING_FILE, "cannot resolve " + p + ": " + e.getMessage());
      }
    }
    return Resolution.ok(p);
  }

  private static boolean hasLinkBelow(Path root, Path p) {
    for (Path q = p.getParent(); q != null && q.startsWith(root) && !q.equals(root); q = q.getParent()) {
      if (Files.isSymbolicLink(q)) {
        return true;
      }
    }
    return false;
  }

}
