package io.imgclass.core.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs a network on DJL's PyTorch engine for inference: the graph interpreted op by op ({@link
 * GraphBlock}), on the CPU or the first GPU. Same input and output as {@link NetworkRunner}.
 * Not thread-safe: use one per thread.
 */
public final class PyTorchNetwork implements Network {
  private final NDManager manager;
  private final GraphBlock block;
  private final Map<String, NDArray> values = new HashMap<>();
  private final ImageShape shape;
  private final int numClasses;

  /**
   * Loads a network.
   *
   * @param graph the network (Cast nodes run as identities: inference is float32)
   * @param params its parameters (checked against the graph's inferred shapes)
   * @param shape the input C,H,W
   * @param device where it runs
   */
  public PyTorchNetwork(Graph graph, ParamSet params, ImageShape shape, Device device) {
    this.shape = shape;
    ShapeInference.Shapes shapes =
        ShapeInference.infer(graph, new long[] {1, shape.channels(), shape.height(), shape.width()});
    ParamSet checked = params.matching(shapes, "params");
    long[] out = shapes.outputs().get(graph.heads().get(0).node());
    this.numClasses = (int) out[out.length - 1];
    this.block = new GraphBlock(graph, shape);
    this.manager = NDManager.newBaseManager(device, EngineKind.PYTORCH.djlName());
    try {
      for (String name : block.parameterNames()) {
        Tensor t = checked.get(name);
        if (t == null) {
          throw new IllegalArgumentException("no value for parameter " + name);
        }
        values.put(name, manager.create(t.data(), new Shape(t.shape())));
      }
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  @Override
  public int numClasses() {
    return numClasses;
  }

  @Override
  public float[][] predict(float[][] images) {
    int n = images.length;
    float[] flat = Network.flatten(images, shape);
    try (NDManager batch = manager.newSubManager()) {
      NDArray x = batch.create(flat, new Shape(n, shape.channels(), shape.height(), shape.width()));
      float[] all = block.run(x, values::get, false).toFloatArray();
      return Network.split(all, n, numClasses);
    }
  }

  @Override
  public void close() {
    manager.close();
  }
}
