package io.imgclass.core.model;

import io.imgclass.core.UsageException;

/** Opens a {@link Network} on the engine a {@link RunOptions} names. */
public final class Networks {
  private Networks() {}

  /**
   * Loads a network for inference.
   *
   * @param graph the network
   * @param params its parameters (checked against the graph's inferred shapes)
   * @param shape the input C,H,W
   * @param options engine, device and mode
   */
  public static Network open(Graph graph, ParamSet params, ImageShape shape, RunOptions options) {
    switch (options.engine()) {
      case MXNET:
        if (options.gpus() > 0) {
          throw new UsageException("--gpus " + options.gpus() + ": the bundled MXNet engine runs on the CPU only;"
              + " use --engine pytorch for GPUs");
        }
        return new NetworkRunner(graph, params, shape, options.mode());
      case ONNXRUNTIME:
        return io.imgclass.core.onnx.OnnxModels.open(graph, params, shape, options);
      case PYTORCH:
        return new PyTorchNetwork(graph, params, shape, Devices.of(EngineKind.PYTORCH, options.gpus())[0]);
      default:
        throw new UsageException("engine " + options.engine().optionName() + " is not built yet");
    }
  }
}
