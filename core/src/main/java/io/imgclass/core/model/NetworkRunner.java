package io.imgclass.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.mxnet.engine.MxSymbolBlock;
import ai.djl.mxnet.engine.Symbol;
import ai.djl.mxnet.engine.MxNDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs a network on DJL's MXNet engine for inference: a batch of CHW float arrays (raw 0–255
 * values; {@code bn_data} normalises inside) in, one probability vector per image out.
 *
 * <p>Two ways, same graph, same parameters:
 *
 * <ul>
 *   <li>{@link Mode#SYMBOL}: the symbol JSON written from the graph, run by MXNet as one cached
 *       graph ({@code MxSymbolBlock} / CachedOp);
 *   <li>{@link Mode#BLOCKS}: the graph interpreted op by op ({@link GraphBlock}), which is what
 *       runs on other DJL engines too.
 * </ul>
 *
 * The default is chosen by measurement (docs/benchmarks.md, "model: inference path").
 * Not thread-safe: use one runner per thread.
 */
public final class NetworkRunner implements Network {
  /** How the network is executed. */
  public enum Mode {
    /** MXNet CachedOp over the generated symbol JSON. */
    SYMBOL,
    /** Imperative DJL operations over the graph. */
    BLOCKS;

    /** Parses {@code symbol} or {@code blocks}. */
    public static Mode parse(String s) {
      return valueOf(s.strip().toUpperCase(Locale.ROOT));
    }
  }

  /** The measured default (see the class comment). */
  public static final Mode DEFAULT_MODE = Mode.SYMBOL;

  private final NDManager manager;
  private final Block block;
  private final ParameterStore store;
  private final ImageShape shape;
  private final Mode mode;
  private final boolean labelAsWide;
  private final int numClasses;

  /**
   * Loads a network.
   *
   * @param graph the network (float16 Cast nodes run as identities: inference is float32)
   * @param params its parameters (checked against the graph's inferred shapes)
   * @param shape the input C,H,W
   */
  public NetworkRunner(Graph graph, ParamSet params, ImageShape shape, Mode mode) {
    this.shape = shape;
    this.mode = mode;
    ShapeInference.Shapes shapes =
        ShapeInference.infer(graph, new long[] {1, shape.channels(), shape.height(), shape.width()});
    ParamSet checked = params.matching(shapes, "params");
    long[] out = shapes.outputs().get(graph.heads().get(0).node());
    this.numClasses = (int) out[out.length - 1];
    this.labelAsWide = "LogisticRegressionOutput".equals(graph.nodes().get(graph.heads().get(0).node()).op());
    this.manager = NDManager.newBaseManager("MXNet");
    try {
      if (mode == Mode.SYMBOL) {
        Graph g = withoutCasts(graph);
        Symbol symbol = Symbol.loadJson((MxNDManager) manager, SymbolJson.write(g, SymbolJson.versionNumber(manager.getEngine().getVersion())));
        MxSymbolBlock sb = new MxSymbolBlock(manager, symbol);
        List<String> inputs = new ArrayList<>();
        for (Parameter p : sb.getAllParameters()) {
          Tensor t = checked.get(p.getName());
          if (t == null) {
            inputs.add(p.getName()); // data and softmax_label
          } else {
            NDArray a = manager.create(t.data(), new Shape(t.shape()));
            a.setName(p.getName());
            p.setArray(a);
          }
        }
        sb.setInputNames(inputs);
        this.block = sb;
      } else {
        GraphBlock gb = new GraphBlock(graph, shape);
        gb.setParameters(checked, manager);
        this.block = gb;
      }
      this.store = new ParameterStore(manager, false);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  private static Graph withoutCasts(Graph g) {
    List<Node> nodes = new ArrayList<>();
    for (Node n : g.nodes()) {
      nodes.add("Cast".equals(n.op()) ? new Node("_copy", n.name(), java.util.Map.of(), n.inputs()) : n);
    }
    return new Graph(nodes, g.heads());
  }

  /** The execution mode. */
  public Mode mode() {
    return mode;
  }

  @Override
  public int numClasses() {
    return numClasses;
  }

  @Override
  public float[][] predict(float[][] images) {
    int n = images.length;
    float[] flat = Network.flatten(images, shape);
    // Each batch gets its own sub-manager, so its arrays are freed when it ends.
    try (NDManager batch = manager.newSubManager()) {
      NDArray x = batch.create(flat, new Shape(n, shape.channels(), shape.height(), shape.width()));
      x.setName("data");
      NDList in = new NDList(x);
      if (mode == Mode.SYMBOL) {
        NDArray label = labelAsWide ? batch.zeros(new Shape(n, numClasses)) : batch.zeros(new Shape(n));
        label.setName("softmax_label");
        in.add(label);
      }
      NDArray out = block.forward(store, in, false).head();
      float[] all = out.toFloatArray();
      return Network.split(all, n, numClasses);
    }
  }

  @Override
  public void close() {
    manager.close();
  }
}
