package io.imgclass.core.model;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One node of the network graph, as nnvm stores it: an operator (or {@code "null"} for a variable),
 * a unique name, string attributes exactly as MXNet writes them, and its inputs.
 *
 * @param op operator name, {@link #VARIABLE} for a variable (data, label, parameter, aux state)
 * @param name unique node name ({@code conv0}, {@code stage1_unit1_bn1_gamma}, ...)
 * @param attrs attribute strings ({@code "kernel" -> "(3, 3)"}), kept sorted by key as nnvm writes
 *     them
 * @param inputs the entries this node consumes, in operator argument order
 */
public record Node(String op, String name, Map<String, String> attrs, List<Entry> inputs) {

  /** The op of variable nodes. */
  public static final String VARIABLE = "null";

  /**
   * One output of one node, used as an input.
   *
   * @param node index of the producing node in {@link Graph#nodes()}
   * @param index which output of that node (BatchNorm has 3, only output 0 is used)
   * @param version 1 for BatchNorm's auxiliary states (moving mean / var, which the op mutates), 0
   *     otherwise
   */
  public record Entry(int node, int index, int version) {}

  /** Copies the collections so the node is immutable. */
  public Node {
    Objects.requireNonNull(op, "op");
    Objects.requireNonNull(name, "name");
    attrs = Collections.unmodifiableSortedMap(new TreeMap<>(attrs));
    inputs = List.copyOf(inputs);
  }

  /** True for variables (op {@code "null"}). */
  public boolean isVariable() {
    return VARIABLE.equals(op);
  }

  /** The attribute value, or {@code null}. */
  public String attr(String key) {
    return attrs.get(key);
  }
}
