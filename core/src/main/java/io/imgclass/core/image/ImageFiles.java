package io.imgclass.core.image;

import io.imgclass.core.ImgclassException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Reads image files only when they are regular files (after following links). Anything else named
 * in a list, manifest or command line is a bad image with its reason, because reading it would hang
 * (a FIFO with no writer, a socket) or never end ({@code /dev/zero}, {@code /dev/urandom}: a device
 * reports size 0 and then yields bytes until the heap is gone), and a directory is not "no such
 * file".
 */
public final class ImageFiles {
  // st_mode file types (POSIX), from the "unix:mode" attribute.
  private static final int S_IFMT = 0170000;
  private static final int S_IFSOCK = 0140000;
  private static final int S_IFBLK = 0060000;
  private static final int S_IFCHR = 0020000;
  private static final int S_IFIFO = 0010000;

  private ImageFiles() {}

  /** An image path that is not a regular file (its message: {@code PATH: REASON}). */
  public static final class NotARegularFile extends ImgclassException {
    private static final long serialVersionUID = 1L;

    private final String reason;

    NotARegularFile(Path file, String reason) {
      super(file + ": " + reason);
      this.reason = reason;
    }

    /** Why, without the path: "is a FIFO", "is a directory", "no such file", ... */
    public String reason() {
      return reason;
    }
  }

  /**
   * Why {@code file} cannot be read as an image: null for a regular file (following links), else
   * "no such file", "is a broken symbolic link", "is a directory", "is a FIFO", "is a socket", "is a
   * character device", "is a block device", "is not a regular file", or "permission denied".
   * Looks only at the file's metadata: never opens it.
   */
  public static String problem(Path file) {
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      return Files.isSymbolicLink(file) ? "is a broken symbolic link" : "no such file";
    } catch (AccessDeniedException e) {
      return "permission denied";
    } catch (IOException e) {
      return "cannot read: " + e.getMessage();
    }
    if (a.isRegularFile()) {
      return null;
    }
    if (a.isDirectory()) {
      return "is a directory";
    }
    int mode;
    try {
      mode = (Integer) Files.getAttribute(file, "unix:mode") & S_IFMT;
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return "is not a regular file";
    }
    return switch (mode) {
      case S_IFIFO -> "is a FIFO (named pipe), not a regular file";
      case S_IFSOCK -> "is a socket, not a regular file";
      case S_IFCHR -> "is a character device, not a regular file";
      case S_IFBLK -> "is a block device, not a regular file";
      default -> "is not a regular file";
    };
  }

  /**
   * The bytes of a regular file.
   *
   * @throws NotARegularFile when {@link #problem} finds one (before opening the file)
   */
  public static byte[] read(Path file) throws IOException {
    String problem = problem(file);
    if (problem != null) {
      throw new NotARegularFile(file, problem);
    }
    return Files.readAllBytes(file);
  }
}
