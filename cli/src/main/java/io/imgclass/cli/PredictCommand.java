package io.imgclass.cli;

import io.imgclass.core.UsageException;
import io.imgclass.core.infer.BatchPrediction;
import io.imgclass.core.infer.Preprocessing;
import io.imgclass.core.model.Classifier;
import io.imgclass.core.model.NetworkRunner;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code imgclass predict}: class probabilities for image files, as SageMaker's endpoint returns
 * them, with the endpoint's preprocessing (stretch to image_shape) or validation's (centre crop).
 */
@Command(
    name = "predict",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Predict class probabilities for images with a model.tar.gz (ours or SageMaker's).",
      "By default images are resized to the model's image_shape without keeping the aspect ratio"
          + " (bilinear, as OpenCV/MXNet imresize), exactly as SageMaker's endpoint does;"
          + " --preprocess center-crop [--resize N] uses the validation preprocessing instead."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:every image predicted", "1:some image could not be used (the rest are predicted) or the model is invalid",
        "2:invalid options"})
public final class PredictCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @picocli.CommandLine.Mixin EngineOptions engineOptions;

  @Option(names = "--model", required = true, paramLabel = "MODEL", description = "model.tar.gz, a folder with its files, or an .onnx that 'imgclass export' wrote (with --engine onnxruntime).")
  Path model;

  @Parameters(arity = "1..*", paramLabel = "INPUT",
      description = "Image files, folders (searched recursively, sorted) or .lst files (paths under --root).")
  List<Path> inputs;

  @Option(names = "--root", paramLabel = "DIR",
      description = "Folder the paths of a .lst input are relative to (default: the .lst's folder).")
  Path root;

  @Option(names = "--preprocess", paramLabel = "KIND", defaultValue = "stretch",
      description = "stretch (default: resize to image_shape, no crop, as SageMaker's endpoint) or center-crop"
          + " (shorter side to --resize, then a centre crop, as training's validation).")
  String preprocess;

  @Option(names = "--resize", paramLabel = "N", defaultValue = "0",
      description = "With --preprocess center-crop: resize the shorter side to N first (default 0: no resize).")
  int resize;

  @Option(names = "--accept", paramLabel = "TYPE", defaultValue = "application/json",
      description = "application/json (default: one bare array per image) or application/jsonlines.")
  String accept;

  @Option(names = "--top-k", paramLabel = "K", defaultValue = "0",
      description = "With application/jsonlines: add the K most probable classes (names from the class map).")
  int topK;

  @Option(names = "--batch-size", paramLabel = "N", defaultValue = "32", description = "Images per forward pass (default 32).")
  int batchSize;

  @Option(names = "--threads", paramLabel = "N", defaultValue = "2",
      description = "Image decoding threads (default 2).")
  int threads;

  @Option(names = "--output", paramLabel = "FILE", description = "Write predictions here instead of stdout.")
  Path output;

  @Option(names = "--timing", description = "Print a timing summary line on stderr (end to end and the"
      + " network's steady state, model loading excluded and reported separately).")
  boolean timing;

  @Option(names = "--mode", paramLabel = "MODE", defaultValue = "symbol",
      description = "symbol (MXNet cached graph, default) or blocks (DJL imperative ops).")
  String mode;

  @picocli.CommandLine.Mixin MaxPixelsOption maxPixels;

  @Override
  public Integer call() throws IOException {
    maxPixels.apply();
    BatchPrediction.Accept acc = BatchPrediction.Accept.parse(accept);
    if (topK < 0 || (topK > 0 && acc != BatchPrediction.Accept.JSONLINES)) {
      throw new UsageException("--top-k needs --accept application/jsonlines and K >= 1");
    }
    if (batchSize <= 0) {
      throw new UsageException("--batch-size must be > 0, got " + batchSize);
    }
    NetworkRunner.Mode m;
    try {
      m = NetworkRunner.Mode.parse(mode);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--mode must be symbol or blocks, got '" + mode + "'");
    }
    if (threads <= 0) {
      throw new UsageException("--threads must be > 0, got " + threads);
    }
    Preprocessing.Kind kind = Preprocessing.Kind.parse(preprocess);
    if (resize != 0 && kind != Preprocessing.Kind.CENTER_CROP) {
      throw new UsageException("--resize only applies to --preprocess center-crop");
    }
    List<Path> files = BatchPrediction.expand(inputs, root);
    PrintWriter err = spec.commandLine().getErr();
    BatchPrediction.Summary s;
    long t0 = System.nanoTime();
    try (Classifier c = Classifier.load(model, null, engineOptions.toRunOptions(m))) {
      long loadNanos = System.nanoTime() - t0;
      Preprocessing pre = new Preprocessing(kind, resize, c.imageShape());
      BatchPrediction.Options opt = new BatchPrediction.Options(acc, topK, batchSize, pre, threads);
      if (output == null) {
        s = BatchPrediction.run(c, files, opt, spec.commandLine().getOut(), err);
      } else {
        Path abs = output.toAbsolutePath();
        Path tmp = abs.resolveSibling("." + abs.getFileName() + ".tmp");
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(tmp, StandardCharsets.UTF_8))) {
          s = BatchPrediction.run(c, files, opt, w, err);
        }
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      }
      if (timing) {
        err.println(s.timing() + String.format(java.util.Locale.ROOT, "; model load %.3f s", loadNanos / 1e9));
        err.flush();
      }
    }
    if (s.failed() > 0) {
      err.println("imgclass predict: " + s.failed() + " of " + files.size() + " images could not be used; "
          + s.predicted() + " predicted");
      err.flush();
      return ExitCodes.FAILURE;
    }
    return ExitCodes.OK;
  }
}
