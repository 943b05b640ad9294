package io.imgclass.core.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds SageMaker's ResNet (MXNet's {@code example/image-classification/symbols/resnet.py}, v2
 * pre-activation units, spec §4.2) as a {@link Graph}, node for node and attribute for attribute as
 * MXNet would save it: the same names ({@code stageS_unitU_bn1}, auto-named {@code pooling0},
 * {@code flatten0}, {@code _plusK}), the same attribute strings, and the variables carrying their
 * consumer's attributes (plus {@code __init__} on moving statistics) as SageMaker's artifacts do.
 */
public final class ResNet {
  /** BatchNorm epsilon as MXNet's example writes it. */
  static final String BN_EPS = "2e-05";
  /** BatchNorm momentum. */
  static final String BN_MOMENTUM = "0.9";
  /** Convolution workspace (MB), written as an attribute only. */
  static final String WORKSPACE = "256";

  private final List<Node> nodes = new ArrayList<>();
  private int plusCount;
  private int poolingCount;
  private int flattenCount;
  private int castCount;

  private ResNet() {}

  /** Builds the graph for a configuration. */
  public static Graph build(ResNetConfig config) {
    return new ResNet().graph(config);
  }

  private Graph graph(ResNetConfig c) {
    ResNetConfig.Layout layout = c.layout();
    int data = variable(Graph.DATA, Map.of());
    int body;
    if (c.precision() == Precision.FLOAT16) {
      body = op("Cast", "cast" + castCount++, Map.of("dtype", "float16"), data);
    } else {
      body = op("_copy", "id", Map.of(), data);
    }
    body = batchNorm(body, "bn_data", true);
    List<Integer> filters = layout.filters();
    if (layout.smallStem()) {
      body = conv(body, "conv0", filters.get(0), 3, 1, 1);
    } else {
      body = conv(body, "conv0", filters.get(0), 7, 2, 3);
      body = batchNorm(body, "bn0", false);
      body = relu(body, "relu0");
      Map<String, String> pool = new LinkedHashMap<>();
      pool.put("kernel", OpSet.tuple(3, 3));
      pool.put("pad", OpSet.tuple(1, 1));
      pool.put("pool_type", "max");
      pool.put("stride", OpSet.tuple(2, 2));
      body = op("Pooling", "pooling" + poolingCount++, pool, body);
    }
    List<Integer> units = layout.units();
    for (int s = 0; s < units.size(); s++) {
      int stride = s == 0 ? 1 : 2;
      int f = filters.get(s + 1);
      body = unit(body, f, stride, false, "stage" + (s + 1) + "_unit1", layout.bottleneck());
      for (int u = 2; u <= units.get(s); u++) {
        body = unit(body, f, 1, true, "stage" + (s + 1) + "_unit" + u, layout.bottleneck());
      }
    }
    body = batchNorm(body, "bn1", false);
    body = relu(body, "relu1");
    Map<String, String> gpool = new LinkedHashMap<>();
    gpool.put("global_pool", "True");
    gpool.put("kernel", OpSet.tuple(7, 7)); // ignored under global_pool, but MXNet's example writes it
    gpool.put("pool_type", "avg");
    body = op("Pooling", "pool1", gpool, body);
    body = op("Flatten", "flatten" + flattenCount++, Map.of(), body);
    Map<String, String> fc = Map.of("num_hidden", Integer.toString(c.numClasses()));
    int w = variable(c.fcName() + "_weight", fc);
    int b = variable(c.fcName() + "_bias", fc);
    body = op("FullyConnected", c.fcName(), fc, body, w, b);
    if (c.precision() == Precision.FLOAT16) {
      body = op("Cast", "cast" + castCount++, Map.of("dtype", "float32"), body);
    }
    int label = variable("softmax_label", Map.of());
    // Multi-label: independent sigmoids trained with binary cross-entropy (MXNet's
    // LogisticRegressionOutput). SageMaker's multi-label head is not published (spec §7); the node
    // keeps the name "softmax" so the label input stays softmax_label and output names stay stable.
    int out = op(c.multiLabel() ? "LogisticRegressionOutput" : "SoftmaxOutput", "softmax", Map.of(), body, label);
    return new Graph(nodes, List.of(new Node.Entry(out, 0, 0)));
  }

  private int unit(int data, int filters, int stride, boolean dimMatch, String name, boolean bottleneck) {
    int bn1 = batchNorm(data, name + "_bn1", false);
    int act1 = relu(bn1, name + "_relu1");
    int last;
    if (bottleneck) {
      int quarter = (int) (filters * 0.25);
      int conv1 = conv(act1, name + "_conv1", quarter, 1, 1, 0);
      int act2 = relu(batchNorm(conv1, name + "_bn2", false), name + "_relu2");
      int conv2 = conv(act2, name + "_conv2", quarter, 3, stride, 1);
      int act3 = relu(batchNorm(conv2, name + "_bn3", false), name + "_relu3");
      last = conv(act3, name + "_conv3", filters, 1, 1, 0);
    } else {
      int conv1 = conv(act1, name + "_conv1", filters, 3, stride, 1);
      int act2 = relu(batchNorm(conv1, name + "_bn2", false), name + "_relu2");
      last = conv(act2, name + "_conv2", filters, 3, 1, 1);
    }
    // The projection shortcut reads relu1's output and has no pad attribute (spec §4.2).
    int shortcut = dimMatch ? data : conv(act1, name + "_sc", filters, 1, stride, -1);
    return op("elemwise_add", "_plus" + plusCount++, Map.of(), last, shortcut);
  }

  private int conv(int data, String name, int filters, int kernel, int stride, int pad) {
    Map<String, String> a = new LinkedHashMap<>();
    a.put("kernel", OpSet.tuple(kernel, kernel));
    a.put("no_bias", "True");
    a.put("num_filter", Integer.toString(filters));
    if (pad >= 0) {
      a.put("pad", OpSet.tuple(pad, pad));
    }
    a.put("stride", OpSet.tuple(stride, stride));
    a.put("workspace", WORKSPACE);
    int w = variable(name + "_weight", a);
    return op("Convolution", name, a, data, w);
  }

  private int batchNorm(int data, String name, boolean fixGamma) {
    Map<String, String> a = new LinkedHashMap<>();
    a.put("eps", BN_EPS);
    a.put("fix_gamma", OpSet.pyBool(fixGamma));
    a.put("momentum", BN_MOMENTUM);
    int gamma = variable(name + "_gamma", a);
    int beta = variable(name + "_beta", a);
    Map<String, String> meanAttrs = new LinkedHashMap<>(a);
    meanAttrs.put("__init__", "[\"zero\", {}]");
    Map<String, String> varAttrs = new LinkedHashMap<>(a);
    varAttrs.put("__init__", "[\"one\", {}]");
    int mean = variable(name + "_moving_mean", meanAttrs);
    int var = variable(name + "_moving_var", varAttrs);
    nodes.add(
        new Node(
            "BatchNorm",
            name,
            a,
            List.of(
                new Node.Entry(data, 0, 0),
                new Node.Entry(gamma, 0, 0),
                new Node.Entry(beta, 0, 0),
                new Node.Entry(mean, 0, 1),
                new Node.Entry(var, 0, 1))));
    return nodes.size() - 1;
  }

  private int relu(int data, String name) {
    return op("Activation", name, Map.of("act_type", "relu"), data);
  }

  private int variable(String name, Map<String, String> attrs) {
    nodes.add(new Node(Node.VARIABLE, name, attrs, List.of()));
    return nodes.size() - 1;
  }

  private int op(String op, String name, Map<String, String> attrs, int... inputs) {
    List<Node.Entry> in = new ArrayList<>();
    for (int i : inputs) {
      in.add(new Node.Entry(i, 0, 0));
    }
    nodes.add(new Node(op, name, attrs, in));
    return nodes.size() - 1;
  }
}
