package io.imgclass.core.lst;

import io.imgclass.core.ImgclassException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/** Resolves image paths from lists and manifests against an image root, refusing escapes. */
public final class ImageRoot {
  private ImageRoot() {}

  /**
   * {@code root/relpath}, normalised. Absolute paths and paths that climb out of the root with
   * {@code ..} are refused: a list or manifest must not read files elsewhere on the machine.
   *
   * @param where the file and line, for the message
   */
  public static Path resolve(Path root, String relpath, String where) {
    Path p;
    try {
      p = Path.of(relpath);
    } catch (InvalidPathException e) {
      throw new ImgclassException(where + ": invalid path '" + relpath + "'");
    }
    Path norm = p.normalize();
    if (p.isAbsolute() || norm.startsWith("..") || norm.toString().isEmpty()) {
      throw new ImgclassException(
          where + ": path '" + relpath + "' is outside the image root (absolute or '..' paths are refused)");
    }
    return root.resolve(norm);
  }
}
