package io.imgclass.core.train;

import ai.djl.Device;
import io.imgclass.core.ImgclassException;
import io.imgclass.core.UsageException;
import io.imgclass.core.data.Batch;
import io.imgclass.core.data.BatchLoader;
import io.imgclass.core.data.SampleSource;
import io.imgclass.core.data.SampleSources;
import io.imgclass.core.model.EngineKind;
import io.imgclass.core.model.Graph;
import io.imgclass.core.model.ImageShape;
import io.imgclass.core.model.ModelArtifact;
import io.imgclass.core.model.ParamSet;
import io.imgclass.core.model.ResNet;
import io.imgclass.core.model.ResNetConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One training run: SageMaker's Image Classification training job on the local machine.
 *
 * <p>This class orchestrates: epochs, metrics, logs, early stopping. Where the weights start is
 * {@link StartingWeights}; what is written is {@link Checkpoints}; the engine side (bind the
 * weights, one step = forward + loss + backward, the update, reading weights and BatchNorm
 * statistics back) is a {@link TrainBackend}: MXNet's cached graph or PyTorch's {@code GraphBlock},
 * both with {@link TrainingLoss}, {@link SageMakerOptimizer} and {@link LrSchedule}. The network is
 * the SageMaker ResNet graph ({@link ResNet}); the artifact keeps SageMaker's MXNet layout and loss
 * head whichever engine trained it.
 */
public final class TrainingJob {
  /** Where the resumable state lives inside the output folder. */
  public static final String STATE_DIR = ".imgclass-state";

  private final TrainRequest req;
  private final TrainingHyperparameters hp;
  private final TrainingLog log;
  private final PrintWriter out;
  private SampleSource trainOverride;
  private SampleSource validationOverride;
  private BatchLoader.Decoder decoderOverride;
  // Test seams (package-private): how one process reproduces a distributed run step for step.
  private EpochOrder epochOrder;
  private int batchNormParts = 1;
  private int interruptAfter = Integer.MAX_VALUE;

  /** The record positions one epoch visits, in order. */
  @FunctionalInterface
  interface EpochOrder {
    int[] order(int epoch);
  }

  public TrainingJob(TrainRequest req, PrintWriter out) {
    this.req = req;
    this.hp = req.hyperparameters();
    this.out = out;
    this.log = TrainingLog.to(out);
  }

  /**
   * Trains from these sources instead of opening the request's channels (a Java caller's own data,
   * or a benchmark's synthetic input). The channels still name the data in messages.
   */
  public TrainingJob withSources(SampleSource train, SampleSource validation) {
    this.trainOverride = train;
    this.validationOverride = validation;
    return this;
  }

  /** Decodes images with this instead of the shared image path. */
  public TrainingJob withDecoder(BatchLoader.Decoder decoder) {
    this.decoderOverride = decoder;
    return this;
  }

  /** Visits the training records in this order instead of shuffling (for tests). */
  TrainingJob withEpochOrder(EpochOrder order) {
    this.epochOrder = order;
    return this;
  }

  /**
   * Runs each training batch through the network as {@code parts} equal slices, so BatchNorm
   * normalises each slice with its own statistics, as {@code parts} workers of a distributed job
   * each normalise their own batch; the loss is still the mean over the whole batch (for tests).
   */
  TrainingJob withBatchNormParts(int parts) {
    this.batchNormParts = parts;
    return this;
  }

  /** Stops the run as a kill would, once this many epochs' resume state is written (for tests). */
  TrainingJob withInterruptAfter(int epochs) {
    this.interruptAfter = epochs;
    return this;
  }

  /** What a run produced. */
  public record Result(Path model, Path metrics, int bestEpoch, double bestValidationAccuracy, List<EpochMetrics> epochs) {}

  /** Runs the job; returns where the artifact is. */
  public Result run() throws IOException {
    ImageShape shape = new ImageShape(hp.channels(), hp.height(), hp.width());
    EngineKind engine = EngineKind.parse(req.engine());
    Device[] devices = TrainBackends.check(engine, hp, req.gpus());
    if (hp.distributed() && req.resume() != null) {
      throw new UsageException("--resume is not available with kv_store " + hp.kvStore()
          + ": the optimizer state lives on the parameter servers; restart from the last artifact with --model");
    }
    Files.createDirectories(req.output());
    Graph graph = ResNet.build(ResNetConfig.of(hp.numLayers(), shape, hp.numClasses()).withMultiLabel(hp.multiLabel()));
    StartingWeights start = StartingWeights.of(req, graph, shape, log);
    List<String> classes = new ArrayList<>(start.classes());

    SampleSource train = trainOverride != null ? trainOverride : SampleSources.open(req.train(), hp, "train");
    SampleSource validation = trainOverride != null ? validationOverride
        : req.validation() == null ? null : SampleSources.open(req.validation(), hp, "validation");
    checkLabels(train);
    if (validation != null) {
      checkLabels(validation);
    }
    if (classes.isEmpty() && req.train() != null) {
      classes.addAll(SampleSources.classNames(req.train(), hp.numClasses()));
    }

    KvWorker kv = hp.distributed() ? KvWorker.connect(hp.kvStore(), req.kvTimeout()) : null;
    Result result;
    try {
      result = train(kv, engine, devices, graph, shape, classes, start, train, validation);
    } catch (IOException | RuntimeException | Error e) {
      if (kv != null) {
        kv.abandon(e);
      }
      throw e;
    }
    if (kv != null) {
      kv.close();
    }
    return result;
  }

  private Result train(KvWorker kv, EngineKind engine, Device[] devices, Graph graph, ImageShape shape,
      List<String> classes, StartingWeights start, SampleSource train, SampleSource validation) throws IOException {
    int rank = kv == null ? 0 : kv.rank();
    int numWorkers = kv == null ? 1 : kv.workers();
    // Only rank 0 writes the output folder (workers may share it); every worker logs.
    boolean writer = rank == 0;
    if (writer) {
      StartLog.write(log, hp, req, train);
    }
    if (kv != null) {
      log.info("kvstore " + hp.kvStore() + ": worker rank " + rank + " of " + numWorkers + ", reading records "
          + Arrays.toString(Sharding.range(train.size(), rank, numWorkers)) + " of " + train.size());
    }
    long epochSize = LrSchedule.epochSize(hp.numTrainingSamples(), numWorkers, hp.miniBatchSize());
    LrSchedule schedule = LrSchedule.multiFactor(hp.learningRate(), hp.lrSchedulerFactor(), hp.lrSchedulerStep(), epochSize);
    float[] posWeights = hp.multiLabel() && hp.useWeightedLoss() ? TrainingLoss.positiveWeights(train, hp.numClasses(), log) : null;
    ResumeState resumed = start.resumed();
    int beginEpoch = start.beginEpoch();
    Checkpoints checkpoints = new Checkpoints(req.output(), hp, graph, log);
    Path stateDir = req.output().resolve(STATE_DIR);

    List<EpochMetrics> history = new ArrayList<>(resumed == null ? List.of() : resumed.history());
    EarlyStopping stopping = EarlyStopping.of(hp);
    for (EpochMetrics m : history) {
      if (!Double.isNaN(m.validationAccuracy())) {
        stopping.record(m.epoch(), m.validationAccuracy());
      }
    }
    Map<Integer, ParamSet> periodic = new TreeMap<>();
    if (resumed != null) {
      periodic.putAll(resumed.periodic());
    }
    ParamSet best = resumed == null ? null : resumed.best();
    int bestEpoch = resumed == null ? -1 : resumed.bestEpoch();

    int[] shapeArr = {hp.channels(), hp.height(), hp.width()};
    Augmenter trainAug = new Augmenter(hp.augmentationType(), shapeArr, hp.resize().orElse(0));
    Augmenter valAug = new Augmenter(TrainingHyperparameters.Augmentation.NONE, shapeArr, hp.resize().orElse(0));
    BatchLoader.Decoder decoder = decoderOverride != null ? decoderOverride : SampleSources.decoder(hp.channels());
    int threads = Math.max(1, req.threads());
    int prefetch = LoaderThreads.prefetchDepth(threads, req.gpus() > 0);
    DivergenceGuard guard = new DivergenceGuard(req.output());
    TrainingLoss lossFn = new TrainingLoss(hp.numClasses(), hp.multiLabel(), posWeights);
    BackendSpec spec = new BackendSpec(hp, graph, shape, start.params(), resumed == null ? null : resumed.optimizerState(),
        schedule, lossFn, req.gpus(), batchNormParts, kv, epochSize, log);
    long updates = 0;
    try (TrainBackend backend = TrainBackends.open(engine, spec, devices)) {
      for (int epoch = beginEpoch; epoch < hp.epochs(); epoch++) {
        long t0 = System.nanoTime();
        Accuracy trainAcc = new Accuracy(hp.topK().orElse(0));
        double lossSum = 0;
        int lossBatches = 0;
        int[] order = epochOrder != null ? epochOrder.order(epoch)
            : kv != null ? Sharding.order(train.size(), rank, numWorkers, req.seed(), epoch)
            : BatchLoader.shuffled(train.size(), req.seed() * 1_000_003L + epoch);
        long speedStart = System.nanoTime();
        int speedSamples = 0;
        try (BatchLoader loader = new BatchLoader(train, order, hp.miniBatchSize(), shapeArr, trainAug, decoder,
            true, req.seed() + epoch + 7_919L * rank, threads, prefetch)) {
          while (loader.hasNext()) {
            if (prefetch == 0) {
              // The last step's weight updates may still run on the engine's threads: let them finish
              // first, so decoding has the cores to itself (the next forward waits for them anyway).
              backend.sync();
            }
            Batch b = loader.next();
            lossFn.checkLabels(b, ExampleLocator.of(train, order, hp.miniBatchSize(), b));
            TrainBackend.Step step = backend.step(b); // forward + loss + backward
            lossSum += guard.loss(step.loss(), epoch, b.index());
            lossBatches++;
            backend.update();
            updates++;
            Validation.addMetrics(hp, trainAcc, step.logits(), b);
            if (kv != null) {
              kv.tick();
            }
            speedSamples += b.size();
            if ((b.index() + 1) % req.batchLogInterval() == 0) {
              double secs = (System.nanoTime() - speedStart) / 1e9;
              log.batch(epoch, b.index() + 1, speedSamples / Math.max(secs, 1e-9), "accuracy", trainAcc.accuracy());
              speedStart = System.nanoTime();
              speedSamples = 0;
            }
          }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        log.trainAccuracy(epoch, trainAcc.accuracy());
        if (hp.topK().isPresent()) {
          log.trainTopK(epoch, hp.topK().getAsInt(), trainAcc.topKAccuracy());
        }
        log.timeCost(epoch, seconds);
        double valAcc = Double.NaN;
        if (validation != null) {
          valAcc = Validation.accuracy(hp, req.seed(), backend, validation, valAug, decoder, threads, prefetch, shapeArr, kv);
          log.validationAccuracy(epoch, valAcc);
        }
        // With a kvstore the optimizer runs on the servers; dist_sync counts updates as this worker does.
        float lr = kv == null ? backend.lastLearningRate() : schedule.lr(updates);
        history.add(new EpochMetrics(epoch, trainAcc.accuracy(),
            hp.topK().isPresent() ? trainAcc.topKAccuracy() : Double.NaN,
            lossSum / Math.max(1, lossBatches), valAcc, seconds, trainAcc.samples() / seconds, lr));

        // Validation picks the checkpoint; without a validation channel the latest epoch is kept.
        double score = validation != null ? valAcc : epoch;
        boolean newBest = stopping.record(epoch, score);
        boolean periodicNow = hp.checkpointFrequency().isPresent()
            && (epoch + 1) % hp.checkpointFrequency().getAsInt() == 0;
        // One copy of the weights per epoch serves the best checkpoint, the periodic one and the resume state.
        ParamSet current = newBest || periodicNow || kv == null ? backend.snapshot() : null;
        // Before anything of this epoch is saved: a NaN or infinite weight stops the run here.
        guard.weights(current != null ? current : backend.snapshot(), epoch);
        if (newBest) {
          best = current;
          bestEpoch = epoch;
          if (validation != null && writer) {
            log.storingBest(valAcc);
          }
          if (writer) {
            checkpoints.save(current, epoch, hp.checkpointFrequency().isEmpty());
          }
        }
        if (periodicNow) {
          periodic.put(epoch + 1, current);
          if (writer) {
            checkpoints.save(current, epoch, true);
          }
        }
        if (kv == null) {
          new ResumeState(epoch + 1, hp.asStrings(), current, backend.optimizerState(),
              best, bestEpoch, periodic, history, classes).write(stateDir);
        }
        if (writer) {
          checkpoints.writeMetrics(history, bestEpoch);
        }
        if (epoch + 1 >= interruptAfter) {
          throw new ImgclassException("interrupted after epoch " + epoch + " (test seam)");
        }
        if (validation != null && stopping.shouldStop(epoch)) {
          log.info("Early stopping at epoch " + epoch + ": no improvement of validation accuracy for "
              + hp.earlyStoppingPatience() + " epochs");
          break;
        }
      }
    }
    if (best == null) {
      throw new ImgclassException("no epoch was trained (epochs=" + hp.epochs() + ", resumed at " + beginEpoch + ")");
    }
    Path modelPath = req.output().resolve("model.tar.gz");
    if (!writer) {
      out.println("worker rank " + rank + " done; rank 0 writes " + modelPath);
      out.flush();
      return new Result(null, null, bestEpoch, stopping.best(), history);
    }
    ModelArtifact artifact = new ModelArtifact(graph, best, bestEpoch + 1, shape, hp.miniBatchSize(), classes);
    checkpoints.writeArtifact(artifact, periodic, bestEpoch, history, shape);
    out.println("model: " + modelPath);
    out.flush();
    return new Result(modelPath, req.output().resolve("metrics.json"), bestEpoch, stopping.best(), history);
  }

  private void checkLabels(SampleSource s) {
    int width = s.labelWidth();
    if (hp.multiLabel()) {
      if (width != hp.numClasses()) {
        throw new ImgclassException("Mismatch between number of labels in the multi-label data (" + width
            + ") and the num_classes parameter (" + hp.numClasses() + ") in " + s.describe()
            + ": multi-label data must carry one 0/1 column per class");
      }
    } else if (width != 1) {
      throw new ImgclassException(s.describe() + " has " + width + " labels per example but multi_label is 0; "
          + "train with --multi-label 1 (and num_classes " + width + ") or pack single labels");
    }
  }
}
