package io.imgclass.cli;

import io.imgclass.core.lst.ListMaker;
import io.imgclass.core.lst.MakeListConfig;
import io.imgclass.core.lst.MakeListResult;
import io.imgclass.core.lst.PyRandom;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code imgclass make-lst}: im2rec.py {@code --list}, byte-identical, plus a class map. */
@Command(
    name = "make-lst",
    sortOptions = false,
    usageHelpAutoWidth = true,
    mixinStandardHelpOptions = true,
    description = {
      "Write im2rec .lst image lists for the images under ROOT (same order, labels, splits and"
          + " file names as MXNet's im2rec.py --list), plus PREFIX-classes.json (label -> folder).",
      "Lines: index<TAB>label...<TAB>relative/path, labels written with %%f as MXNet 1.x does."
    })
public final class MakeLstCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "PREFIX", description = "Output prefix: PREFIX.lst, PREFIX_train.lst, ...")
  Path prefix;

  @Parameters(index = "1", paramLabel = "ROOT", description = "Image root folder.")
  Path root;

  @Option(names = "--recursive", description = "One label per folder, walking sub-folders (sorted, pre-order). Without it only files directly in ROOT are listed, all with label 0.")
  boolean recursive;

  @Option(names = "--exts", arity = "1..*", paramLabel = "EXT", description = "Extensions to list, lower case with the dot (default: ${DEFAULT-VALUE}).", defaultValue = ".jpeg .jpg .png", split = " ")
  List<String> exts;

  @Option(names = "--chunks", paramLabel = "N", defaultValue = "1", description = "Split the list into N chunks: PREFIX_0.lst ... (default: ${DEFAULT-VALUE}).")
  int chunks;

  @Option(names = "--train-ratio", paramLabel = "R", defaultValue = "1.0", description = "Fraction for PREFIX_train.lst; 1.0 writes PREFIX.lst only (default: ${DEFAULT-VALUE}).")
  double trainRatio;

  @Option(names = "--test-ratio", paramLabel = "R", defaultValue = "0", description = "Fraction for PREFIX_test.lst (default: ${DEFAULT-VALUE}).")
  double testRatio;

  @Option(names = "--no-shuffle", description = "Keep traversal order (im2rec shuffles by default).")
  boolean noShuffle;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "" + PyRandom.IM2REC_SEED, description = "Shuffle seed, with CPython's random.shuffle algorithm. The default, ${DEFAULT-VALUE}, is the seed im2rec.py hard-codes, so lists equal im2rec's byte for byte.")
  long seed;

  @Option(names = "--labels-csv", paramLabel = "FILE", description = "Multi-label lists: CSV rows 'relpath,tag1;tag2' (names or ids -> multi-hot) or 'relpath,v1,...,vk' (written as is). Images without a row are left out and counted.")
  Path labelsCsv;

  @Option(names = {"-q", "--quiet"}, description = "Print nothing on success.")
  boolean quiet;

  @Option(names = "--allow-empty", description = "Write empty lists when ROOT holds no image to list (without it that is an error, exit 1, and nothing is written).")
  boolean allowEmpty;

  @Override
  public Integer call() throws Exception {
    List<String> lower = exts.stream().map(e -> e.toLowerCase(Locale.ROOT)).toList();
    MakeListConfig cfg = new MakeListConfig(prefix, root, recursive, lower, chunks, trainRatio, testRatio, !noShuffle, seed, labelsCsv);
    MakeListResult r = new ListMaker(cfg).allowEmpty(allowEmpty).run();
    if (!quiet) {
      print(spec.commandLine().getOut(), r);
    }
    if (r.withoutCsvRow() > 0 || !r.csvRowsWithoutImage().isEmpty()) {
      PrintWriter err = spec.commandLine().getErr();
      if (r.withoutCsvRow() > 0) {
        err.println("make-lst: " + r.withoutCsvRow() + " image(s) under " + root + " have no row in " + labelsCsv + " and were not listed");
      }
      if (!r.csvRowsWithoutImage().isEmpty()) {
        err.println("make-lst: " + r.csvRowsWithoutImage().size() + " row(s) of " + labelsCsv + " name images not found under " + root + ", e.g. " + r.csvRowsWithoutImage().get(0));
      }
    }
    return ExitCodes.OK;
  }

  private static void print(PrintWriter out, MakeListResult r) {
    for (MakeListResult.ListFile f : r.files()) {
      out.println("wrote " + f.path() + " (" + f.images() + " images)");
    }
    out.println("wrote " + r.classMap() + " (" + r.classes().size() + " classes)");
    StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%5s  %7s", "label", "images"));
    for (MakeListResult.ListFile f : r.files()) {
      head.append(String.format(Locale.ROOT, "  %7s", column(f)));
    }
    out.println(head.append("  class"));
    for (MakeListResult.ClassInfo c : r.classes()) {
      StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%5d  %7d", c.label(), c.images()));
      for (MakeListResult.ListFile f : r.files()) {
        row.append(String.format(Locale.ROOT, "  %7d", f.perClass()[c.label()]));
      }
      out.println(row.append("  ").append(c.name()));
    }
    out.println(r.images() + " images listed");
  }

  private static String column(MakeListResult.ListFile f) {
    String name = f.path().getFileName().toString();
    return f.split().equals("all") ? (name.length() > 7 ? "list" : name.replace(".lst", "")) : f.split() + (name.matches(".*_\\d+_[a-z]+\\.lst") ? f.chunk() : "");
  }
}
