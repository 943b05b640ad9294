package io.imgclass.core.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import io.imgclass.core.UsageException;
import io.imgclass.core.model.Devices;
import io.imgclass.core.model.EngineKind;
import io.imgclass.core.model.Graph;
import io.imgclass.core.model.Node;
import io.imgclass.core.model.ParamSet;
import io.imgclass.core.model.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Opens the {@link TrainBackend} of an engine, after checking that it can run the request. */
final class TrainBackends {
  private TrainBackends() {}

  /**
   * Checks what an engine can do before any data is read: the engine trains (ONNX Runtime does
   * not), the GPUs asked for exist, float16 has a GPU, the kvstore suits the engine.
   *
   * @return the devices the run will use
   * @throws UsageException (exit 2) saying what is not possible and why
   */
  static Device[] check(EngineKind engine, TrainingHyperparameters hp, int gpus) {
    if (engine == EngineKind.ONNXRUNTIME) {
      throw new UsageException("--engine onnxruntime is for inference only (predict, evaluate, serve);"
          + " train with --engine mxnet or pytorch");
    }
    if (gpus < 0) {
      throw new UsageException("--gpus must be >= 0, got " + gpus);
    }
    if ("float16".equals(hp.precisionDtype()) && gpus == 0) {
      throw new UsageException("precision_dtype float16 needs a GPU (mixed precision: float16 compute on the GPU,"
          + " float32 master weights); on the CPU use float32, or train with --engine pytorch --gpus N");
    }
    if (engine == EngineKind.MXNET && gpus > 0) {
      throw new UsageException("--gpus " + gpus + ": the bundled MXNet engine runs on the CPU only;"
          + " train on GPUs with --engine pytorch");
    }
    if (engine == EngineKind.PYTORCH && hp.distributed()) {
      throw new UsageException("kv_store " + hp.kvStore() + " is not available with --engine pytorch: the distributed"
          + " kvstore is MXNet's ps-lite one, which exchanges MXNet arrays; train distributed with --engine mxnet"
          + " (on one machine, --gpus N trains data-parallel with PyTorch)");
    }
    if (gpus > 0 && hp.miniBatchSize() % gpus != 0) {
      throw new UsageException("mini_batch_size " + hp.miniBatchSize() + " does not divide into --gpus " + gpus
          + " equal parts: each GPU takes mini_batch_size/gpus examples");
    }
    return Devices.of(engine, gpus);
  }

  /** Opens the backend on {@code devices} (from {@link #check}). */
  static TrainBackend open(EngineKind engine, BackendSpec spec, Device[] devices) {
    return switch (engine) {
      case MXNET -> new MxnetBackend(spec);
      case PYTORCH -> new PyTorchBackend(spec, devices);
      default -> throw new UsageException("engine " + engine.optionName() + " cannot train");
    };
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

  /** The current values in MXNet's arg:/aux: naming, ordered as the graph lists them. */
  static ParamSet snapshot(Map<String, NDArray> arrays, Graph graph) {
    return snapshot(arrays, graph, Map.of());
  }

  /** As {@link #snapshot(Map, Graph)}, with some auxiliary states given already read back. */
  static ParamSet snapshot(Map<String, NDArray> arrays, Graph graph, Map<String, Tensor> aux) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (String name : graph.argumentNames()) {
      NDArray a = arrays.get(name);
      if (a != null) {
        out.put(ParamSet.ARG + name, tensor(a));
      }
    }
    for (String name : graph.auxiliaryNames()) {
      Tensor t = aux.get(name);
      NDArray a = arrays.get(name);
      if (t != null) {
        out.put(ParamSet.AUX + name, t);
      } else if (a != null) {
        out.put(ParamSet.AUX + name, tensor(a));
      }
    }
    return new ParamSet(out);
  }

  private static Tensor tensor(NDArray a) {
    return new Tensor(a.getShape().getShape(), a.toFloatArray());
  }
}
