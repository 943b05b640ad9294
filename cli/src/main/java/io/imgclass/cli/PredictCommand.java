package io.imgclass.cli;

import io.imgclass.core.UsageException;
import io.imgclass.core.infer.BatchPrediction;
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
 * them. For now images must already be at the model's image_shape (javax.imageio decoding, no
 * resize); the shared image path will replace that.
 */
@Command(
    name = "predict",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Predict class probabilities for images with a model.tar.gz (ours or SageMaker's).",
      "Images must currently be exactly the model's image_shape (no resizing yet)."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:every image predicted", "1:some image could not be used (the rest are predicted) or the model is invalid",
        "2:invalid options"})
public final class PredictCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "MODEL", description = "model.tar.gz or a folder with its files.")
  Path model;

  @Parameters(arity = "1..*", paramLabel = "INPUT", description = "Image files or folders (searched recursively).")
  List<Path> inputs;

  @Option(names = "--accept", paramLabel = "TYPE", defaultValue = "application/json",
      description = "application/json (default: one bare array per image) or application/jsonlines.")
  String accept;

  @Option(names = "--top-k", paramLabel = "K", defaultValue = "0",
      description = "With application/jsonlines: add the K most probable classes (names from the class map).")
  int topK;

  @Option(names = "--batch-size", paramLabel = "N", defaultValue = "32", description = "Images per forward pass (default 32).")
  int batchSize;

  @Option(names = "--output", paramLabel = "FILE", description = "Write predictions here instead of stdout.")
  Path output;

  @Option(names = "--mode", paramLabel = "MODE", defaultValue = "symbol",
      description = "symbol (MXNet cached graph, default) or blocks (DJL imperative ops).")
  String mode;

  @Override
  public Integer call() throws IOException {
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
    List<Path> files = BatchPrediction.expand(inputs);
    PrintWriter err = spec.commandLine().getErr();
    BatchPrediction.Summary s;
    try (Classifier c = Classifier.load(model, null, m)) {
      BatchPrediction.Options opt = new BatchPrediction.Options(acc, topK, batchSize);
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
