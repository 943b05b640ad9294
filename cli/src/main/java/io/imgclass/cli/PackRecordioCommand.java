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

  @Parameters(index = "0", arity = "0..1", paramLabel = "PREFIX_OR_LST", description = "A .lst file, or a prefix: every PREFIX*.lst is packed.")
  Path prefix;

  @Parameters(index = "1", arity = "0..1", paramLabel = "ROOT", description = "Image root; list paths are relative to it.")
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

  @Option(names = "--scaled-decode", description = "With --resize N: decode JPEGs at least twice N at 1/2, 1/4 or 1/8 size"
      + " (the smallest not below N), then resize as usual. Much faster on large photos; not byte-identical to im2rec.")
  boolean scaledDecode;

  @Option(names = "--max-bad", paramLabel = "N", defaultValue = "0", description = "Bad images tolerated per list before the run fails (default: ${DEFAULT-VALUE}).")
  long maxBad;

  @Option(names = "--allow-empty", description = "Pack an empty .lst into an empty .rec and .idx (without it an empty list is an error, exit 1).")
  boolean allowEmpty;

  @Option(names = {"-q", "--quiet"}, description = "No progress bar and no summary (the bar is shown only on a terminal anyway).")
  boolean quiet;

  @Option(names = "--manifest", paramLabel = "MANIFEST.jsonl",
      description = "Pack an augmented manifest instead of lists: per line the image record, then the label's"
          + " text record (SageMaker's Pipe-mode stream); with --image-records, im2rec image records.")
  Path manifest;

  @Option(names = "--out", paramLabel = "PREFIX", description = "With --manifest: write PREFIX.rec and PREFIX.idx.")
  Path out;

  @Option(names = "--attribute-names", paramLabel = "IMAGE,LABEL",
      description = "With --manifest: the image and label attributes, image first (default: source-ref,class).")
  String attributeNames;

  @Option(names = "--label-format", paramLabel = "FORMAT",
      description = "With --manifest: single, class-id, multi-hot, or auto (default: auto, reported).")
  String labelFormat;

  @Option(names = "--num-classes", paramLabel = "N", defaultValue = "0",
      description = "With --manifest: num_classes (checks label ranges; needed for multi-label --image-records).")
  int numClasses;

  @Option(names = "--image-root", paramLabel = "DIR", description = "With --manifest: folder for refs that are not s3:// URIs.")
  Path imageRoot;

  @Option(names = "--s3-prefix-map", paramLabel = "s3://BUCKET/PREFIX=DIR",
      description = "With --manifest: read s3:// refs under a prefix from a local folder (repeatable).")
  List<String> s3PrefixMaps = new java.util.ArrayList<>();

  @Option(names = "--image-records", description = "With --manifest: im2rec image records (IRHeader + image, labels packed)"
      + " instead of the Pipe-mode image/label record pairs.")
  boolean imageRecords;

  @picocli.CommandLine.Mixin MaxPixelsOption maxPixels;

  @Override
  public Integer call() throws Exception {
    maxPixels.apply();
    if (manifest != null) {
      return packManifest();
    }
    if (prefix == null || root == null) {
      throw new io.imgclass.core.UsageException("PREFIX_OR_LST and ROOT are required (or --manifest with --out)");
    }
    if (out != null || imageRecords || attributeNames != null || labelFormat != null || imageRoot != null
        || !s3PrefixMaps.isEmpty()) {
      throw new io.imgclass.core.UsageException(
          "--out, --image-records, --attribute-names, --label-format, --image-root and --s3-prefix-map need --manifest");
    }
    PackConfig cfg = packConfig();
    return packLists(cfg);
  }

  /** Manifest mode: SageMaker's augmented manifest to RecordIO. */
  int packManifest() throws Exception {
    if (prefix != null || root != null) {
      throw new io.imgclass.core.UsageException("--manifest takes no PREFIX_OR_LST/ROOT; use --out PREFIX and --image-root DIR");
    }
    if (out == null) {
      throw new io.imgclass.core.UsageException("--manifest needs --out PREFIX");
    }
    io.imgclass.core.manifest.ManifestPacker.Builder b = io.imgclass.core.manifest.ManifestPacker.Config.builder(manifest, out)
        .optNumClasses(numClasses)
        .optLayout(imageRecords ? io.imgclass.core.manifest.ManifestPacker.Layout.IMAGE_RECORDS
            : io.imgclass.core.manifest.ManifestPacker.Layout.PIPE);
    if (attributeNames != null) {
      b.optAttributes(io.imgclass.core.manifest.Attributes.parse(List.of(attributeNames.split(",", -1))));
    }
    if (labelFormat != null && !labelFormat.equals("auto")) {
      b.optLabelFormat(io.imgclass.core.label.LabelFormat.parse(labelFormat));
    }
    if (imageRoot != null) {
      b.optImageRoot(imageRoot);
    }
    for (String m : s3PrefixMaps) {
      b.addPrefixMap(io.imgclass.core.manifest.RefResolver.PrefixMapping.parse(m));
    }
    io.imgclass.core.manifest.ManifestPacker.Result r = io.imgclass.core.manifest.ManifestPacker.pack(b.build());
    if (!quiet) {
      PrintWriter w = spec.commandLine().getOut();
      w.printf(Locale.ROOT, "%s -> %s: %d lines, %d records, %.1f MB, label format %s%s%n", manifest.getFileName(),
          r.rec().getFileName(), r.entries(), r.records(), r.bytes() / 1e6,
          r.labelFormat().toString().toLowerCase(Locale.ROOT).replace('_', '-'),
          r.detection() == null ? "" : " (detected: " + r.detection().reason() + ")");
    }
    return ExitCodes.OK;
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
        .optThreads(threads).optMaxBad(maxBad).optScaledDecode(scaledDecode).build();
  }

  /** im2rec's mode: every PREFIX*.lst, or one .lst. */
  int packLists(PackConfig cfg) throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    List<Path> lists = ListFiles.resolve(prefix);
    boolean bar = !quiet && System.console() != null;
    for (Path lst : lists) {
      ProgressListener pl = bar ? new ProgressBar(spec.commandLine().getErr(), lst.getFileName().toString()) : ProgressListener.NONE;
      PackResult r = new Packer(cfg, pl).allowEmpty(allowEmpty).pack(lst);
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
