package io.imgclass.core.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable network graph in nnvm's form: nodes in topological (depth-first post-order) order,
 * each input written before its consumer, plus the output entries ({@code heads}).
 *
 * <p>This one description is what the symbol JSON is written from and read into, what shapes and
 * parameter counts are inferred from, and what the engines run, so they cannot drift apart.
 *
 * @param nodes the nodes; an input always refers to an earlier node
 * @param heads the graph outputs (for our networks, output 0 of the {@code softmax} node)
 */
public record Graph(List<Node> nodes, List<Node.Entry> heads) {

  /** Name of the input variable. */
  public static final String DATA = "data";

  /** Checks that names are unique and every input refers to an earlier node. */
  public Graph {
    nodes = List.copyOf(nodes);
    heads = List.copyOf(heads);
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < nodes.size(); i++) {
      Node n = nodes.get(i);
      if (seen.put(n.name(), i) != null) {
        throw new IllegalArgumentException("duplicate node name '" + n.name() + "' (node " + i + ")");
      }
      for (Node.Entry e : n.inputs()) {
        if (e.node() < 0 || e.node() >= i) {
          throw new IllegalArgumentException(
              "node " + i + " ('" + n.name() + "') has input " + e.node() + ", which is not an earlier node");
        }
      }
    }
    for (Node.Entry h : heads) {
      if (h.node() < 0 || h.node() >= nodes.size()) {
        throw new IllegalArgumentException("head refers to node " + h.node() + " of " + nodes.size());
      }
    }
  }

  /**
   * Number of outputs nnvm counts for an operator, as an MKL-DNN build of MXNet (SageMaker's, and
   * the one DJL ships) writes them into {@code node_row_ptr}: BatchNorm 3 (output, mean, var), max
   * Pooling 2 (output and the MKL-DNN workspace), everything else 1. Readers ignore the field.
   */
  public static int numOutputs(Node node) {
    if ("BatchNorm".equals(node.op())) {
      return 3;
    }
    if ("Pooling".equals(node.op()) && "max".equals(node.attr("pool_type"))
        && !OpSet.bool(node, "global_pool", false)) {
      return 2;
    }
    return 1;
  }

  /** Indices of the variable nodes, nnvm's {@code arg_nodes}. */
  public List<Integer> argNodes() {
    List<Integer> ids = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      if (nodes.get(i).isVariable()) {
        ids.add(i);
      }
    }
    return ids;
  }

  /** nnvm's {@code node_row_ptr}: cumulative output counts, starting with 0. */
  public List<Integer> nodeRowPtr() {
    List<Integer> ptr = new ArrayList<>(nodes.size() + 1);
    int total = 0;
    ptr.add(0);
    for (Node n : nodes) {
      total += numOutputs(n);
      ptr.add(total);
    }
    return ptr;
  }

  /** The index of the node with this name, or -1. */
  public int indexOf(String name) {
    for (int i = 0; i < nodes.size(); i++) {
      if (nodes.get(i).name().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  /** The node with this name. */
  public Node node(String name) {
    int i = indexOf(name);
    if (i < 0) {
      throw new IllegalArgumentException("no node named '" + name + "'");
    }
    return nodes.get(i);
  }

  /**
   * Whether the variable node at {@code index} is an auxiliary state (consumed with version 1, as
   * BatchNorm's moving mean and variance are).
   */
  public boolean isAuxiliary(int index) {
    for (Node n : nodes) {
      for (Node.Entry e : n.inputs()) {
        if (e.node() == index && e.version() == 1) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * The variable names MXNet's {@code list_arguments} gives (data, learnable parameters, labels),
   * in graph order.
   */
  public List<String> argumentNames() {
    return variables(false);
  }

  /** The auxiliary state names ({@code list_auxiliary_states}), in graph order. */
  public List<String> auxiliaryNames() {
    return variables(true);
  }

  private List<String> variables(boolean aux) {
    boolean[] isAux = new boolean[nodes.size()];
    for (Node n : nodes) {
      for (Node.Entry e : n.inputs()) {
        if (e.version() == 1) {
          isAux[e.node()] = true;
        }
      }
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      if (nodes.get(i).isVariable() && isAux[i] == aux) {
        out.add(nodes.get(i).name());
      }
    }
    return out;
  }

  /**
   * The learnable parameters: arguments other than {@code data} and label inputs (the variables that
   * feed a loss output's label slot).
   */
  public List<String> parameterNames() {
    List<String> labels = labelNames();
    List<String> out = new ArrayList<>();
    for (String a : argumentNames()) {
      if (!a.equals(DATA) && !labels.contains(a)) {
        out.add(a);
      }
    }
    return out;
  }

  /** Variables feeding the label input (input 1) of a loss output node, e.g. {@code softmax_label}. */
  public List<String> labelNames() {
    List<String> out = new ArrayList<>();
    for (Node n : nodes) {
      if (OpSet.isLossOutput(n.op()) && n.inputs().size() > 1) {
        Node label = nodes.get(n.inputs().get(1).node());
        if (label.isVariable()) {
          out.add(label.name());
        }
      }
    }
    return out;
  }

  /** Returns an equal graph whose nodes are re-ordered by nnvm's depth-first post-order from the heads. */
  public Graph canonical() {
    List<Integer> order = new ArrayList<>();
    boolean[] visited = new boolean[nodes.size()];
    for (Node.Entry h : heads) {
      visit(h.node(), visited, order);
    }
    int[] newIndex = new int[nodes.size()];
    java.util.Arrays.fill(newIndex, -1);
    for (int i = 0; i < order.size(); i++) {
      newIndex[order.get(i)] = i;
    }
    List<Node> out = new ArrayList<>(order.size());
    for (int old : order) {
      Node n = nodes.get(old);
      List<Node.Entry> ins = new ArrayList<>();
      for (Node.Entry e : n.inputs()) {
        ins.add(new Node.Entry(newIndex[e.node()], e.index(), e.version()));
      }
      out.add(new Node(n.op(), n.name(), n.attrs(), ins));
    }
    List<Node.Entry> hs = new ArrayList<>();
    for (Node.Entry h : heads) {
      hs.add(new Node.Entry(newIndex[h.node()], h.index(), h.version()));
    }
    return new Graph(out, hs);
  }

  private void visit(int root, boolean[] visited, List<Integer> order) {
    // Iterative post-order: a ResNet-200 is ~2,000 nodes deep along its main path.
    record Frame(int node, int next) {}
    java.util.ArrayDeque<Frame> stack = new java.util.ArrayDeque<>();
    if (visited[root]) {
      return;
    }
    visited[root] = true;
    stack.push(new Frame(root, 0));
    while (!stack.isEmpty()) {
      Frame f = stack.pop();
      List<Node.Entry> ins = nodes.get(f.node()).inputs();
      if (f.next() < ins.size()) {
        stack.push(new Frame(f.node(), f.next() + 1));
        int child = ins.get(f.next()).node();
        if (!visited[child]) {
          visited[child] = true;
          stack.push(new Frame(child, 0));
        }
      } else {
        order.add(f.node());
      }
    }
  }
}
