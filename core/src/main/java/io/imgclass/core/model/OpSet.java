package io.imgclass.core.model;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The operators SageMaker's ResNets use, their older spellings, and the parsing of MXNet's
 * Python-style attribute strings ({@code "(3, 3)"}, {@code "True"}, {@code "2e-05"}).
 */
public final class OpSet {
  /** Canonical op names this project builds, reads and runs. */
  public static final Set<String> OPS =
      Set.of(
          Node.VARIABLE,
          "_copy",
          "Cast",
          "BatchNorm",
          "Convolution",
          "Activation",
          "Pooling",
          "elemwise_add",
          "Flatten",
          "FullyConnected",
          "SoftmaxOutput",
          "LogisticRegressionOutput");

  /** Older or alternative names MXNet registers for the same operators. */
  private static final Map<String, String> ALIASES =
      Map.ofEntries(
          Map.entry("identity", "_copy"),
          Map.entry("_Plus", "elemwise_add"),
          Map.entry("_plus", "elemwise_add"),
          Map.entry("_add", "elemwise_add"),
          Map.entry("flatten", "Flatten"),
          Map.entry("Softmax", "SoftmaxOutput"),
          Map.entry("cast", "Cast"));

  private OpSet() {}

  /** The canonical name for {@code op}, or {@code null} when it is not in the set. */
  public static String canonical(String op) {
    if (OPS.contains(op)) {
      return op;
    }
    return ALIASES.get(op);
  }

  /** True for the output ops that take a label as input 1. */
  public static boolean isLossOutput(String op) {
    return "SoftmaxOutput".equals(op) || "LogisticRegressionOutput".equals(op);
  }

  /** Parses {@code "(3, 3)"}, {@code "[3,3]"}, {@code "(3,)"} or {@code "3"} into ints. */
  public static int[] intTuple(String value) {
    String s = value.strip();
    if (s.startsWith("(") || s.startsWith("[")) {
      s = s.substring(1, s.length() - 1);
    }
    if (s.isBlank()) {
      return new int[0];
    }
    String[] parts = s.split(",");
    int n = parts[parts.length - 1].isBlank() ? parts.length - 1 : parts.length;
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      String p = parts[i].strip();
      if (p.endsWith("L")) {
        p = p.substring(0, p.length() - 1); // Python 2 longs, as old symbols sometimes carry
      }
      out[i] = Integer.parseInt(p);
    }
    return out;
  }

  /** A tuple attribute, or {@code dflt} when absent; a scalar is broadcast to {@code dims} values. */
  public static int[] intTuple(Node node, String key, int dims, int dflt) {
    String v = node.attr(key);
    int[] out = new int[dims];
    java.util.Arrays.fill(out, dflt);
    if (v == null) {
      return out;
    }
    int[] t = intTuple(v);
    if (t.length == 0) {
      return out;
    }
    if (t.length == 1) {
      java.util.Arrays.fill(out, t[0]);
      return out;
    }
    if (t.length != dims) {
      throw new IllegalArgumentException(
          "node '" + node.name() + "': " + key + "=" + v + " has " + t.length + " values, expected " + dims);
    }
    return t;
  }

  /** Parses MXNet booleans: True/False, true/false, 1/0. */
  public static boolean bool(String value) {
    String s = value.strip().toLowerCase(Locale.ROOT);
    return switch (s) {
      case "true", "1" -> true;
      case "false", "0" -> false;
      default -> throw new IllegalArgumentException("not a boolean: '" + value + "'");
    };
  }

  /** A boolean attribute, or {@code dflt} when absent. */
  public static boolean bool(Node node, String key, boolean dflt) {
    String v = node.attr(key);
    return v == null ? dflt : bool(v);
  }

  /** An int attribute, or {@code dflt} when absent. */
  public static int integer(Node node, String key, int dflt) {
    String v = node.attr(key);
    return v == null ? dflt : Integer.parseInt(v.strip());
  }

  /** A float attribute, or {@code dflt} when absent. */
  public static double number(Node node, String key, double dflt) {
    String v = node.attr(key);
    return v == null ? dflt : Double.parseDouble(v.strip());
  }

  /** Formats an int tuple as Python prints it: {@code (3, 3)}. */
  public static String tuple(int... values) {
    StringBuilder b = new StringBuilder("(");
    for (int i = 0; i < values.length; i++) {
      if (i > 0) {
        b.append(", ");
      }
      b.append(values[i]);
    }
    if (values.length == 1) {
      b.append(',');
    }
    return b.append(')').toString();
  }

  /** Formats a boolean as Python prints it. */
  public static String pyBool(boolean v) {
    return v ? "True" : "False";
  }
}
