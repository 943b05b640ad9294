package io.imgclass.core.train;

import ai.djl.Device;
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
import io.imgclass.core.data.Batch;
import io.imgclass.core.model.Graph;
import io.imgclass.core.model.ParamSet;
import io.imgclass.core.model.SymbolJson;
import io.imgclass.core.model.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Training on DJL's MXNet engine (CPU): the graph without its loss head as one cached graph
 * ({@code MxSymbolBlock} / CachedOp), so MXNet's own BatchNorm runs; updates through DJL's
 * parameter store with {@link SageMakerOptimizer}, or pushed to the kvstore.
 */
final class MxnetBackend implements TrainBackend {
  private final BackendSpec spec;
  private final NDManager manager;
  private final MxSymbolBlock block;
  private final Map<String, Parameter> byName = new LinkedHashMap<>();
  private final SageMakerOptimizer optimizer;
  private final ParameterStore store;
  private final List<NDArray> weights = new ArrayList<>();
  private NDManager stepManager;

  MxnetBackend(BackendSpec spec) {
    this.spec = spec;
    TrainingHyperparameters hp = spec.hp();
    Device device = Device.cpu();
    this.manager = NDManager.newBaseManager(device, "MXNet");
    try {
      Graph trainGraph = TrainBackends.logitsGraph(spec.graph());
      Symbol symbol = Symbol.loadJson((MxNDManager) manager,
          SymbolJson.write(trainGraph, SymbolJson.versionNumber(manager.getEngine().getVersion())));
      this.block = new MxSymbolBlock(manager, symbol);
      Map<String, String> nameById = new HashMap<>();
      List<String> inputs = new ArrayList<>();
      for (Parameter p : block.getAllParameters()) {
        Tensor t = spec.initial().get(p.getName());
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
      this.optimizer = SageMakerOptimizer.builder()
          .fromHyperparameters(hp, spec.schedule())
          .setParameterNames(nameById::get)
          .setRescaleGrad(1f) // the loss is already a mean over the batch: MXNet's rescale_grad = 1/batch
          .build();
      if (spec.optimizerState() != null) {
        optimizer.importState(spec.optimizerState(), byName);
      }
      this.store = new ParameterStore(manager, false);
      KvWorker kv = spec.kv();
      if (kv == null) {
        store.setParameterServer(new LocalParameterServer(optimizer), new Device[] {device});
      } else {
        // Keys: the learnable parameters in graph order (the same on every worker); auxiliary states stay local.
        List<String> names = new ArrayList<>();
        for (String name : spec.graph().argumentNames()) {
          Parameter p = byName.get(name);
          if (p != null) {
            names.add(name);
            weights.add(p.getArray());
          }
        }
        // dist_sync: the server sums the workers' batch-mean gradients, so 1/workers makes the mean over
        // batch x workers (MXNet: rescale_grad = 1/(batch x workers)); dist_async updates per push.
        float rescale = "dist_sync".equals(hp.kvStore()) ? 1f / kv.workers() : 1f;
        kv.start(new KvServerNode.Config(hp.asStrings(), spec.epochSize(), rescale, names), weights, manager);
        long bytes = 4L * weights.stream().mapToLong(NDArray::size).sum();
        spec.log().info("kvstore: " + names.size() + " keys; per step each worker pushes " + bytes
            + " bytes of gradients and pulls as many of weights (float32, plus ps-lite message headers)");
        store.setParameterServer(kv.parameterServer(), new Device[] {device});
      }
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  @Override
  public Step step(Batch b) {
    closeStep();
    stepManager = manager.newSubManager();
    TrainingHyperparameters hp = spec.hp();
    NDArray x = stepManager.create(b.data(), new Shape(b.size(), hp.channels(), hp.height(), hp.width()));
    x.setName("data");
    NDArray y = spec.loss().labels(stepManager, b);
    try (GradientCollector gc = manager.getEngine().newGradientCollector()) {
      NDArray logits = forward(x);
      NDArray loss = spec.loss().loss(logits, y);
      gc.backward(loss);
      return new Step(loss.getFloat(), logits.toFloatArray());
    }
  }

  private NDArray forward(NDArray x) {
    int parts = spec.batchNormParts();
    if (parts <= 1) {
      return block.forward(store, new NDList(x), true).head();
    }
    NDList logits = new NDList();
    for (NDArray part : x.split(parts)) {
      logits.add(block.forward(store, new NDList(part), true).head());
    }
    return NDArrays.concat(logits);
  }

  @Override
  public void update() {
    if (spec.kv() == null) {
      store.updateAllParameters();
    } else {
      spec.kv().update(weights);
    }
    closeStep();
  }

  private void closeStep() {
    if (stepManager != null) {
      stepManager.close();
      stepManager = null;
    }
  }

  @Override
  public float[] logits(Batch b) {
    TrainingHyperparameters hp = spec.hp();
    try (NDManager step = manager.newSubManager()) {
      NDArray x = step.create(b.data(), new Shape(b.size(), hp.channels(), hp.height(), hp.width()));
      x.setName("data");
      return block.forward(store, new NDList(x), false).head().toFloatArray();
    }
  }

  @Override
  public ParamSet snapshot() {
    Map<String, NDArray> arrays = new HashMap<>();
    byName.forEach((name, p) -> arrays.put(name, p.getArray()));
    return TrainBackends.snapshot(arrays, spec.graph());
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
    ai.djl.mxnet.jna.JnaUtils.waitAll();
  }

  @Override
  public void close() {
    closeStep();
    manager.close();
  }
}
