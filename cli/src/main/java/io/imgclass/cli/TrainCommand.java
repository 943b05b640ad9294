package io.imgclass.cli;

import io.imgclass.core.UsageException;
import io.imgclass.core.model.EngineKind;
import io.imgclass.core.train.Channel;
import io.imgclass.core.train.Hyperparameters;
import io.imgclass.core.train.KvServerNode;
import io.imgclass.core.train.OutputFolder;
import io.imgclass.core.train.TrainRequest;
import io.imgclass.core.train.TrainingHyperparameters;
import io.imgclass.core.train.TrainingJob;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code imgclass train}: SageMaker's Image Classification training job, locally. */
@Command(
    name = "train",
    modelTransformer = HyperparameterOptions.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    mixinStandardHelpOptions = true,
    description = {
      "Train a SageMaker-compatible ResNet and write model.tar.gz, metrics.json and a training curve.",
      "Hyperparameters take SageMaker's names in kebab case (below) or snake case in --hyperparameters FILE;",
      "options win over the file. Log lines match SageMaker's, so existing metric regexes keep working.",
      "With DMLC_ROLE=server or scheduler in the environment the process is that parameter-server node of a",
      "--kv-store dist_sync|dist_async job instead (see docs/distributed.md and `imgclass launch`)."
    })
public final class TrainCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--train", paramLabel = "PATH",
      description = "Train channel: a .rec file, or the image root for --train-lst.")
  Path train;

  @Option(names = "--train-idx", paramLabel = "FILE", description = "The .idx of --train (default: beside it).")
  Path trainIdx;

  @Option(names = "--train-lst", paramLabel = "FILE",
      description = "Train channel as images + list (application/x-image); --resize is then required.")
  Path trainLst;

  @Option(names = "--validation", paramLabel = "PATH",
      description = "Validation channel: a .rec file, or the image root for --validation-lst.")
  Path validation;

  @Option(names = "--validation-lst", paramLabel = "FILE", description = "Validation .lst for --validation.")
  Path validationLst;

  @Option(names = "--train-manifest", paramLabel = "FILE", description = "Train channel as an augmented manifest.")
  Path trainManifest;

  @Option(names = "--validation-manifest", paramLabel = "FILE", description = "Validation augmented manifest.")
  Path validationManifest;

  @Option(names = "--image-root", paramLabel = "DIR", description = "Folder that manifest image refs are relative to.")
  Path imageRoot;

  @Option(names = "--s3-prefix-map", paramLabel = "s3://BUCKET/PREFIX=DIR",
      description = "Map manifest s3:// refs under a prefix to a local folder (repeatable).")
  List<String> s3PrefixMaps = new java.util.ArrayList<>();

  @Option(names = "--attribute-names", split = ",", paramLabel = "IMAGE,LABEL",
      description = "Manifest attributes, image first and label second (default: source-ref,class).")
  List<String> attributeNames = List.of("source-ref", "class");

  @Option(names = "--label-format", paramLabel = "FORMAT",
      description = "Manifest label format: class-id, multi-hot or single (default: single; multi-hot with --multi-label 1).")
  String labelFormat;

  @Option(names = "--model", paramLabel = "MODEL.tar.gz",
      description = "Continue training from an earlier artifact (SageMaker's model channel); "
          + "num_layers, image_shape and num_classes must match.")
  Path model;

  @Option(names = "--pretrained", paramLabel = "ARTIFACT",
      description = "Transfer learning: reuse every layer of this local artifact except the final fc.")
  Path pretrained;

  @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR",
      description = "Where model.tar.gz, metrics.json, training-curve.png and train.log go.")
  Path output;

  @Option(names = "--hyperparameters", paramLabel = "FILE",
      description = "SageMaker's hyperparameters.json (snake_case names, string values).")
  Path hyperparametersFile;

  @Option(names = "--resume", paramLabel = "DIR", description = "Continue an interrupted run from its output folder.")
  Path resume;

  @Option(names = "--overwrite",
      description = "Train into an -o folder that holds another run's artifacts (model.tar.gz, checkpoints, "
          + "metrics, resume state), removing them first; without it that is a usage error (exit 2).")
  boolean overwrite;

  @Option(names = "--seed", defaultValue = "42", paramLabel = "N",
      description = "Seed for initialisation, shuffling and augmentation (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--threads", paramLabel = "N", description = "Data-loading threads (default: the core count).")
  Integer threads;

  @Option(names = "--engine", defaultValue = "mxnet", paramLabel = "ENGINE", converter = EngineOptions.EngineConverter.class,
      description = "Training engine: mxnet (default; CPU) or pytorch (CPU, or GPUs with --gpus), case-insensitive."
          + " Both train the same way and write the same MXNet-format model.tar.gz; either continues the other's run.")
  EngineKind engine;

  @Option(names = "--gpus", defaultValue = "0", paramLabel = "N",
      description = "GPUs to train on, data-parallel (each takes mini_batch_size/N); needs --engine pytorch and the gpu"
          + " build (docs/gpu.md). Default: 0 = CPU.")
  int gpus;

  @Option(names = "--log-interval", defaultValue = "20", paramLabel = "BATCHES",
      description = "Log a Speed line every this many batches (default: ${DEFAULT-VALUE}).")
  int logInterval;

  @Option(names = "--kv-timeout", defaultValue = "300", paramLabel = "SECONDS",
      description = "With --kv-store dist_sync|dist_async: give up with exit code 1 when the cluster makes no "
          + "progress for this long, e.g. a worker died (default: ${DEFAULT-VALUE}; 0 waits forever).")
  int kvTimeout;

  @picocli.CommandLine.Mixin MaxPixelsOption maxPixels;

  @Override
  public Integer call() throws Exception {
    maxPixels.apply();
    // A parameter-server node of a distributed job: same command line, role from the environment.
    String role = System.getenv("DMLC_ROLE");
    if ("server".equals(role) || "scheduler".equals(role)) {
      KvServerNode.run(spec.commandLine().getOut());
      return ExitCodes.OK;
    }
    if (kvTimeout < 0) {
      throw new UsageException("--kv-timeout must be 0 or more seconds");
    }
    Map<String, String> fromFile = hyperparametersFile == null ? Map.of() : Hyperparameters.readJson(hyperparametersFile);
    TrainingHyperparameters hp = Hyperparameters.resolve(fromFile, HyperparameterOptions.given(spec));
    multiLabel = hp.multiLabel();
    Channel trainChannel = channel("train", train, trainIdx, trainLst, trainManifest);
    Channel validationChannel = validation == null && validationManifest == null
        ? null : channel("validation", validation, null, validationLst, validationManifest);
    if (trainChannel.kind() == Channel.Kind.IMAGE_LST && hp.resize().isEmpty()) {
      throw new UsageException("--resize is required when training from images and a .lst (as in SageMaker)");
    }
    if (model != null && pretrained != null) {
      throw new UsageException("--model (incremental training) and --pretrained (transfer learning) exclude each other");
    }
    if (logInterval < 1) {
      throw new UsageException("--log-interval must be at least 1");
    }
    int nThreads = threads != null ? threads : Runtime.getRuntime().availableProcessors();
    TrainRequest req = new TrainRequest(hp, trainChannel, validationChannel, model, pretrained, output, resume,
        seed, nThreads, engine.optionName(), gpus, logInterval, Duration.ofSeconds(kvTimeout));
    PrintWriter out = spec.commandLine().getOut();
    List<Path> removed = OutputFolder.prepare(output, resume, overwrite);
    if (!removed.isEmpty()) {
      out.println("--overwrite: removed " + removed.size() + " artifact(s) of an earlier run from " + output);
    }
    new TrainingJob(req, out).run();
    return ExitCodes.OK;
  }

  private boolean multiLabel;

  private Channel channel(String name, Path data, Path idx, Path lst, Path manifest) {
    if (manifest != null) {
      if (data != null || lst != null) {
        throw new UsageException("--" + name + "-manifest excludes --" + name + " and --" + name + "-lst");
      }
      String fmt = labelFormat != null ? labelFormat : multiLabel ? "multi-hot" : "single";
      return Channel.manifest(manifest, imageRoot != null ? imageRoot : manifest.toAbsolutePath().getParent(),
          attributeNames, fmt, s3PrefixMaps);
    }
    if (data == null) {
      throw new UsageException("--" + name + " is required");
    }
    if (lst != null) {
      return Channel.imageList(data, lst);
    }
    return Channel.recordIO(data, idx);
  }
}
