package io.imgclass.core.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.mxnet.engine.MxNDManager;
import ai.djl.mxnet.engine.MxSymbolBlock;
import ai.djl.mxnet.engine.Symbol;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.LocalParameterServer;
import ai.djl.training.ParameterStore;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imgclass.core.ImgclassException;
import io.imgclass.core.UsageException;
import io.imgclass.core.data.Batch;
import io.imgclass.core.data.BatchLoader;
import io.imgclass.core.data.SampleSources;
import io.imgclass.core.data.SampleSource;
import io.imgclass.core.model.Graph;
import io.imgclass.core.model.ImageShape;
import io.imgclass.core.model.Initialization;
import io.imgclass.core.model.ModelArchive;
import io.imgclass.core.model.ModelArtifact;
import io.imgclass.core.model.Node;
import io.imgclass.core.model.ParamSet;
import io.imgclass.core.model.ParamsFile;
import io.imgclass.core.model.Precision;
import io.imgclass.core.model.ResNet;
import io.imgclass.core.model.ResNetConfig;
import io.imgclass.core.model.ShapeInference;
import io.imgclass.core.model.SymbolJson;
import io.imgclass.core.model.Tensor;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One training run: SageMaker's Image Classification training job on the local machine.
 *
 * <p>The network is the SageMaker ResNet graph ({@link ResNet}), trained on DJL's MXNet engine as
 * one cached graph (the symbol JSON without its loss head, so the loss is computed here: softmax
 * cross-entropy, or sigmoid cross-entropy for multi-label). Updates follow MXNet 1.x ({@link
 * SageMakerOptimizer}, {@link LrSchedule}). The artifact keeps SageMaker's layout and loss head.
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

  /** What a run produced. */
  public record Result(Path model, Path metrics, int bestEpoch, double bestValidationAccuracy, List<EpochMetrics> epochs) {}

  /** Runs the job; returns where the artifact is. */
  public Result run() throws IOException {
    ImageShape shape = new ImageShape(hp.channels(), hp.height(), hp.width());
    if ("float16".equals(hp.precisionDtype()) && req.gpus() == 0) {
      throw new UsageException("precision_dtype float16 needs a GPU: MXNet has no float16 kernels for CPU training; "
          + "use float32, or --gpus N with a GPU engine");
    }
    if (!"MXNet".equalsIgnoreCase(req.engine())) {
      throw new UsageException("--engine " + req.engine() + " is not available for training in this build; use MXNet");
    }
    if (req.gpus() > 0) {
      int have = Engine.getEngine("MXNet").getGpuCount();
      if (have < req.gpus()) {
        throw new UsageException("--gpus " + req.gpus() + " asked for, but the MXNet engine sees " + have
            + " GPU(s): the bundled MXNet native library is CPU-only");
      }
    }
    if (hp.distributed() && req.resume() != null) {
      throw new UsageException("--resume is not available with kv_store " + hp.kvStore()
          + ": the optimizer state lives on the parameter servers; restart from the last artifact with --model");
    }
    Files.createDirectories(req.output());
    Path stateDir = req.output().resolve(STATE_DIR);

    ResNetConfig config = ResNetConfig.of(hp.numLayers(), shape, hp.numClasses())
        .withMultiLabel(hp.multiLabel());
    Graph graph = ResNet.build(config);
    List<String> classes = new ArrayList<>();
    ParamSet initial;
    int beginEpoch = 0;
    ResumeState resumed = null;
    if (req.resume() != null) {
      resumed = ResumeState.read(req.resume().resolve(STATE_DIR));
      if (!resumed.hyperparameters().equals(hp.asStrings())) {
        throw new UsageException("--resume " + req.resume() + ": the hyperparameters differ from the interrupted run's; "
            + "resume with the same ones (saved in " + req.resume().resolve(STATE_DIR).resolve("state.json") + ")");
      }
      initial = resumed.params();
      beginEpoch = resumed.nextEpoch();
      classes.addAll(resumed.classes());
    } else if (req.model() != null) {
      ModelArtifact prev = ModelArchive.read(req.model());
      checkSameNetwork(prev, graph, shape, req.model());
      initial = renameFc(prev.params(), fcName(prev.graph()), config.fcName());
      classes.addAll(prev.classes());
    } else if (req.pretrained() != null) {
      ModelArtifact pre = ModelArchive.read(req.pretrained());
      initial = transfer(pre, graph, shape, req.seed());
    } else {
      initial = Initialization.initialize(graph, shape, req.seed());
    }

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
      result = train(kv, graph, shape, config, classes, initial, beginEpoch, resumed, train, validation, stateDir);
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

  private Result train(KvWorker kv, Graph graph, ImageShape shape, ResNetConfig config, List<String> classes,
      ParamSet initial, int beginEpoch, ResumeState resumed, SampleSource train, SampleSource validation,
      Path stateDir) throws IOException {
    int rank = kv == null ? 0 : kv.rank();
    int numWorkers = kv == null ? 1 : kv.workers();
    // Only rank 0 writes the output folder (workers may share it); every worker logs.
    boolean writer = rank == 0;
    if (writer) {
      logStart(train);
    }
    if (kv != null) {
      log.info("kvstore " + hp.kvStore() + ": worker rank " + rank + " of " + numWorkers + ", reading records "
          + Arrays.toString(Sharding.range(train.size(), rank, numWorkers)) + " of " + train.size());
    }
    long epochSize = LrSchedule.epochSize(hp.numTrainingSamples(), numWorkers, hp.miniBatchSize());
    LrSchedule schedule = LrSchedule.multiFactor(hp.learningRate(), hp.lrSchedulerFactor(), hp.lrSchedulerStep(), epochSize);
    float[] posWeights = hp.multiLabel() && hp.useWeightedLoss() ? positiveWeights(train) : null;

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

    Device device = req.gpus() > 0 ? Device.gpu() : Device.cpu();
    Graph trainGraph = logitsGraph(graph);
    int[] shapeArr = {hp.channels(), hp.height(), hp.width()};
    Augmenter trainAug = new Augmenter(hp.augmentationType(), shapeArr, hp.resize().orElse(0));
    Augmenter valAug = new Augmenter(TrainingHyperparameters.Augmentation.NONE, shapeArr, hp.resize().orElse(0));
    BatchLoader.Decoder decoder = decoderOverride != null ? decoderOverride : SampleSources.decoder(hp.channels());
    int threads = Math.max(1, req.threads());
    int prefetch = prefetchDepth(threads, req.gpus() > 0);
    DivergenceGuard guard = new DivergenceGuard(req.output());

    try (NDManager manager = NDManager.newBaseManager(device, "MXNet")) {
      Symbol symbol = Symbol.loadJson((MxNDManager) manager, SymbolJson.write(trainGraph, SymbolJson.versionNumber(manager.getEngine().getVersion())));
      MxSymbolBlock block = new MxSymbolBlock(manager, symbol);
      Map<String, String> nameById = new HashMap<>();
      List<String> inputs = new ArrayList<>();
      Map<String, Parameter> byName = new LinkedHashMap<>();
      for (Parameter p : block.getAllParameters()) {
        Tensor t = initial.get(p.getName());
        if (t == null) {
          inputs.add(p.getName());
          continue;
        }
        NDArray a = manager.create(t.data(), new Shape(t.shape()));
        a.setName(p.getName());
        // Values are set before the parameter store exists: the store works on these arrays.
        p.setArray(a);
        nameById.put(p.getId(), p.getName());
        byName.put(p.getName(), p);
      }
      block.setInputNames(inputs);
      SageMakerOptimizer optimizer = SageMakerOptimizer.builder()
          .fromHyperparameters(hp, schedule)
          .setParameterNames(nameById::get)
          .setRescaleGrad(1f) // the loss is already a mean over the batch: MXNet's rescale_grad = 1/batch
          .build();
      if (resumed != null) {
        optimizer.importState(resumed.optimizerState(), byName);
      }
      ParameterStore store = new ParameterStore(manager, false);
      long[] updates = {0};
      List<NDArray> weights = new ArrayList<>();
      if (kv == null) {
        store.setParameterServer(new LocalParameterServer(optimizer), new Device[] {device});
      } else {
        // Keys: the learnable parameters in graph order (the same on every worker); auxiliary states stay local.
        List<String> names = new ArrayList<>();
        for (String name : graph.argumentNames()) {
          Parameter p = byName.get(name);
          if (p != null) {
            names.add(name);
            weights.add(p.getArray());
          }
        }
        // dist_sync: the server sums the workers' batch-mean gradients, so 1/workers makes the mean over
        // batch x workers (MXNet: rescale_grad = 1/(batch x workers)); dist_async updates per push.
        float rescale = "dist_sync".equals(hp.kvStore()) ? 1f / numWorkers : 1f;
        kv.start(new KvServerNode.Config(hp.asStrings(), epochSize, rescale, names), weights, manager);
        long bytes = 4L * weights.stream().mapToLong(NDArray::size).sum();
        log.info("kvstore: " + names.size() + " keys; per step each worker pushes " + bytes + " bytes of gradients"
            + " and pulls as many of weights (float32, plus ps-lite message headers)");
        store.setParameterServer(kv.parameterServer(), new Device[] {device});
      }

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
              // The last step's weight updates still run on the engine's threads: let them finish
              // first, so decoding has the cores to itself (the next forward waits for them anyway).
              ai.djl.mxnet.jna.JnaUtils.waitAll();
            }
            Batch b = loader.next();
            try (NDManager step = manager.newSubManager()) {
              NDArray x = step.create(b.data(), new Shape(b.size(), hp.channels(), hp.height(), hp.width()));
              x.setName("data");
              NDArray y = labels(step, b);
              NDArray logits;
              try (GradientCollector gc = manager.getEngine().newGradientCollector()) {
                logits = forward(block, store, x);
                NDArray loss = loss(logits, y, posWeights);
                gc.backward(loss);
                lossSum += guard.loss(loss.getFloat(), epoch, b.index());
                lossBatches++;
              }
              if (kv == null) {
                store.updateAllParameters();
              } else {
                kv.update(weights);
              }
              updates[0]++;
              addMetrics(trainAcc, logits, b);
            }
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
        guard.weights(byName, epoch);
        double seconds = (System.nanoTime() - t0) / 1e9;
        log.trainAccuracy(epoch, trainAcc.accuracy());
        if (hp.topK().isPresent()) {
          log.trainTopK(epoch, hp.topK().getAsInt(), trainAcc.topKAccuracy());
        }
        log.timeCost(epoch, seconds);
        double valAcc = Double.NaN;
        if (validation != null) {
          valAcc = evaluate(block, store, manager, validation, valAug, decoder, threads, prefetch, shapeArr, kv);
          log.validationAccuracy(epoch, valAcc);
        }
        // With a kvstore the optimizer runs on the servers; dist_sync counts updates as this worker does.
        float lr = kv == null ? optimizer.lastLearningRate() : schedule.lr(updates[0]);
        history.add(new EpochMetrics(epoch, trainAcc.accuracy(),
            hp.topK().isPresent() ? trainAcc.topKAccuracy() : Double.NaN,
            lossSum / Math.max(1, lossBatches), valAcc, seconds, trainAcc.samples() / seconds, lr));

        // Validation picks the checkpoint; without a validation channel the latest epoch is kept.
        double score = validation != null ? valAcc : epoch;
        boolean newBest = stopping.record(epoch, score);
        boolean periodicNow = hp.checkpointFrequency().isPresent()
            && (epoch + 1) % hp.checkpointFrequency().getAsInt() == 0;
        // One copy of the weights per epoch serves the best checkpoint, the periodic one and the resume state.
        ParamSet current = newBest || periodicNow || kv == null ? snapshot(byName, graph) : null;
        if (newBest) {
          best = current;
          bestEpoch = epoch;
          if (validation != null && writer) {
            log.storingBest(valAcc);
          }
          if (writer) {
            saveCheckpoint(current, epoch, hp.checkpointFrequency().isEmpty());
          }
        }
        if (periodicNow) {
          periodic.put(epoch + 1, current);
          if (writer) {
            saveCheckpoint(current, epoch, true);
          }
        }
        if (kv == null) {
          new ResumeState(epoch + 1, hp.asStrings(), current, optimizer.exportState(byName),
              best, bestEpoch, periodic, history, classes).write(stateDir);
        }
        if (writer) {
          writeMetrics(history, bestEpoch);
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
    ModelArtifact artifact = new ModelArtifact(graph, best, bestEpoch + 1, shape, hp.miniBatchSize(), classes);
    Path modelPath = req.output().resolve("model.tar.gz");
    if (!writer) {
      out.println("worker rank " + rank + " done; rank 0 writes " + modelPath);
      out.flush();
      return new Result(null, null, bestEpoch, stopping.best(), history);
    }
    if (hp.checkpointFrequency().isPresent()) {
      Map<Integer, ParamSet> more = new TreeMap<>(periodic);
      more.remove(bestEpoch + 1);
      ModelArchive.write(artifact, more, modelPath);
    } else {
      ModelArchive.write(artifact, modelPath);
    }
    Path metrics = writeMetrics(history, bestEpoch);
    TrainingCurve.write(history, "imgclass ResNet-" + hp.numLayers() + " " + shape, req.output().resolve("training-curve.png"));
    out.println("model: " + modelPath);
    out.flush();
    return new Result(modelPath, metrics, bestEpoch, stopping.best(), history);
  }

  private void logStart(SampleSource train) {
    log.info("Final configuration: " + hp.asStrings());
    log.info("use_pretrained_model: " + (req.pretrained() != null ? 1 : 0));
    log.info("multi_label: " + (hp.multiLabel() ? 1 : 0));
    log.info("---- Parameters ----");
    log.info("num_layers: " + hp.numLayers());
    log.info("data type: <class 'numpy.float32'>");
    log.info("epochs: " + hp.epochs());
    log.info("optimizer: " + hp.optimizer().name().toLowerCase(Locale.ROOT));
    log.info("momentum: " + hp.asStrings().get("momentum"));
    log.info("weight_decay: " + hp.asStrings().get("weight_decay"));
    log.info("learning_rate: " + hp.asStrings().get("learning_rate"));
    log.info("num_training_samples: " + hp.numTrainingSamples());
    log.info("mini_batch_size: " + hp.miniBatchSize());
    log.info("image_shape: " + hp.channels() + "," + hp.height() + "," + hp.width());
    log.info("num_classes: " + hp.numClasses());
    if (hp.augmentationType() != TrainingHyperparameters.Augmentation.NONE) {
      log.info("augmentation_type: " + hp.augmentationType().name().toLowerCase(Locale.ROOT));
    }
    hp.resize().ifPresent(r -> log.info("image resize size: " + r));
    hp.topK().ifPresent(k -> log.info("top_k: " + k));
    log.info("kv_store: " + (hp.kvStore() == null ? "device" : hp.kvStore()));
    if (hp.checkpointFrequency().isEmpty()) {
      log.info("checkpoint_frequency not set, will store the best model");
    }
    if (train.size() != hp.numTrainingSamples()) {
      log.info("WARNING: num_training_samples is " + hp.numTrainingSamples() + " but " + train.describe() + " has "
          + train.size() + " examples; epoch size and lr_scheduler_step boundaries follow num_training_samples");
    }
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

  private NDArray labels(NDManager m, Batch b) {
    if (hp.multiLabel()) {
      return m.create(b.labels(), new Shape(b.size(), hp.numClasses()));
    }
    for (int i = 0; i < b.valid(); i++) {
      float l = b.labels()[i];
      if (l < 0 || l >= hp.numClasses() || l != Math.rint(l)) {
        throw new ImgclassException("label " + l + " is outside [0, num_classes=" + hp.numClasses()
            + ") or not a whole number (batch " + b.index() + ")");
      }
    }
    return m.create(b.labels(), new Shape(b.size()));
  }

  /** Mean over the batch of the per-example loss (summed over classes for multi-label). */
  private NDArray loss(NDArray logits, NDArray y, float[] posWeights) {
    if (!hp.multiLabel()) {
      NDArray logp = logits.logSoftmax(1);
      NDArray picked = logp.mul(y.toType(ai.djl.ndarray.types.DataType.INT64, false)
          .oneHot(hp.numClasses())).sum(new int[] {1});
      return picked.neg().mean();
    }
    // Numerically stable sigmoid cross-entropy: max(x,0) - x*y + log(1 + exp(-|x|)).
    NDArray relu = logits.maximum(0f);
    NDArray softplus = logits.abs().neg().exp().add(1f).log();
    NDArray posTerm = logits.neg().maximum(0f).add(softplus); // -log(sigmoid(x))
    NDArray negTerm = relu.add(softplus); // -log(1 - sigmoid(x))
    NDArray one = y.onesLike();
    NDArray pw = posWeights == null ? one : logits.getManager().create(posWeights).reshape(1, -1);
    NDArray l = y.mul(pw).mul(posTerm).add(one.sub(y).mul(negTerm));
    return l.sum(new int[] {1}).mean();
  }

  /**
   * use_weighted_loss: SageMaker does not publish its formula. Ours weights each class's positive
   * term by {@code negatives / positives} over the training set, clipped to [1, 100], so rare
   * labels are not drowned by absent ones (TensorFlow's pos_weight convention).
   */
  private float[] positiveWeights(SampleSource s) throws IOException {
    long[] pos = new long[hp.numClasses()];
    try (SampleSource.Cursor c = s.cursor()) {
      for (int i = 0; i < s.size(); i++) {
        float[] l = c.read(i).labels();
        for (int k = 0; k < pos.length && k < l.length; k++) {
          if (l[k] >= 0.5f) {
            pos[k]++;
          }
        }
      }
    }
    float[] w = new float[pos.length];
    for (int k = 0; k < w.length; k++) {
      double ratio = pos[k] == 0 ? 100 : (double) (s.size() - pos[k]) / pos[k];
      w[k] = (float) Math.max(1, Math.min(100, ratio));
    }
    log.info("use_weighted_loss: positive-class weights " + Arrays.toString(w));
    return w;
  }

  private void addMetrics(Accuracy acc, NDArray logits, Batch b) {
    float[] flat = logits.toFloatArray();
    int k = hp.numClasses();
    int n = b.valid();
    float[][] rows = new float[n][k];
    for (int i = 0; i < n; i++) {
      System.arraycopy(flat, i * k, rows[i], 0, k);
    }
    if (hp.multiLabel()) {
      float[][] targets = new float[n][k];
      for (int i = 0; i < n; i++) {
        for (int c = 0; c < k; c++) {
          rows[i][c] = (float) (1 / (1 + Math.exp(-rows[i][c])));
        }
        System.arraycopy(b.labels(), i * k, targets[i], 0, k);
      }
      acc.addMultiLabel(rows, targets);
    } else {
      acc.addSingleLabel(rows, Arrays.copyOf(b.labels(), n));
    }
  }

  private NDArray forward(MxSymbolBlock block, ParameterStore store, NDArray x) {
    if (batchNormParts <= 1) {
      return block.forward(store, new NDList(x), true).head();
    }
    NDList parts = x.split(batchNormParts);
    NDList logits = new NDList();
    for (NDArray part : parts) {
      logits.add(block.forward(store, new NDList(part), true).head());
    }
    return NDArrays.concat(logits);
  }

  private double evaluate(MxSymbolBlock block, ParameterStore store, NDManager manager, SampleSource val,
      Augmenter aug, BatchLoader.Decoder decoder, int threads, int prefetch, int[] shape, KvWorker kv) {
    Accuracy acc = new Accuracy(0);
    // Distributed: each worker scores its share and the counts are added up, so every worker sees the
    // same accuracy and takes the same early-stopping and best-epoch decisions.
    int[] positions = BatchLoader.sequential(val.size());
    if (kv != null) {
      int[] r = Sharding.range(val.size(), kv.rank(), kv.workers());
      positions = Arrays.copyOfRange(positions, r[0], r[1]);
    }
    try (BatchLoader loader = new BatchLoader(val, positions, hp.miniBatchSize(), shape, aug,
        decoder, false, req.seed(), threads, prefetch)) {
      while (loader.hasNext()) {
        Batch b = loader.next();
        try (NDManager step = manager.newSubManager()) {
          NDArray x = step.create(b.data(), new Shape(b.size(), shape[0], shape[1], shape[2]));
          x.setName("data");
          NDArray logits = block.forward(store, new NDList(x), false).head();
          addMetrics(acc, logits, b);
        }
        if (kv != null) {
          kv.tick();
        }
      }
    }
    if (kv != null) {
      double[] sums = kv.sum(acc.accuracy() * acc.samples(), acc.samples());
      return sums[1] == 0 ? 0 : sums[0] / sums[1];
    }
    return acc.accuracy();
  }

  /** The current values in MXNet's arg:/aux: naming, ordered as the graph lists them. */
  private static ParamSet snapshot(Map<String, Parameter> byName, Graph graph) {
    Map<String, Tensor> outMap = new LinkedHashMap<>();
    for (String name : graph.argumentNames()) {
      Parameter p = byName.get(name);
      if (p != null) {
        outMap.put(ParamSet.ARG + name, tensor(p.getArray()));
      }
    }
    for (String name : graph.auxiliaryNames()) {
      Parameter p = byName.get(name);
      if (p != null) {
        outMap.put(ParamSet.AUX + name, tensor(p.getArray()));
      }
    }
    return new ParamSet(outMap);
  }

  private static Tensor tensor(NDArray a) {
    return new Tensor(a.getShape().getShape(), a.toFloatArray());
  }

  /**
   * How far the data loaders work ahead ({@link BatchLoader}): a few batches when their threads
   * have cores the engine does not use (a GPU run, or OMP_NUM_THREADS below the core count), else
   * 0: each batch is then decoded while the engine waits, because decoding beside OpenMP threads
   * that occupy every core stalls them all (docs/benchmarks.md, train).
   */
  static int prefetchDepth(int threads, boolean gpu) {
    int cores = Runtime.getRuntime().availableProcessors();
    return gpu || engineThreads(cores) < cores ? Math.max(2, threads * 2) : 0;
  }

  /** MXNet's CPU threads: OMP_NUM_THREADS, or (its default) every core. */
  static int engineThreads(int cores) {
    String omp = System.getenv("OMP_NUM_THREADS");
    try {
      return omp == null || omp.isBlank() ? cores : Math.max(1, Integer.parseInt(omp.trim()));
    } catch (NumberFormatException e) {
      return cores;
    }
  }

  private void saveCheckpoint(ParamSet params, int epoch, boolean announce) throws IOException {
    Path target = req.output().resolve(ModelArchive.paramsName(epoch + 1));
    Path tmp = target.resolveSibling(target.getFileName() + ".partial");
    try (OutputStream o = Files.newOutputStream(tmp)) {
      ParamsFile.write(params, o);
    }
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    Path sym = req.output().resolve(ModelArchive.SYMBOL);
    if (!Files.exists(sym)) {
      Graph g = ResNet.build(ResNetConfig.of(hp.numLayers(), new ImageShape(hp.channels(), hp.height(), hp.width()),
          hp.numClasses()).withMultiLabel(hp.multiLabel()));
      Path symTmp = sym.resolveSibling(sym.getFileName() + ".partial");
      Files.writeString(symTmp, SymbolJson.write(g), StandardCharsets.UTF_8);
      Files.move(symTmp, sym, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
    if (announce) {
      log.savedCheckpoint(target.toString());
    }
  }

  private Path writeMetrics(List<EpochMetrics> history, int bestEpoch) throws IOException {
    ObjectMapper om = new ObjectMapper();
    ObjectNode root = om.createObjectNode();
    ArrayNode epochs = root.putArray("epochs");
    for (EpochMetrics m : history) {
      ObjectNode e = epochs.addObject();
      e.put("epoch", m.epoch());
      e.put("train:accuracy", m.trainAccuracy());
      if (!Double.isNaN(m.trainTopK())) {
        e.put("train:top_k_accuracy", m.trainTopK());
      }
      e.put("train:loss", m.trainLoss());
      if (!Double.isNaN(m.validationAccuracy())) {
        e.put("validation:accuracy", m.validationAccuracy());
      }
      e.put("time_cost_s", m.seconds());
      e.put("samples_per_s", m.samplesPerSecond());
      e.put("learning_rate", m.learningRate());
    }
    root.put("best_epoch", bestEpoch);
    if (bestEpoch >= 0 && bestEpoch < history.size() + 1) {
      history.stream().filter(m -> m.epoch() == bestEpoch).findFirst().ifPresent(m -> {
        if (!Double.isNaN(m.validationAccuracy())) {
          root.put("validation:accuracy", m.validationAccuracy());
        }
        root.put("train:accuracy", m.trainAccuracy());
      });
    }
    root.putPOJO("hyperparameters", hp.asStrings());
    Path target = req.output().resolve("metrics.json");
    Path tmp = target.resolveSibling("metrics.json.partial");
    om.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), root);
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return target;
  }

  /** The training graph: the same network with its loss head removed, so it outputs logits. */
  static Graph logitsGraph(Graph g) {
    Node head = g.nodes().get(g.heads().get(0).node());
    int logits = head.inputs().get(0).node();
    Node producer = g.nodes().get(logits);
    if ("Cast".equals(producer.op())) {
      logits = producer.inputs().get(0).node();
    }
    List<Node> nodes = new ArrayList<>(g.nodes().subList(0, logits + 1));
    return new Graph(nodes, List.of(new Node.Entry(logits, 0, 0)));
  }

  private static String fcName(Graph g) {
    Node head = g.nodes().get(g.heads().get(0).node());
    Node fc = g.nodes().get(head.inputs().get(0).node());
    if ("Cast".equals(fc.op())) {
      fc = g.nodes().get(fc.inputs().get(0).node());
    }
    return fc.name();
  }

  private static ParamSet renameFc(ParamSet p, String from, String to) {
    if (from.equals(to)) {
      return p;
    }
    Map<String, Tensor> m = new LinkedHashMap<>();
    for (Map.Entry<String, Tensor> e : p.arrays().entrySet()) {
      String k = e.getKey();
      String prefix = k.startsWith(ParamSet.ARG) ? ParamSet.ARG : k.startsWith(ParamSet.AUX) ? ParamSet.AUX : "";
      String bare = k.substring(prefix.length());
      if (bare.startsWith(from + "_")) {
        bare = to + bare.substring(from.length());
      }
      m.put(prefix + bare, e.getValue());
    }
    return new ParamSet(m);
  }

  private void checkSameNetwork(ModelArtifact prev, Graph graph, ImageShape shape, Path source) {
    ShapeInference.Shapes want = ShapeInference.infer(graph, new long[] {1, shape.channels(), shape.height(), shape.width()});
    ParamSet renamed = renameFc(prev.params(), fcName(prev.graph()), fcName(graph));
    List<String> problems = new ArrayList<>();
    if (prev.imageShape() != null && !prev.imageShape().equals(shape)) {
      problems.add("image_shape " + prev.imageShape() + " vs " + shape);
    }
    try {
      renamed.matching(want, source.toString());
    } catch (ImgclassException e) {
      problems.add(e.getMessage());
    }
    if (!problems.isEmpty()) {
      throw new ImgclassException(source + ": cannot continue training from this model: num_layers, image_shape and "
          + "num_classes must match the earlier run (" + String.join("; ", problems) + ")");
    }
  }

  /** Transfer learning: every parameter except the final layer's comes from the artifact. */
  private ParamSet transfer(ModelArtifact pre, Graph graph, ImageShape shape, long seed) {
    ParamSet fresh = Initialization.initialize(graph, shape, seed);
    String preFc = fcName(pre.graph());
    String ourFc = fcName(graph);
    Map<String, Tensor> m = new LinkedHashMap<>();
    int reused = 0;
    for (Map.Entry<String, Tensor> e : fresh.arrays().entrySet()) {
      String k = e.getKey();
      String bare = k.substring(4);
      Tensor candidate = bare.startsWith(ourFc + "_") ? null : pre.params().get(bare);
      if (candidate != null && !bare.startsWith(preFc + "_") && Arrays.equals(candidate.shape(), e.getValue().shape())) {
        m.put(k, candidate);
        reused++;
      } else if (candidate != null && !bare.startsWith(preFc + "_")) {
        throw new ImgclassException(req.pretrained() + ": " + bare + " has shape " + Arrays.toString(candidate.shape())
            + ", this network needs " + Arrays.toString(e.getValue().shape())
            + " (num_layers and image channels must match the pretrained model)");
      } else {
        m.put(k, e.getValue());
      }
    }
    log.info("transfer learning: reused " + reused + " of " + fresh.arrays().size()
        + " arrays from " + req.pretrained() + "; " + ourFc + " re-initialised");
    return new ParamSet(m);
  }

}
