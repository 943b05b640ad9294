package io.imgclass.cli;

import io.imgclass.core.image.ColorMode;
import io.imgclass.core.image.Encoding;
import io.imgclass.core.pack.ListFiles;
import io.imgclass.core.pack.PackConfig;
import io.imgclass.core.pack.PackResult;
import io.imgclass.core.pack.Packer;
import io.imgclass.core.pack.ProgressListener;
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

/** {@code imgclass pack-recordio}: im2rec.py's conversion of .lst files to .rec + .idx. */
@Command(
    name = "pack-recordio",
    sortOptions = false,
    usageHelpAutoWidth = true,
    mixinStandardHelpOptions = true,
    description = {
      "Pack images into MXNet RecordIO as im2rec.py does: every PREFIX*.lst (or the one .lst"
          + " given) becomes .rec + .idx beside it, records in list order.",
      "Bad images are skipped into <list>.bad.tsv (path, reason); more than --max-bad of them"
          + " fails the run and no .rec is published."
    })
public final class PackRecordioCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "PREFIX_OR_LST", description = "A .lst file, or a prefix: every PREFIX*.lst is packed.")
  Path prefix;

  @Parameters(index = "1", paramLabel = "ROOT", description = "Image root; list paths are relative to it.")
  Path root;

  @Option(names = "--resize", paramLabel = "N", defaultValue = "0", description = "Scale the shorter side to N (the longer to floor(long*N/short)), bilinear as OpenCV; 0 keeps the size.")
  int resize;

  @Option(names = "--center-crop", description = "Crop the centre square before resizing.")
  boolean centerCrop;

  @Option(names = "--quality", paramLabel = "Q", defaultValue = "95", description = "JPEG quality 1-100, or PNG compression 0-9 (above 9 means 3, as im2rec.cc) (default: ${DEFAULT-VALUE}).")
  int quality;

  @Option(names = "--encoding", paramLabel = "EXT", defaultValue = ".jpg", description = ".jpg or .png (default: ${DEFAULT-VALUE}).")
  String encoding;

  @Option(names = "--color", paramLabel = "C", defaultValue = "1", description = "1 colour (alpha dropped), 0 grey, -1 the file's own channels (default: ${DEFAULT-VALUE}).")
  int color;

  @Option(names = "--pass-through", description = "Store the image files unchanged (no decode, resize or re-encode).")
  boolean passThrough;

  @Option(names = "--pack-label", description = "Store all labels of multi-label lines after the header (flag = label count).")
  boolean packLabel;

  @Option(names = "--num-thread", paramLabel = "N", defaultValue = "1", description = "Threads decoding and encoding; output order is list order regardless (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--max-bad", paramLabel = "N", defaultValue = "0", description = "Bad images tolerated per list before the run fails (default: ${DEFAULT-VALUE}).")
  long maxBad;

  @Option(names = {"-q", "--quiet"}, description = "No progress bar and no summary (the bar is shown only on a terminal anyway).")
  boolean quiet;

  @Override
  public Integer call() throws Exception {
    PackConfig cfg = packConfig();
    return packLists(cfg);
  }

  /** The per-image options shared by every input kind. */
  PackConfig packConfig() {
    Encoding enc;
    ColorMode mode;
    try {
      enc = Encoding.parse(encoding);
      mode = ColorMode.ofFlag(color);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    return PackConfig.builder(root.toAbsolutePath().normalize())
        .optResize(resize).optCenterCrop(centerCrop).optQuality(quality).optEncoding(enc)
        .optColor(mode).optPassThrough(passThrough).optPackLabel(packLabel)
        .optThreads(threads).optMaxBad(maxBad).build();
  }

  /** im2rec's mode: every PREFIX*.lst, or one .lst. */
  int packLists(PackConfig cfg) throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    List<Path> lists = ListFiles.resolve(prefix);
    boolean bar = !quiet && System.console() != null;
    for (Path lst : lists) {
      ProgressListener pl = bar ? new ProgressBar(spec.commandLine().getErr(), lst.getFileName().toString()) : ProgressListener.NONE;
      PackResult r = new Packer(cfg, pl).pack(lst);
      if (!quiet) {
        out.println(summary(r));
      }
    }
    return ExitCodes.OK;
  }

  static String summary(PackResult r) {
    return String.format(Locale.ROOT, "%s -> %s: %d records, %d bad%s, %.1f MB in %.2f s (%.0f img/s)",
        r.lst().getFileName(), r.rec().getFileName(), r.records(), r.bad(),
        r.badReport() == null ? "" : " (see " + r.badReport().getFileName() + ")",
        r.recBytes() / 1e6, r.seconds(), r.imagesPerSecond());
  }
}
