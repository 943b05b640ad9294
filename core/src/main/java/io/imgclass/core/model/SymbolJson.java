package io.imgclass.core.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imgclass.core.ImgclassException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes and reads MXNet symbol JSON (nnvm {@code SaveJSON}, spec §6.2).
 *
 * <p>The writer reproduces dmlc's JSON writer byte for byte as seen in SageMaker's artifacts: two
 * spaces per level, {@code ", "} before each line break, objects on one line when they have at most
 * one key, number arrays on one line up to 10 items. It writes {@code mxnet_version} 10300 (MXNet
 * 1.3.0): that is what SageMaker's artifacts carry, every later MXNet loads it without an upgrade
 * step for this op set, and it keeps our files structurally identical to SageMaker's.
 *
 * <p>The reader accepts the op set of SageMaker's ResNets in current and older spellings:
 * {@code attrs}, {@code attr} or {@code param} objects; two-element entries without a version;
 * op aliases ({@code _Plus}, {@code identity}, {@code Softmax}, ...); and pre-0.9 BatchNorm nodes
 * with only three inputs, whose moving statistics it adds as {@code NAME_moving_mean} /
 * {@code NAME_moving_var} variables as MXNet's own upgrade does.
 */
public final class SymbolJson {
  /** The version we write: MXNet 1.3.0, as SageMaker's artifacts. */
  public static final int MXNET_VERSION = 10300;

  /**
   * MXNet's version number for a version string, {@code "1.9.0"} → 10900. Graphs handed to the
   * running engine carry the engine's own number, so MXNet loads them without its legacy-upgrade pass
   * (a no-op for these ops that logs two lines on stderr for every load; a higher number draws a
   * warning instead); files for users keep {@link #MXNET_VERSION}.
   */
  public static int versionNumber(String version) {
    String[] p = version.split("[.]");
    try {
      return Integer.parseInt(p[0]) * 10000 + (p.length > 1 ? Integer.parseInt(p[1]) * 100 : 0)
          + (p.length > 2 ? Integer.parseInt(p[2].replaceAll("\\D.*", "")) : 0);
    } catch (NumberFormatException e) {
      return MXNET_VERSION;
    }
  }

  private SymbolJson() {}

  /** Serialises the graph as SageMaker's artifacts have it ({@link #MXNET_VERSION}). */
  public static String write(Graph graph) {
    return write(graph, MXNET_VERSION);
  }

  /** Serialises the graph, stamping {@code mxnet_version} with {@code version}. */
  public static String write(Graph graph, int version) {
    StringBuilder b = new StringBuilder();
    b.append("{\n  \"nodes\": [");
    List<Node> nodes = graph.nodes();
    for (int i = 0; i < nodes.size(); i++) {
      Node n = nodes.get(i);
      b.append(i == 0 ? "" : ", ").append("\n    {");
      b.append("\n      \"op\": ").append(quote(n.op())).append(", ");
      b.append("\n      \"name\": ").append(quote(n.name())).append(", ");
      if (!n.attrs().isEmpty()) {
        b.append("\n      \"attrs\": ");
        writeAttrs(b, n.attrs(), 6);
        b.append(", ");
      }
      b.append("\n      \"inputs\": ");
      writeEntries(b, n.inputs());
      b.append("\n    }");
    }
    b.append("\n  ], \n  \"arg_nodes\": ");
    writeInts(b, graph.argNodes(), 2);
    b.append(", \n  \"node_row_ptr\": ");
    writeInts(b, graph.nodeRowPtr(), 2);
    b.append(", \n  \"heads\": ");
    writeEntries(b, graph.heads());
    b.append(", \n  \"attrs\": {\"mxnet_version\": [\"int\", ").append(version).append("]}\n}");
    return b.toString();
  }

  private static void writeAttrs(StringBuilder b, Map<String, String> attrs, int indent) {
    if (attrs.size() == 1) {
      Map.Entry<String, String> e = attrs.entrySet().iterator().next();
      b.append('{').append(quote(e.getKey())).append(": ").append(quote(e.getValue())).append('}');
      return;
    }
    b.append('{');
    String pad = " ".repeat(indent + 2);
    boolean first = true;
    for (Map.Entry<String, String> e : attrs.entrySet()) {
      b.append(first ? "" : ", ").append('\n').append(pad);
      b.append(quote(e.getKey())).append(": ").append(quote(e.getValue()));
      first = false;
    }
    b.append('\n').append(" ".repeat(indent)).append('}');
  }

  private static void writeEntries(StringBuilder b, List<Node.Entry> entries) {
    b.append('[');
    for (int i = 0; i < entries.size(); i++) {
      Node.Entry e = entries.get(i);
      b.append(i == 0 ? "" : ", ").append('[').append(e.node()).append(", ").append(e.index()).append(", ")
          .append(e.version()).append(']');
    }
    b.append(']');
  }

  private static void writeInts(StringBuilder b, List<Integer> values, int indent) {
    boolean multi = values.size() > 10;
    b.append('[');
    for (int i = 0; i < values.size(); i++) {
      b.append(i == 0 ? "" : ", ");
      if (multi) {
        b.append('\n').append(" ".repeat(indent + 2));
      }
      b.append(values.get(i));
    }
    if (multi) {
      b.append('\n').append(" ".repeat(indent));
    }
    b.append(']');
  }

  private static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> b.append(c);
      }
    }
    return b.append('"').toString();
  }

  /**
   * Parses a symbol JSON into a graph.
   *
   * @param json the file content
   * @param source the file name, for messages
   * @throws ImgclassException naming the source and node when the symbol is malformed or uses an op
   *     outside the ResNet op set
   */
  public static Graph read(String json, String source) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(json);
    } catch (JsonProcessingException e) {
      // A constraint failure (nesting deeper than Jackson's 1000 levels, say) has no location.
      String where = e.getLocation() == null ? ""
          : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
      throw new ImgclassException(source + ": not valid JSON" + where + ": " + e.getOriginalMessage());
    }
    if (root == null || !root.path("nodes").isArray()) {
      throw new ImgclassException(source + ": not an MXNet symbol (no \"nodes\" array)");
    }
    JsonNode jnodes = root.get("nodes");
    // Old symbols may omit BatchNorm's aux inputs; new variables are inserted, so map old ids.
    List<Node> nodes = new ArrayList<>();
    int[] newId = new int[jnodes.size()];
    for (int i = 0; i < jnodes.size(); i++) {
      JsonNode jn = jnodes.get(i);
      String rawOp = jn.path("op").asText(null);
      String name = jn.path("name").asText(null);
      if (rawOp == null || name == null) {
        throw new ImgclassException(source + ": node " + i + " lacks \"op\" or \"name\"");
      }
      String op = OpSet.canonical(rawOp);
      if (op == null) {
        throw new ImgclassException(
            source + ": node " + i + " '" + name + "' uses op '" + rawOp
                + "', which is not in the op set of SageMaker's ResNets " + OpSet.OPS);
      }
      Map<String, String> attrs = new LinkedHashMap<>();
      for (String key : List.of("param", "attr", "attrs")) {
        JsonNode a = jn.get(key);
        if (a != null && a.isObject()) {
          for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            attrs.put(e.getKey(), e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString());
          }
        }
      }
      List<Node.Entry> inputs = new ArrayList<>();
      JsonNode jin = jn.path("inputs");
      for (int k = 0; k < jin.size(); k++) {
        Node.Entry e = entry(jin.get(k), source, "node " + i + " '" + name + "' input " + k);
        if (e.node() >= i) {
          throw new ImgclassException(
              source + ": node " + i + " '" + name + "' input " + k + " refers to node " + e.node() + ", not an earlier node");
        }
        inputs.add(new Node.Entry(newId[e.node()], e.index(), e.version()));
      }
      if ("BatchNorm".equals(op) && inputs.size() == 3) {
        nodes.add(new Node(Node.VARIABLE, name + "_moving_mean", Map.of(), List.of()));
        inputs.add(new Node.Entry(nodes.size() - 1, 0, 1));
        nodes.add(new Node(Node.VARIABLE, name + "_moving_var", Map.of(), List.of()));
        inputs.add(new Node.Entry(nodes.size() - 1, 0, 1));
      }
      if ("BatchNorm".equals(op) && inputs.size() == 5) {
        inputs.set(3, withVersion(inputs.get(3), 1));
        inputs.set(4, withVersion(inputs.get(4), 1));
      }
      newId[i] = nodes.size();
      nodes.add(new Node(op, name, attrs, inputs));
    }
    JsonNode jheads = root.path("heads");
    if (!jheads.isArray() || jheads.isEmpty()) {
      throw new ImgclassException(source + ": no \"heads\"");
    }
    List<Node.Entry> heads = new ArrayList<>();
    for (int k = 0; k < jheads.size(); k++) {
      Node.Entry e = entry(jheads.get(k), source, "head " + k);
      if (e.node() >= jnodes.size()) {
        throw new ImgclassException(source + ": head " + k + " refers to node " + e.node() + " of " + jnodes.size());
      }
      heads.add(new Node.Entry(newId[e.node()], e.index(), e.version()));
    }
    try {
      return new Graph(nodes, heads).canonical();
    } catch (IllegalArgumentException e) {
      throw new ImgclassException(source + ": " + e.getMessage());
    }
  }

  private static Node.Entry withVersion(Node.Entry e, int version) {
    return new Node.Entry(e.node(), e.index(), version);
  }

  private static Node.Entry entry(JsonNode j, String source, String where) {
    if (j == null || !j.isArray() || j.size() < 2 || j.size() > 3 || !j.get(0).canConvertToInt()) {
      throw new ImgclassException(source + ": " + where + " is not [node, index(, version)]: " + j);
    }
    int node = j.get(0).asInt();
    if (node < 0) {
      throw new ImgclassException(source + ": " + where + " refers to node " + node);
    }
    return new Node.Entry(node, j.get(1).asInt(), j.size() == 3 ? j.get(2).asInt() : 0);
  }

  /** The {@code mxnet_version} a symbol JSON declares, or 800 (0.8.0) when absent, as MXNet assumes. */
  public static int declaredVersion(String json) {
    try {
      JsonNode v = new ObjectMapper().readTree(json).path("attrs").path("mxnet_version");
      return v.isArray() && v.size() == 2 ? v.get(1).asInt() : 800;
    } catch (JsonProcessingException e) {
      return 800;
    }
  }
}
