package io.imgclass.cli;

import io.imgclass.core.UsageException;
import io.imgclass.core.model.ImageShape;
import io.imgclass.core.model.Initialization;
import io.imgclass.core.model.ModelArchive;
import io.imgclass.core.model.ModelArtifact;
import io.imgclass.core.model.ModelSummary;
import io.imgclass.core.model.Precision;
import io.imgclass.core.model.ResNet;
import io.imgclass.core.model.ResNetConfig;
import io.imgclass.core.model.SymbolJson;
import io.imgclass.core.model.Graph;
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
import picocli.CommandLine.Spec;

/** {@code imgclass model}: inspect the network SageMaker would build; write its symbol or a fresh artifact. */
@Command(
    name = "model",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Print the ResNet that SageMaker's image-classification algorithm builds for these hyperparameters",
      "(layout, output shape per stage, parameter count); optionally write its symbol JSON or a freshly",
      "initialised model.tar.gz."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:success", "1:an output could not be written", "2:invalid options or combination"})
public final class ModelCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--num-layers", required = true, paramLabel = "N",
      description = "18, 34, 50, 101, 152, 200 (image height > 28) or 20, 32, 44, 56, 110 (height <= 28).")
  int numLayers;

  @Option(names = "--image-shape", required = true, paramLabel = "C,H,W", description = "Input shape, e.g. 3,224,224.")
  String imageShape;

  @Option(names = "--num-classes", required = true, paramLabel = "K", description = "Width of the output layer.")
  int numClasses;

  @Option(names = "--multi-label", description = "Independent per-class sigmoid outputs.")
  boolean multiLabel;

  @Option(names = "--precision-dtype", paramLabel = "DTYPE", defaultValue = "float32",
      description = "float32 (default) or float16.")
  String precision;

  @Option(names = "--fc-name", paramLabel = "NAME", defaultValue = "fc",
      description = "Name of the last FullyConnected layer: fc (SageMaker's artifacts, default) or fc1 (MXNet's example).")
  String fcName;

  @Option(names = "--symbol-out", paramLabel = "FILE", description = "Write the symbol JSON here.")
  Path symbolOut;

  @Option(names = "--init-out", paramLabel = "FILE", description = "Write a freshly initialised model.tar.gz here (seeded by --seed).")
  Path initOut;

  // The same default as train's --seed, so `model --init-out` and a fresh `train` start alike.
  @Option(names = "--seed", paramLabel = "S", defaultValue = "42",
      description = "Seed of the initialisation for --init-out (Xavier gaussian, factor in, magnitude 2; default: ${DEFAULT-VALUE}, as train).")
  long seed;

  @Option(names = "--mini-batch-size", paramLabel = "N", defaultValue = "32",
      description = "Batch dimension recorded in model-shapes.json (default 32, SageMaker's default).")
  int miniBatchSize;

  @Override
  public Integer call() throws IOException {
    if (initOut == null && spec.commandLine().getParseResult().hasMatchedOption("--seed")) {
      throw new UsageException("--seed is only used with --init-out");
    }
    if (miniBatchSize <= 0) {
      throw new UsageException("--mini-batch-size must be > 0, got " + miniBatchSize);
    }
    ResNetConfig config = new ResNetConfig(numLayers, ImageShape.parse(imageShape), numClasses, multiLabel,
        Precision.parse(precision), fcName);
    PrintWriter out = spec.commandLine().getOut();
    out.print(ModelSummary.of(config).render());
    Graph graph = ResNet.build(config);
    if (symbolOut != null) {
      Path abs = symbolOut.toAbsolutePath();
      Path tmp = abs.resolveSibling("." + abs.getFileName() + ".tmp");
      Files.writeString(tmp, SymbolJson.write(graph), StandardCharsets.UTF_8);
      Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      out.println("wrote " + symbolOut);
    }
    if (initOut != null) {
      ModelArtifact a = new ModelArtifact(graph, Initialization.initialize(graph, config.imageShape(), seed), 0,
          config.imageShape(), miniBatchSize, List.of());
      ModelArchive.write(a, initOut);
      out.println("wrote " + initOut + " (seed " + seed + ")");
    }
    out.flush();
    return ExitCodes.OK;
  }
}
