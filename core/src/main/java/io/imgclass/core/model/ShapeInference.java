package io.imgclass.core.model;

import io.imgclass.core.ImgclassException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Infers every node's output shape and every parameter's shape from the input shape, with MXNet's
 * rules for the ResNet op set (convolution and "valid" pooling arithmetic, FC flattening).
 */
public final class ShapeInference {

  /**
   * The inferred shapes.
   *
   * @param outputs output 0 shape of each node, indexed like {@link Graph#nodes()}
   * @param parameters learnable parameter shapes, in graph order
   * @param auxiliary auxiliary state shapes (BatchNorm moving mean / var), in graph order
   */
  public record Shapes(List<long[]> outputs, Map<String, long[]> parameters, Map<String, long[]> auxiliary) {
    /** Number of learnable values. */
    public long parameterCount() {
      return count(parameters);
    }

    /** Number of auxiliary values. */
    public long auxiliaryCount() {
      return count(auxiliary);
    }

    private static long count(Map<String, long[]> m) {
      long n = 0;
      for (long[] s : m.values()) {
        n += numel(s);
      }
      return n;
    }
  }

  private ShapeInference() {}

  /** Number of elements of a shape. */
  public static long numel(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }

  /**
   * Infers shapes for input {@code data} of shape {@code dataShape} (N,C,H,W).
   *
   * @throws ImgclassException when an op is outside the set or the shapes do not fit
   */
  public static Shapes infer(Graph graph, long[] dataShape) {
    List<Node> nodes = graph.nodes();
    long[][] out = new long[nodes.size()][];
    Map<String, long[]> vars = new LinkedHashMap<>();
    for (int i = 0; i < nodes.size(); i++) {
      Node n = nodes.get(i);
      try {
        out[i] = inferNode(graph, n, out, dataShape, vars);
      } catch (IllegalArgumentException | ArithmeticException e) {
        throw new ImgclassException("node " + i + " '" + n.name() + "' (" + n.op() + "): " + e.getMessage(), e);
      }
    }
    Map<String, long[]> params = new LinkedHashMap<>();
    for (String p : graph.parameterNames()) {
      params.put(p, require(vars, p));
    }
    Map<String, long[]> aux = new LinkedHashMap<>();
    for (String a : graph.auxiliaryNames()) {
      aux.put(a, require(vars, a));
    }
    return new Shapes(Arrays.asList(out), params, aux);
  }

  private static long[] require(Map<String, long[]> vars, String name) {
    long[] s = vars.get(name);
    if (s == null) {
      throw new ImgclassException("variable '" + name + "' is not consumed by any op whose shape rules are known");
    }
    return s;
  }

  private static long[] inferNode(Graph g, Node n, long[][] out, long[] dataShape, Map<String, long[]> vars) {
    if (n.isVariable()) {
      if (n.name().equals(Graph.DATA)) {
        return dataShape.clone();
      }
      return null; // decided by the consumer
    }
    long[] x = out[n.inputs().get(0).node()];
    if (x == null) {
      throw new IllegalArgumentException("its data input has no known shape");
    }
    switch (n.op()) {
      case "_copy", "Cast", "Activation" -> {
        return x.clone();
      }
      case "elemwise_add" -> {
        long[] y = out[n.inputs().get(1).node()];
        if (!Arrays.equals(x, y)) {
          throw new IllegalArgumentException("adds " + Arrays.toString(x) + " and " + Arrays.toString(y));
        }
        return x.clone();
      }
      case "BatchNorm" -> {
        long[] c = {x[1]};
        for (int k = 1; k < n.inputs().size(); k++) {
          bind(g, vars, n, k, c);
        }
        return x.clone();
      }
      case "Convolution" -> {
        requireRank(x, 4);
        int[] k = OpSet.intTuple(n, "kernel", 2, 1);
        int[] s = OpSet.intTuple(n, "stride", 2, 1);
        int[] p = OpSet.intTuple(n, "pad", 2, 0);
        int[] d = OpSet.intTuple(n, "dilate", 2, 1);
        int groups = OpSet.integer(n, "num_group", 1);
        long f = OpSet.integer(n, "num_filter", -1);
        if (f <= 0) {
          throw new IllegalArgumentException("num_filter missing");
        }
        bind(g, vars, n, 1, new long[] {f, x[1] / groups, k[0], k[1]});
        if (!OpSet.bool(n, "no_bias", false)) {
          bind(g, vars, n, 2, new long[] {f});
        }
        long h = (x[2] + 2L * p[0] - (long) d[0] * (k[0] - 1) - 1) / s[0] + 1;
        long w = (x[3] + 2L * p[1] - (long) d[1] * (k[1] - 1) - 1) / s[1] + 1;
        if (h <= 0 || w <= 0) {
          throw new IllegalArgumentException("input " + Arrays.toString(x) + " is too small for kernel " + Arrays.toString(k));
        }
        return new long[] {x[0], f, h, w};
      }
      case "Pooling" -> {
        requireRank(x, 4);
        if (OpSet.bool(n, "global_pool", false)) {
          return new long[] {x[0], x[1], 1, 1};
        }
        int[] k = OpSet.intTuple(n, "kernel", 2, 1);
        int[] s = OpSet.intTuple(n, "stride", 2, 1);
        int[] p = OpSet.intTuple(n, "pad", 2, 0);
        boolean full = "full".equals(n.attr("pooling_convention"));
        long h = pooled(x[2], k[0], s[0], p[0], full);
        long w = pooled(x[3], k[1], s[1], p[1], full);
        if (h <= 0 || w <= 0) {
          throw new IllegalArgumentException("input " + Arrays.toString(x) + " is too small for kernel " + Arrays.toString(k));
        }
        return new long[] {x[0], x[1], h, w};
      }
      case "Flatten" -> {
        return new long[] {x[0], numel(x) / x[0]};
      }
      case "FullyConnected" -> {
        long hidden = OpSet.integer(n, "num_hidden", -1);
        boolean flatten = OpSet.bool(n, "flatten", true);
        long in = flatten ? numel(x) / x[0] : x[x.length - 1];
        bind(g, vars, n, 1, new long[] {hidden, in});
        if (!OpSet.bool(n, "no_bias", false)) {
          bind(g, vars, n, 2, new long[] {hidden});
        }
        return new long[] {x[0], hidden};
      }
      case "SoftmaxOutput", "LogisticRegressionOutput" -> {
        return x.clone();
      }
      default -> throw new IllegalArgumentException("op '" + n.op() + "' is not in the ResNet op set " + OpSet.OPS);
    }
  }

  private static long pooled(long size, int k, int s, int p, boolean full) {
    long span = size + 2L * p - k;
    return (full ? Math.floorDiv(span + s - 1, s) : Math.floorDiv(span, s)) + 1;
  }

  private static void requireRank(long[] x, int rank) {
    if (x.length != rank) {
      throw new IllegalArgumentException("needs a rank-" + rank + " input, got " + Arrays.toString(x));
    }
  }

  private static void bind(Graph g, Map<String, long[]> vars, Node n, int input, long[] shape) {
    if (input >= n.inputs().size()) {
      throw new IllegalArgumentException("missing input " + input);
    }
    Node v = g.nodes().get(n.inputs().get(input).node());
    if (!v.isVariable()) {
      throw new IllegalArgumentException("input " + input + " must be a variable, is '" + v.name() + "'");
    }
    long[] old = vars.putIfAbsent(v.name(), shape);
    if (old != null && !Arrays.equals(old, shape)) {
      throw new IllegalArgumentException("variable '" + v.name() + "' used with shapes " + Arrays.toString(old) + " and " + Arrays.toString(shape));
    }
  }
}
