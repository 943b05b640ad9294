package io.imgclass.core.manifest;

import io.imgclass.core.label.LabelCheck;
import io.imgclass.core.label.LabelFormat;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Reads an augmented manifest line by line, in constant memory, and yields {@link ManifestEntry}
 * records. It is strict: the first line that {@code validate-manifest} would report as an error
 * throws a {@link ManifestException} naming the file, line (and column for bad JSON) and rule. Run
 * {@code validate-manifest} to see every problem at once.
 *
 * <pre>{@code
 * try (ManifestReader r = ManifestReader.open(path, Attributes.DEFAULT, LabelFormat.CLASS_ID, 16)) {
 *   for (ManifestEntry e; (e = r.next()) != null; ) {
 *     train(e.imageRef(), e.label());
 *   }
 * }
 * }</pre>
 */
public final class ManifestReader implements Closeable {
  private final ManifestScanner scanner;
  private final LineChecker checker;
  private final Issue[] first = new Issue[1];
  private final LineChecker.Sink sink;
  private long index;

  private ManifestReader(ManifestScanner scanner, Attributes attributes, LabelFormat format, int numClasses) {
    this.scanner = scanner;
    this.checker = new LineChecker(attributes, format, numClasses);
    this.sink = (rule, column, message) -> {
      if (rule.severity() == Severity.ERROR && first[0] == null) {
        first[0] = new Issue(scanner.lineNumber, column, rule, message);
      }
    };
  }

  /**
   * Opens a manifest.
   *
   * @param numClasses num_classes, or 0 when unknown (range and length checks are then skipped)
   */
  public static ManifestReader open(Path file, Attributes attributes, LabelFormat format, int numClasses)
      throws IOException {
    Objects.requireNonNull(format, "format");
    return new ManifestReader(ManifestScanner.open(file, attributes), attributes, format, numClasses);
  }

  /** The next entry, or null at the end of the file. */
  public ManifestEntry next() throws IOException {
    if (!scanner.next()) {
      return null;
    }
    first[0] = null;
    checker.check(scanner, sink);
    if (first[0] != null) {
      throw new ManifestException(scanner.file(), first[0]);
    }
    return new ManifestEntry(scanner.lineNumber, index++, scanner.refString(),
        LabelCheck.toLabel(scanner.labelValue, checker.format()), scanner.lineText());
  }

  @Override
  public void close() throws IOException {
    scanner.close();
  }
}
