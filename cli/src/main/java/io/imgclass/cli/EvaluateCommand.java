package io.imgclass.cli;

import io.imgclass.core.UsageException;
import io.imgclass.core.data.LstSource;
import io.imgclass.core.data.RecordIOSource;
import io.imgclass.core.data.SampleSource;
import io.imgclass.core.eval.ConfusionPng;
import io.imgclass.core.eval.EvaluationReport;
import io.imgclass.core.eval.EvaluationResult;
import io.imgclass.core.eval.Evaluator;
import io.imgclass.core.infer.Preprocessing;
import io.imgclass.core.model.Classifier;
import io.imgclass.core.model.NetworkRunner;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code imgclass evaluate}: accuracy, per-class metrics and the confusion matrix of a model on labelled data. */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Evaluate a model.tar.gz on labelled data: a .rec (with its .idx, or --idx) or a .lst with --root.",
      "Reports accuracy, top-k accuracy, per-class precision/recall/F1 and the confusion matrix; for a multi-label"
          + " model per-class precision/recall/F1 at threshold 0.5 and the exact-match ratio.",
      "Images are prepared as training's validation does (--resize N, then a centre crop of image_shape)"
          + " unless --preprocess stretch (SageMaker's endpoint) is given."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:every image evaluated", "1:some image could not be used (reported, the rest evaluated), or"
        + " the model or data is invalid", "2:invalid options"})
public final class EvaluateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @picocli.CommandLine.Mixin EngineOptions engineOptions;

  @Option(names = "--model", required = true, paramLabel = "MODEL", description = "model.tar.gz, a folder with its files, or an .onnx that 'imgclass export' wrote (with --engine onnxruntime).")
  Path model;

  @Parameters(index = "0", paramLabel = "DATA", description = "A .rec file, or a .lst file (with --root).")
  Path data;

  @Option(names = "--idx", paramLabel = "FILE", description = "The .rec's index (default: DATA with .idx, if present).")
  Path idx;

  @Option(names = "--root", paramLabel = "DIR", description = "Image folder of a .lst (default: the .lst's folder).")
  Path root;

  @Option(names = "--preprocess", paramLabel = "KIND", defaultValue = "center-crop",
      description = "center-crop (default, training's validation) or stretch (SageMaker's endpoint).")
  String preprocess;

  @Option(names = "--resize", paramLabel = "N", defaultValue = "0",
      description = "With center-crop: resize the shorter side to N first (default 0: none), like training's resize.")
  int resize;

  @Option(names = "--top-k", paramLabel = "K", defaultValue = "5",
      description = "Also report top-K accuracy (default 5; 1 turns it off; single-label only).")
  int topK;

  @Option(names = "--format", paramLabel = "FMT", defaultValue = "text", description = "text (default) or json.")
  String format;

  @Option(names = "--output", paramLabel = "FILE", description = "Write the report here instead of stdout.")
  Path output;

  @Option(names = "--confusion-png", paramLabel = "FILE", description = "Also draw the confusion matrix as a PNG heat map.")
  Path confusionPng;

  @Option(names = "--batch-size", paramLabel = "N", defaultValue = "32", description = "Images per forward pass (default 32).")
  int batchSize;

  @Option(names = "--threads", paramLabel = "N", defaultValue = "2", description = "Image decoding threads (default 2).")
  int threads;

  @picocli.CommandLine.Mixin MaxPixelsOption maxPixels;

  @Override
  public Integer call() throws IOException {
    maxPixels.apply();
    String fmt = format.strip().toLowerCase(Locale.ROOT);
    if (!fmt.equals("text") && !fmt.equals("json")) {
      throw new UsageException("--format must be text or json, got '" + format + "'");
    }
    if (batchSize <= 0 || threads <= 0 || topK < 1) {
      throw new UsageException("--batch-size, --threads and --top-k must be >= 1");
    }
    Preprocessing.Kind kind = Preprocessing.Kind.parse(preprocess);
    if (resize != 0 && kind != Preprocessing.Kind.CENTER_CROP) {
      throw new UsageException("--resize only applies to --preprocess center-crop");
    }
    String name = data.getFileName() == null ? "" : data.getFileName().toString().toLowerCase(Locale.ROOT);
    boolean lst = name.endsWith(".lst");
    if (lst && idx != null) {
      throw new UsageException("--idx goes with a .rec, not a .lst");
    }
    if (!lst && root != null) {
      throw new UsageException("--root goes with a .lst, not a .rec");
    }
    if (!lst && !name.endsWith(".rec")) {
      throw new UsageException("DATA must be a .rec or a .lst file, got " + data);
    }
    SampleSource source = lst ? LstSource.open(data, root != null ? root : data.toAbsolutePath().getParent())
        : RecordIOSource.open(data, idx);
    PrintWriter err = spec.commandLine().getErr();
    EvaluationResult r;
    try (Classifier c = Classifier.load(model, null, engineOptions.toRunOptions(NetworkRunner.DEFAULT_MODE))) {
      if (confusionPng != null && c.multiLabel()) {
        throw new UsageException("--confusion-png needs a single-label model; this one is multi-label");
      }
      Preprocessing pre = new Preprocessing(kind, resize, c.imageShape());
      r = Evaluator.run(c, source, new Evaluator.Options(pre, topK, batchSize, threads), line -> {
        err.println(line);
        err.flush();
      });
    }
    if (confusionPng != null) {
      ConfusionPng.write(r, confusionPng);
    }
    String report = fmt.equals("json") ? EvaluationReport.json(r) : EvaluationReport.text(r);
    if (output == null) {
      spec.commandLine().getOut().print(report);
      spec.commandLine().getOut().flush();
    } else {
      Path abs = output.toAbsolutePath();
      Path tmp = abs.resolveSibling("." + abs.getFileName() + ".tmp");
      Files.writeString(tmp, report, StandardCharsets.UTF_8);
      Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
    if (r.skipped() > 0) {
      err.println("imgclass evaluate: " + r.skipped() + " of " + (r.skipped() + r.evaluated())
          + " images could not be used; " + r.evaluated() + " evaluated");
      err.flush();
      return ExitCodes.FAILURE;
    }
    return ExitCodes.OK;
  }
}
