package io.imgclass.core.train;

import io.imgclass.core.UsageException;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Keeps two runs' artifacts from mixing in one output folder. A new run into a folder that holds
 * another run's model.tar.gz, checkpoints, metrics or resume state is refused (a usage error, exit
 * 2: the command line must change, nothing has run), because the old epoch checkpoints would sit
 * beside the new ones as if one run had written them all; {@code --overwrite} removes those
 * artifacts first (only them: other files in the folder stay). {@code --resume DIR} with {@code -o
 * DIR} continues that run and is not affected.
 */
public final class OutputFolder {
  /** What a training run writes into its output folder (and the temporary names it writes first). */
  private static final Pattern ARTIFACT = Pattern.compile(
      "(model\\.tar\\.gz|metrics\\.json|training-curve\\.png|image-classification-symbol\\.json"
          + "|image-classification-\\d{4,}\\.params|" + Pattern.quote(TrainingJob.STATE_DIR) + ")(\\.partial)?");

  private OutputFolder() {}

  /** The artifacts of an earlier run in {@code output}, sorted by name (empty when none or no folder). */
  public static List<Path> artifacts(Path output) throws IOException {
    List<Path> found = new ArrayList<>();
    if (!Files.isDirectory(output)) {
      return found;
    }
    try (Stream<Path> s = Files.list(output)) {
      s.filter(p -> ARTIFACT.matcher(p.getFileName().toString()).matches()).sorted().forEach(found::add);
    }
    return found;
  }

  /**
   * Checks (and with {@code overwrite} clears) {@code output} before a run.
   *
   * @param resume the folder of the run being resumed, or null
   * @return the artifacts removed (empty unless {@code overwrite} found some)
   * @throws UsageException when another run's artifacts are there and {@code overwrite} is false
   */
  public static List<Path> prepare(Path output, Path resume, boolean overwrite) throws IOException {
    if (resume != null && Files.isDirectory(output) && Files.isDirectory(resume)
        && Files.isSameFile(output, resume)) {
      return List.of(); // continuing the run that is there
    }
    List<Path> found = artifacts(output);
    if (found.isEmpty()) {
      return found;
    }
    if (!overwrite) {
      List<String> names = new ArrayList<>();
      for (Path p : found) {
        names.add(p.getFileName().toString());
      }
      throw new UsageException("-o " + output + " holds another run's artifacts (" + String.join(", ", names)
          + "); its checkpoints would mix with this run's. Choose another folder, add --overwrite to remove them"
          + " first, or continue that run with --resume " + output);
    }
    for (Path p : found) {
      delete(p);
    }
    return found;
  }

  private static void delete(Path p) throws IOException {
    if (!Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      Files.deleteIfExists(p);
      return;
    }
    Files.walkFileTree(p, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
        if (e != null) {
          throw e;
        }
        Files.delete(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
