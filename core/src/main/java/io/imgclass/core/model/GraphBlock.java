package io.imgclass.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.internal.NDArrayEx;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A DJL {@link ai.djl.nn.Block} that runs a {@link Graph} imperatively, op by op, with DJL's
 * engine-neutral NDArray operations. Its parameters carry the graph's names ({@code conv0_weight},
 * {@code bn_data_moving_mean}, ...), so a {@code .params} file maps onto it by name.
 *
 * <p>The output is the probability: softmax over classes ({@code SoftmaxOutput}) or per-class
 * sigmoid ({@code LogisticRegressionOutput}), as MXNet's loss outputs give in a forward pass. Cast
 * nodes run as identities (computation is float32).
 */
public final class GraphBlock extends AbstractBlock {
  private final Graph graph;
  private final Map<String, Parameter> params = new HashMap<>();
  private final Map<String, long[]> shapes;

  /** Creates the block and its parameters, with shapes inferred at {@code imageShape}. */
  public GraphBlock(Graph graph, ImageShape imageShape) {
    this.graph = graph;
    ShapeInference.Shapes s = ShapeInference.infer(graph, new long[] {1, imageShape.channels(), imageShape.height(), imageShape.width()});
    this.shapes = new HashMap<>(s.parameters());
    shapes.putAll(s.auxiliary());
    for (Map.Entry<String, long[]> e : s.parameters().entrySet()) {
      register(e.getKey(), e.getValue(), true);
    }
    for (Map.Entry<String, long[]> e : s.auxiliary().entrySet()) {
      register(e.getKey(), e.getValue(), false);
    }
  }

  private void register(String name, long[] shape, boolean grad) {
    Parameter.Type type = name.endsWith("_moving_mean") ? Parameter.Type.RUNNING_MEAN
        : name.endsWith("_moving_var") ? Parameter.Type.RUNNING_VAR
        : name.endsWith("_gamma") ? Parameter.Type.GAMMA
        : name.endsWith("_beta") ? Parameter.Type.BETA
        : name.endsWith("_bias") ? Parameter.Type.BIAS
        : Parameter.Type.WEIGHT;
    Parameter p = addParameter(
        Parameter.builder().setName(name).setType(type).optRequiresGrad(grad).build());
    params.put(name, p);
  }

  /** Sets every parameter from a params set (names without {@code arg:}/{@code aux:}). */
  public void setParameters(ParamSet values, ai.djl.ndarray.NDManager manager) {
    for (Map.Entry<String, Parameter> e : params.entrySet()) {
      Tensor t = values.get(e.getKey());
      if (t == null) {
        throw new IllegalArgumentException("no value for parameter " + e.getKey());
      }
      NDArray a = manager.create(t.data(), new Shape(t.shape()));
      a.setName(e.getKey());
      e.getValue().setArray(a);
    }
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    long[] in = inputShapes[0].getShape();
    ShapeInference.Shapes s = ShapeInference.infer(graph, in);
    return new Shape[] {new Shape(s.outputs().get(graph.heads().get(0).node()))};
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> extra) {
    NDArray data = inputs.head();
    return new NDList(run(data, name -> {
      Parameter p = params.get(name);
      return p == null ? null : store.getValue(p, data.getDevice(), training);
    }, training));
  }

  /** The parameter names, learnable ones ({@code arg:}) and auxiliary states ({@code aux:}). */
  public java.util.Set<String> parameterNames() {
    return java.util.Collections.unmodifiableSet(params.keySet());
  }

  /**
   * Runs the graph on {@code data} with parameter values looked up by name (one replica's arrays,
   * on data's device). In training mode BatchNorm normalises with the batch's own statistics and
   * updates the running ones in place with MXNet's convention: {@code moving = momentum·moving +
   * (1−momentum)·batch}, the variance biased (divided by n), so what is saved is what MXNet saves
   * (PyTorch's own batch_norm keeps an unbiased variance with the momentum the other way round).
   */
  public NDArray run(NDArray data, java.util.function.Function<String, NDArray> valueOf, boolean training) {
    List<Node> nodes = graph.nodes();
    NDArray[] values = new NDArray[nodes.size()];
    for (int i = 0; i < nodes.size(); i++) {
      Node n = nodes.get(i);
      if (n.isVariable()) {
        NDArray v = params.containsKey(n.name()) ? valueOf.apply(n.name()) : null;
        if (v != null) {
          values[i] = v;
        } else if (n.name().equals(Graph.DATA)) {
          values[i] = data;
        }
        continue;
      }
      NDArray x = values[n.inputs().get(0).node()];
      values[i] = switch (n.op()) {
        case "_copy", "Cast" -> x;
        case "Activation" -> activation(n, x);
        case "elemwise_add" -> x.add(values[n.inputs().get(1).node()]);
        case "Flatten" -> x.reshape(x.getShape().get(0), -1);
        case "Convolution" -> convolution(n, x, values);
        case "BatchNorm" -> training ? trainingBatchNorm(n, x, values) : batchNorm(n, x, values);
        case "Pooling" -> pooling(n, x);
        case "FullyConnected" -> {
          NDArray w = values[n.inputs().get(1).node()];
          NDArray b = OpSet.bool(n, "no_bias", false) ? null : values[n.inputs().get(2).node()];
          NDArray flat = OpSet.bool(n, "flatten", true) ? x.reshape(x.getShape().get(0), -1) : x;
          yield ex(flat).linear(flat, w, b).head();
        }
        case "SoftmaxOutput" -> x.softmax(-1);
        case "LogisticRegressionOutput" -> Activation.sigmoid(x);
        default -> throw new IllegalStateException("op " + n.op() + " is not runnable");
      };
    }
    return values[graph.heads().get(0).node()];
  }

  private static NDArrayEx ex(NDArray a) {
    return a.getNDArrayInternal();
  }

  private static NDArray activation(Node n, NDArray x) {
    String t = n.attr("act_type");
    return switch (t == null ? "relu" : t) {
      case "relu" -> Activation.relu(x);
      case "sigmoid" -> Activation.sigmoid(x);
      case "tanh" -> Activation.tanh(x);
      default -> throw new IllegalStateException("act_type " + t + " is not supported");
    };
  }

  private static NDArray convolution(Node n, NDArray x, NDArray[] values) {
    NDArray w = values[n.inputs().get(1).node()];
    NDArray b = OpSet.bool(n, "no_bias", false) ? null : values[n.inputs().get(2).node()];
    int[] s = OpSet.intTuple(n, "stride", 2, 1);
    int[] p = OpSet.intTuple(n, "pad", 2, 0);
    int[] d = OpSet.intTuple(n, "dilate", 2, 1);
    return ex(x)
        .convolution(x, w, b, new Shape(s[0], s[1]), new Shape(p[0], p[1]), new Shape(d[0], d[1]),
            OpSet.integer(n, "num_group", 1))
        .head();
  }

  private static NDArray batchNorm(Node n, NDArray x, NDArray[] values) {
    NDArray gamma = values[n.inputs().get(1).node()];
    if (OpSet.bool(n, "fix_gamma", true)) {
      // MXNet's fix_gamma: gamma is treated as 1 whatever is stored (bn_data).
      gamma = onBatch(gamma.onesLike(), x);
    }
    NDArray beta = values[n.inputs().get(2).node()];
    NDArray mean = values[n.inputs().get(3).node()];
    NDArray var = values[n.inputs().get(4).node()];
    float eps = (float) OpSet.number(n, "eps", 1e-3);
    return ex(x).batchNorm(x, mean, var, gamma, beta, 1, 0.9f, eps, false).head();
  }

  /** Training-mode BatchNorm with MXNet's statistics and running-state convention (see {@link #run}). */
  private static NDArray trainingBatchNorm(Node n, NDArray x, NDArray[] values) {
    NDArray gamma = values[n.inputs().get(1).node()];
    if (OpSet.bool(n, "fix_gamma", true)) {
      // Still connected to gamma, so its gradient is a defined zero (MXNet's fix_gamma), not missing.
      gamma = onBatch(gamma.mul(0f), x).add(1f);
    }
    NDArray beta = values[n.inputs().get(2).node()];
    NDArray movingMean = values[n.inputs().get(3).node()];
    NDArray movingVar = values[n.inputs().get(4).node()];
    float eps = (float) OpSet.number(n, "eps", 1e-3);
    float momentum = (float) OpSet.number(n, "momentum", 0.9);
    long c = x.getShape().get(1);
    long count = x.size() / c;
    if (EngineKind.PYTORCH.djlName().equals(x.getManager().getEngine().getEngineName())) {
      // PyTorch's fused batch_norm normalises as MXNet does (biased batch variance). Given momentum
      // 1 (DJL passes 1 − momentum) it leaves exactly the batch mean and the unbiased batch variance
      // in the arrays given as running statistics; from those we apply MXNet's rule.
      NDArray batchMean = onBatch(movingMean.zerosLike(), x);
      NDArray batchVar = onBatch(movingVar.onesLike(), x);
      NDArray y = ex(x).batchNorm(x, batchMean, batchVar, gamma, beta, -1, 0f, eps, true).head();
      // Not in place: autograd keeps these arrays for the backward pass.
      movingMean.muli(momentum).addi(batchMean.mul(1f - momentum));
      movingVar.muli(momentum).addi(batchVar.mul((float) ((1 - momentum) * (count - 1) / (double) count)));
      return y;
    }
    NDArray mean = channelMean(x);
    NDArray centred = x.sub(mean);
    NDArray var = channelMean(centred.square()); // biased, as MXNet
    NDArray y = centred.div(var.add(eps).sqrt());
    y = y.mul(onBatch(gamma.reshape(1, c, 1, 1), x)).add(onBatch(beta.reshape(1, c, 1, 1), x));
    NDArray batchMean = mean.stopGradient().reshape(c).toType(movingMean.getDataType(), false);
    NDArray batchVar = var.stopGradient().reshape(c).toType(movingVar.getDataType(), false);
    movingMean.muli(momentum).addi(batchMean.muli(1f - momentum));
    movingVar.muli(momentum).addi(batchVar.muli(1f - momentum));
    return y;
  }

  /**
   * Gives an array computed from a parameter to the batch's manager: results are owned by the
   * first operand's manager, which for a parameter lives as long as the network, so each batch
   * would otherwise leave its temporaries behind.
   */
  private static NDArray onBatch(NDArray a, NDArray x) {
    a.attach(x.getManager());
    return a;
  }

  /** Mean over N, H and W, kept as N=H=W=1 (one axis at a time: DJL's PyTorch reduces one axis per call). */
  private static NDArray channelMean(NDArray x) {
    return x.mean(new int[] {0}, true).mean(new int[] {2}, true).mean(new int[] {3}, true);
  }

  private static NDArray pooling(Node n, NDArray x) {
    String type = n.attr("pool_type") == null ? "max" : n.attr("pool_type");
    if (OpSet.bool(n, "global_pool", false)) {
      if (type.equals("avg")) {
        return ex(x).globalAvgPool();
      }
      return ex(x).globalMaxPool();
    }
    int[] k = OpSet.intTuple(n, "kernel", 2, 1);
    int[] s = OpSet.intTuple(n, "stride", 2, 1);
    int[] p = OpSet.intTuple(n, "pad", 2, 0);
    boolean ceil = "full".equals(n.attr("pooling_convention"));
    if (type.equals("max")) {
      return ex(x).maxPool(new Shape(k[0], k[1]), new Shape(s[0], s[1]), new Shape(p[0], p[1]), ceil);
    }
    // MXNet's avg pooling counts padded cells (count_include_pad defaults to true).
    return ex(x).avgPool(new Shape(k[0], k[1]), new Shape(s[0], s[1]), new Shape(p[0], p[1]), ceil, true);
  }

  /** Unused hook: parameters have fixed shapes from the graph. */
  @Override
  protected void prepare(Shape[] inputShapes) {}
}
