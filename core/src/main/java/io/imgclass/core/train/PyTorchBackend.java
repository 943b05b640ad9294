package io.imgclass.core.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import io.imgclass.core.data.Batch;
import io.imgclass.core.model.EngineKind;
import io.imgclass.core.model.GraphBlock;
import io.imgclass.core.model.ParamSet;
import io.imgclass.core.model.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Training on DJL's PyTorch engine: the graph interpreted op by op ({@link GraphBlock}, whose
 * training-mode BatchNorm keeps MXNet's statistics), data-parallel over one or more devices.
 *
 * <p>Each device holds a replica of the weights and takes {@code batch/N} examples; the replicas'
 * gradients are summed on the first device and {@link SageMakerOptimizer} makes one update of the
 * master weights there, which are then copied to the other replicas (SageMaker's single-machine
 * multi-GPU training: MXNet's {@code kvstore=device}). Each replica keeps its own BatchNorm running
 * statistics; reading them back averages them over the replicas, as MXNet's {@code Module} does.
 *
 * <p>Mixed precision ({@code precision_dtype=float16}, GPUs only): the replicas compute in float16
 * from float16 copies of the float32 master weights; the loss is scaled before backward, the
 * gradients unscaled in float32, and a step whose gradients overflow is skipped with the scale
 * halved (doubled again after {@value #SCALE_WINDOW} clean steps). What is saved is float32.
 */
final class PyTorchBackend implements TrainBackend {
  /** Clean steps after which the loss scale doubles. */
  static final int SCALE_WINDOW = 2000;

  private final BackendSpec spec;
  private final Device[] devices;
  private final NDManager[] managers;
  private final GraphBlock block;
  private final List<String> learnable = new ArrayList<>();
  private final List<String> auxiliary = new ArrayList<>();
  private final List<String> fixedGammas = new ArrayList<>();
  private final Map<String, NDArray> master = new LinkedHashMap<>();
  private final List<Map<String, NDArray>> replicas = new ArrayList<>();
  private final Map<String, Parameter> byName = new LinkedHashMap<>();
  private final SageMakerOptimizer optimizer;
  private final boolean mixed;
  private float lossScale = 65536f;
  private int cleanSteps;
  private long skippedSteps;
  private NDManager[] stepManagers;

  PyTorchBackend(BackendSpec spec, Device[] devices) {
    this.spec = spec;
    this.devices = devices;
    TrainingHyperparameters hp = spec.hp();
    this.mixed = "float16".equals(hp.precisionDtype());
    this.block = new GraphBlock(TrainBackends.logitsGraph(spec.graph()), spec.shape());
    this.managers = new NDManager[devices.length];
    try {
      for (int i = 0; i < devices.length; i++) {
        managers[i] = NDManager.newBaseManager(devices[i], EngineKind.PYTORCH.djlName());
      }
      for (String name : spec.graph().argumentNames()) {
        if (block.parameterNames().contains(name)) {
          learnable.add(name);
        }
      }
      for (String name : spec.graph().auxiliaryNames()) {
        if (block.parameterNames().contains(name)) {
          auxiliary.add(name);
        }
      }
      for (io.imgclass.core.model.Node n : spec.graph().nodes()) {
        if ("BatchNorm".equals(n.op()) && io.imgclass.core.model.OpSet.bool(n, "fix_gamma", true)) {
          fixedGammas.add(spec.graph().nodes().get(n.inputs().get(1).node()).name());
        }
      }
      Map<String, String> nameById = new HashMap<>();
      for (String name : block.parameterNames()) {
        Tensor t = spec.initial().get(name);
        if (t == null) {
          throw new IllegalArgumentException("no starting value for parameter " + name);
        }
        NDArray a = managers[0].create(t.data(), new Shape(t.shape()));
        a.setName(name);
        master.put(name, a);
      }
      for (String name : learnable) {
        Parameter p = Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).build();
        p.setArray(master.get(name));
        byName.put(name, p);
        nameById.put(p.getId(), name);
      }
      for (int i = 0; i < devices.length; i++) {
        Map<String, NDArray> r = new HashMap<>();
        for (String name : auxiliary) {
          r.put(name, i == 0 ? master.get(name) : copy(master.get(name), i, DataType.FLOAT32));
        }
        replicas.add(r);
        refreshWeights(i);
      }
      this.optimizer = SageMakerOptimizer.builder()
          .fromHyperparameters(hp, spec.schedule())
          .setParameterNames(nameById::get)
          .setRescaleGrad(1f) // the loss is already a mean over the batch
          .build();
      if (spec.optimizerState() != null) {
        optimizer.importState(spec.optimizerState(), byName);
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  private NDArray copy(NDArray a, int replica, DataType type) {
    // DJL's PyTorch toDevice(same device, copy=true) returns the same tensor: duplicate then.
    NDArray c = a.getDevice().equals(devices[replica]) && a.getDataType() == type ? a.duplicate()
        : a.toDevice(devices[replica], true).toType(type, false);
    c.attach(managers[replica]);
    return c;
  }

  /** Points a replica's weights at the master values: the master itself, or a (float16) copy. */
  private void refreshWeights(int i) {
    Map<String, NDArray> r = replicas.get(i);
    for (String name : learnable) {
      NDArray m = master.get(name);
      NDArray w;
      if (i == 0 && !mixed) {
        w = m;
      } else {
        w = copy(m, i, mixed ? DataType.FLOAT16 : DataType.FLOAT32);
        NDArray old = r.get(name);
        if (old != null && old != m) {
          old.close();
        }
      }
      w.setRequiresGradient(true);
      r.put(name, w);
    }
  }

  @Override
  public Step step(Batch b) {
    closeStep();
    int n = devices.length;
    int per = b.size() / n;
    stepManagers = new NDManager[n];
    TrainingHyperparameters hp = spec.hp();
    float lossSum = 0;
    float[] logits = new float[b.size() * hp.numClasses()];
    // MXNet's BatchNorm with fix_gamma writes 1 into gamma in each training forward pass (weight
    // decay moves it in between); so do we, so that what is saved matches.
    for (String name : fixedGammas) {
      for (Map<String, NDArray> r : replicas) {
        NDArray g = r.get(name);
        g.muli(0f).addi(1f);
      }
      master.get(name).muli(0f).addi(1f);
    }
    try (GradientCollector gc = Engine.getEngine(EngineKind.PYTORCH.djlName()).newGradientCollector()) {
      for (int i = 0; i < n; i++) {
        stepManagers[i] = managers[i].newSubManager();
        int from = i * per;
        int to = from + per;
        float[] slice = java.util.Arrays.copyOfRange(b.data(), from * spec.shape().size(), to * spec.shape().size());
        NDArray x = stepManagers[i].create(slice, new Shape(per, hp.channels(), hp.height(), hp.width()));
        if (mixed) {
          x = x.toType(DataType.FLOAT16, false);
        }
        NDArray out = forward(x, replicas.get(i)).toType(DataType.FLOAT32, false);
        NDArray y = spec.loss().labels(stepManagers[i], b, from, to);
        // The replica's mean loss weighted by its share, so the replicas' gradients add up to the batch mean's.
        NDArray loss = spec.loss().loss(out, y).mul((float) per / b.size());
        gc.backward(mixed ? loss.mul(lossScale) : loss);
        lossSum += loss.getFloat();
        float[] part = out.toFloatArray();
        System.arraycopy(part, 0, logits, from * hp.numClasses(), part.length);
      }
    }
    return new Step(lossSum, logits);
  }

  private NDArray forward(NDArray x, Map<String, NDArray> values) {
    int parts = spec.batchNormParts();
    if (parts <= 1) {
      return block.run(x, values::get, true);
    }
    NDList logits = new NDList();
    for (NDArray part : x.split(parts)) {
      logits.add(block.run(part, values::get, true));
    }
    return NDArrays.concat(logits);
  }

  @Override
  public void update() {
    Device first = devices[0];
    Map<String, NDArray> grads = new LinkedHashMap<>();
    List<NDArray> handles = new ArrayList<>();
    try (NDManager tmp = managers[0].newSubManager()) {
      for (String name : learnable) {
        NDArray sum = null;
        for (int i = 0; i < devices.length; i++) {
          NDArray g = replicas.get(i).get(name).getGradient();
          handles.add(g);
          // A copy in float32 on the first device (duplicate: toDevice/toType return the same tensor when nothing changes).
          NDArray g32 = g.toDevice(first, false).toType(DataType.FLOAT32, false).duplicate();
          g32.attach(tmp);
          if (sum == null) {
            sum = g32;
          } else {
            sum.addi(g32);
          }
        }
        grads.put(name, mixed ? sum.divi(lossScale) : sum);
      }
      boolean apply = !mixed || finite(grads.values());
      if (apply) {
        for (String name : learnable) {
          optimizer.update(byName.get(name).getId(), master.get(name), grads.get(name));
        }
      }
      for (NDArray g : handles) {
        g.subi(g); // PyTorch accumulates gradients: clear them for the next step
        g.close();
      }
      if (!apply) {
        // float16 overflowed: skip this step and halve the loss scale.
        lossScale = Math.max(1f, lossScale / 2);
        cleanSteps = 0;
        skippedSteps++;
        closeStep();
        return;
      }
    }
    if (mixed && ++cleanSteps >= SCALE_WINDOW) {
      lossScale *= 2;
      cleanSteps = 0;
    }
    for (int i = 0; i < devices.length; i++) {
      if (i > 0 || mixed) {
        refreshWeights(i);
      }
    }
    closeStep();
  }

  private static boolean finite(Iterable<NDArray> grads) {
    for (NDArray g : grads) {
      if (g.isNaN().any().getBoolean() || g.isInfinite().any().getBoolean()) {
        return false;
      }
    }
    return true;
  }

  /** Steps skipped because float16 gradients overflowed (mixed precision). */
  long skippedSteps() {
    return skippedSteps;
  }

  private void closeStep() {
    if (stepManagers != null) {
      for (NDManager m : stepManagers) {
        if (m != null) {
          m.close();
        }
      }
      stepManagers = null;
    }
  }

  @Override
  public float[] logits(Batch b) {
    TrainingHyperparameters hp = spec.hp();
    try (NDManager step = managers[0].newSubManager()) {
      NDArray x = step.create(b.data(), new Shape(b.size(), hp.channels(), hp.height(), hp.width()));
      // Validation runs on the float32 master weights with the first replica's statistics.
      Map<String, NDArray> values = new HashMap<>(master);
      return block.run(x, values::get, false).toFloatArray();
    }
  }

  @Override
  public ParamSet snapshot() {
    Map<String, NDArray> arrays = new HashMap<>(master);
    if (devices.length > 1) {
      try (NDManager tmp = managers[0].newSubManager()) {
        Map<String, Tensor> averaged = new HashMap<>();
        for (String name : auxiliary) {
          NDArray sum = master.get(name).duplicate();
          sum.attach(tmp);
          for (int i = 1; i < devices.length; i++) {
            NDArray c = replicas.get(i).get(name).toDevice(devices[0], true);
            c.attach(tmp);
            sum.addi(c);
          }
          NDArray mean = sum.divi(devices.length);
          averaged.put(name, new Tensor(mean.getShape().getShape(), mean.toFloatArray()));
        }
        return TrainBackends.snapshot(arrays, spec.graph(), averaged);
      }
    }
    return TrainBackends.snapshot(arrays, spec.graph(), Map.of());
  }

  @Override
  public ParamSet optimizerState() {
    return optimizer.exportState(byName);
  }

  @Override
  public float lastLearningRate() {
    return optimizer.lastLearningRate();
  }

  @Override
  public void sync() {
    // PyTorch on the CPU computes eagerly; on a GPU the next read of a result waits anyway.
  }

  @Override
  public void close() {
    closeStep();
    for (int i = managers.length - 1; i >= 0; i--) {
      if (managers[i] != null) {
        managers[i].close();
      }
    }
  }
}
