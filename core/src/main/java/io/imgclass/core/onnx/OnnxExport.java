package io.imgclass.core.onnx;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imgclass.core.ImgclassException;
import io.imgclass.core.model.Graph;
import io.imgclass.core.model.ImageShape;
import io.imgclass.core.model.Node;
import io.imgclass.core.model.OpSet;
import io.imgclass.core.model.ParamSet;
import io.imgclass.core.model.ShapeInference;
import io.imgclass.core.model.Tensor;
import io.imgclass.core.onnx.proto.Onnx;
import io.imgclass.core.onnx.proto.Onnx.AttributeProto;
import io.imgclass.core.onnx.proto.Onnx.NodeProto;
import io.imgclass.core.onnx.proto.Onnx.TensorProto;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Converts a network {@link Graph} with its {@link ParamSet} (a SageMaker or imgclass
 * {@code model.tar.gz}) into an ONNX model: opset {@value #OPSET}, input {@code data} of shape
 * {@code [batch, C, H, W]} (raw 0–255 values, as the symbol takes them), output 0 the head's
 * probabilities ({@code Softmax} for {@code SoftmaxOutput}, {@code Sigmoid} for
 * {@code LogisticRegressionOutput}), class names and image shape in {@code metadata_props}.
 *
 * <p>Operator mapping (MXNet → ONNX): Convolution → Conv, BatchNorm → BatchNormalization (with
 * {@code fix_gamma} the stored gamma is replaced by ones, as MXNet ignores it), Activation → Relu /
 * Sigmoid / Tanh / Softplus, Pooling → MaxPool / AveragePool ({@code count_include_pad=1}, MXNet's
 * default; {@code pooling_convention=full} → {@code ceil_mode=1}) / GlobalAveragePool /
 * GlobalMaxPool, Flatten → Flatten, FullyConnected → (Flatten) Gemm with {@code transB=1},
 * elemwise_add → Add. {@code _copy} and {@code Cast} become nothing (their output is their input):
 * inference is float32, as on the MXNet path ({@link io.imgclass.core.model.NetworkRunner}).
 *
 * <p>With {@link Options#foldBatchNorm}, a BatchNorm whose input is a Convolution used by nothing
 * else is folded into that convolution's weights and bias, which is exact algebra (up to float
 * rounding). BatchNorms before a convolution (the pre-activation {@code bn1} of each v2 unit,
 * {@code bn_data}) are not folded: the convolution's zero padding would see the BatchNorm's
 * shift, so the fold would change the border outputs.
 */
public final class OnnxExport {
  /** The ONNX operator set written. */
  public static final int OPSET = 13;
  /** ONNX IR version for opset 13 (ONNX 1.8). */
  public static final int IR_VERSION = 7;
  /** Name of the output (MXNet names its head's output {@code softmax_output}). */
  public static final String OUTPUT = "softmax_output";
  /** Metadata key: class names as a JSON array (empty when the artifact has none). */
  public static final String META_CLASSES = "imgclass.classes";
  /** Metadata key: C,H,W. */
  public static final String META_SHAPE = "imgclass.image_shape";
  /** Metadata key: number of outputs per image. */
  public static final String META_NUM_CLASSES = "imgclass.num_classes";
  /** Metadata key: {@code true} for a sigmoid (multi-label) head. */
  public static final String META_MULTI_LABEL = "imgclass.multi_label";

  /**
   * Export choices.
   *
   * @param foldBatchNorm fold BatchNorms that follow a convolution into it
   */
  public record Options(boolean foldBatchNorm) {
    /** The defaults: folding on. */
    public static Options defaults() {
      return new Options(true);
    }
  }

  private final Graph graph;
  private final ParamSet params;
  private final ImageShape shape;
  private final Options options;
  private final String[] names;
  private final List<NodeProto> nodes = new ArrayList<>();
  private final Map<String, TensorProto> initializers = new LinkedHashMap<>();
  private final int[] consumers;

  private OnnxExport(Graph graph, ParamSet params, ImageShape shape, Options options) {
    this.graph = graph;
    this.params = params;
    this.shape = shape;
    this.options = options;
    this.names = new String[graph.nodes().size()];
    this.consumers = new int[graph.nodes().size()];
    for (Node n : graph.nodes()) {
      for (Node.Entry e : n.inputs()) {
        consumers[e.node()]++;
      }
    }
    for (Node.Entry h : graph.heads()) {
      consumers[h.node()]++;
    }
  }

  /**
   * Converts a network.
   *
   * @param graph the network
   * @param params its parameters; checked against the graph's shapes at {@code shape}
   * @param shape the input C,H,W
   * @param classes class names by label index (may be empty)
   * @param options export choices
   * @throws ImgclassException when the graph has an operator or attribute ONNX export does not cover
   */
  public static Onnx.ModelProto convert(
      Graph graph, ParamSet params, ImageShape shape, List<String> classes, Options options) {
    ShapeInference.Shapes shapes =
        ShapeInference.infer(graph, new long[] {1, shape.channels(), shape.height(), shape.width()});
    ParamSet checked = params.matching(shapes, "params");
    if (graph.heads().size() != 1) {
      throw new ImgclassException("the graph has " + graph.heads().size() + " outputs; ONNX export takes one head");
    }
    long[] out = shapes.outputs().get(graph.heads().get(0).node());
    int numClasses = (int) out[out.length - 1];
    if (!classes.isEmpty() && classes.size() != numClasses) {
      throw new ImgclassException(
          "the artifact names " + classes.size() + " classes but the network has " + numClasses + " outputs");
    }
    OnnxExport x = new OnnxExport(graph, checked, shape, options);
    Onnx.GraphProto g = x.build(numClasses);
    Node head = graph.nodes().get(graph.heads().get(0).node());
    Onnx.ModelProto.Builder m =
        Onnx.ModelProto.newBuilder()
            .setIrVersion(IR_VERSION)
            .setProducerName("imgclass")
            .setProducerVersion(version())
            .setModelVersion(1)
            .setDocString("SageMaker image-classification network exported by imgclass: input data = raw 0-255 CHW"
                + " pixels, output " + OUTPUT + " = class probabilities")
            .setGraph(g)
            .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET));
    m.addMetadataProps(meta(META_SHAPE, shape.channels() + "," + shape.height() + "," + shape.width()));
    m.addMetadataProps(meta(META_NUM_CLASSES, Integer.toString(numClasses)));
    m.addMetadataProps(meta(META_MULTI_LABEL, Boolean.toString("LogisticRegressionOutput".equals(head.op()))));
    try {
      m.addMetadataProps(meta(META_CLASSES, new ObjectMapper().writeValueAsString(classes)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    return m.build();
  }

  /**
   * What {@link #exportFile} wrote.
   *
   * @param target the .onnx file
   * @param bytes its size
   * @param nodes ONNX nodes
   * @param foldedBatchNorms BatchNorms folded into convolutions
   * @param imageShape the input C,H,W
   * @param numClasses outputs per image
   */
  public record Summary(Path target, long bytes, int nodes, int foldedBatchNorms, ImageShape imageShape, int numClasses) {}

  /**
   * Reads a {@code model.tar.gz} (or folder), converts it and writes the ONNX model atomically.
   *
   * @param shape the input C,H,W, or {@code null} for the artifact's {@code model-shapes.json}
   */
  public static Summary exportFile(Path model, ImageShape shape, Options options, Path target) throws IOException {
    io.imgclass.core.model.ModelArtifact a = io.imgclass.core.model.ModelArchive.read(model);
    ImageShape s = shape != null ? shape : a.imageShape();
    if (s == null) {
      throw new io.imgclass.core.UsageException(model + ": no " + io.imgclass.core.model.ModelArchive.SHAPES
          + "; give --image-shape");
    }
    Onnx.ModelProto m;
    try {
      m = convert(a.graph(), a.params(), s, a.classes(), options);
    } catch (ImgclassException | IllegalArgumentException e) {
      throw new ImgclassException(model + ": " + e.getMessage(), e);
    }
    write(m, target);
    long bn = a.graph().nodes().stream().filter(n -> "BatchNorm".equals(n.op())).count();
    long bnLeft = m.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("BatchNormalization")).count();
    int classes = OnnxModels.describe(m, new byte[0]).numClasses();
    return new Summary(target, Files.size(target), m.getGraph().getNodeCount(), (int) (bn - bnLeft), s, classes);
  }

  /** Writes a model to {@code target} through a temporary file in the same folder, renamed when complete. */
  public static void write(Onnx.ModelProto model, Path target) throws IOException {
    Path abs = target.toAbsolutePath();
    Path dir = abs.getParent();
    Path tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
    try {
      try (OutputStream out = Files.newOutputStream(tmp)) {
        model.writeTo(out);
      }
      Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static String version() {
    String v = OnnxExport.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  private static Onnx.StringStringEntryProto meta(String k, String v) {
    return Onnx.StringStringEntryProto.newBuilder().setKey(k).setValue(v).build();
  }

  private Onnx.GraphProto build(int numClasses) {
    List<Node> ns = graph.nodes();
    Map<Integer, Integer> foldInto = new HashMap<>(); // conv index -> the BatchNorm folded into it
    if (options.foldBatchNorm()) {
      for (int i = 0; i < ns.size(); i++) {
        Node n = ns.get(i);
        if ("BatchNorm".equals(n.op())) {
          int src = n.inputs().get(0).node();
          if ("Convolution".equals(ns.get(src).op()) && consumers[src] == 1 && weightOnlyUsedBy(src)) {
            foldInto.put(src, i);
          }
        }
      }
    }
    Set<Integer> folded = new HashSet<>(foldInto.values());
    for (int i = 0; i < ns.size(); i++) {
      Node n = ns.get(i);
      String op = n.isVariable() ? Node.VARIABLE : OpSet.canonical(n.op());
      if (op == null) {
        throw new ImgclassException("node '" + n.name() + "': operator " + n.op() + " has no ONNX export");
      }
      if (n.isVariable()) {
        // data is the graph input; parameters become initializers when an operator uses them
        // (below); labels are used by nothing that is exported.
        names[i] = n.name();
        continue;
      }
      String x = in(n, 0);
      switch (op) {
        case "_copy", "Cast" -> names[i] = x;
        case "Convolution" -> {
          names[i] = n.name();
          if (foldInto.containsKey(i)) {
            convolutionFolded(n, ns.get(foldInto.get(i)), x);
            names[foldInto.get(i)] = n.name();
          } else {
            convolution(n, x);
          }
        }
        case "BatchNorm" -> {
          if (!folded.contains(i)) {
            names[i] = n.name();
            batchNorm(n, x);
          }
        }
        case "Activation" -> {
          names[i] = n.name();
          String t = n.attr("act_type") == null ? "relu" : n.attr("act_type");
          String onnxOp = switch (t) {
            case "relu" -> "Relu";
            case "sigmoid" -> "Sigmoid";
            case "tanh" -> "Tanh";
            case "softrelu" -> "Softplus";
            default -> throw new ImgclassException("node '" + n.name() + "': act_type " + t + " has no ONNX export");
          };
          add(onnxOp, n.name(), List.of(x));
        }
        case "Pooling" -> {
          names[i] = n.name();
          pooling(n, x);
        }
        case "Flatten" -> {
          names[i] = n.name();
          nodes.add(node("Flatten", n.name(), List.of(x), List.of(intAttr("axis", 1))));
        }
        case "FullyConnected" -> {
          names[i] = n.name();
          fullyConnected(n, x);
        }
        case "elemwise_add" -> {
          names[i] = n.name();
          add("Add", n.name(), List.of(x, in(n, 1)));
        }
        case "SoftmaxOutput" -> {
          names[i] = OUTPUT;
          nodes.add(node("Softmax", n.name(), List.of(x), List.of(intAttr("axis", -1)), OUTPUT));
        }
        case "LogisticRegressionOutput" -> {
          names[i] = OUTPUT;
          nodes.add(node("Sigmoid", n.name(), List.of(x), List.of(), OUTPUT));
        }
        default -> throw new ImgclassException("node '" + n.name() + "': operator " + n.op() + " has no ONNX export");
      }
    }
    String headName = names[graph.heads().get(0).node()];
    if (!OUTPUT.equals(headName)) {
      // A graph without a loss head (e.g. a feature extractor): name its output as ours.
      nodes.add(node("Identity", "output", List.of(headName), List.of(), OUTPUT));
    }
    Onnx.GraphProto.Builder g = Onnx.GraphProto.newBuilder().setName("imgclass");
    g.addAllNode(nodes);
    g.addAllInitializer(initializers.values());
    g.addInput(valueInfo(Graph.DATA, shape.channels(), shape.height(), shape.width()));
    g.addOutput(valueInfo(OUTPUT, numClasses));
    return g.build();
  }

  private boolean weightOnlyUsedBy(int conv) {
    int w = graph.nodes().get(conv).inputs().get(1).node();
    return consumers[w] == 1;
  }

  private String in(Node n, int k) {
    return names[n.inputs().get(k).node()];
  }

  private Tensor param(Node n, int k) {
    Node v = graph.nodes().get(n.inputs().get(k).node());
    Tensor t = params.get(v.name());
    if (t == null) {
      throw new ImgclassException("node '" + n.name() + "': no value for parameter " + v.name());
    }
    return t;
  }

  /** Adds the parameter at input {@code k} of {@code n} as an initializer and returns its name. */
  private String initializer(Node n, int k) {
    Node v = graph.nodes().get(n.inputs().get(k).node());
    if (!initializers.containsKey(v.name())) {
      initializers.put(v.name(), tensor(v.name(), param(n, k)));
    }
    return v.name();
  }

  private String initializer(String name, Tensor t) {
    String unique = name;
    for (int s = 1; initializers.containsKey(unique) || graph.indexOf(unique) >= 0; s++) {
      unique = name + "_" + s;
    }
    initializers.put(unique, tensor(unique, t));
    return unique;
  }

  private void convolution(Node n, String x) {
    List<String> ins = new ArrayList<>(List.of(x, initializer(n, 1)));
    if (!OpSet.bool(n, "no_bias", false)) {
      ins.add(initializer(n, 2));
    }
    nodes.add(node("Conv", n.name(), ins, convAttrs(n, param(n, 1))));
  }

  /**
   * Conv followed by BatchNorm: y = g·(conv(x, W) + b − μ)/√(σ²+ε) + β, i.e. a convolution with
   * W' = W·s and b' = (b − μ)·s + β where s = g/√(σ²+ε) per output channel.
   */
  private void convolutionFolded(Node conv, Node bn, String x) {
    Tensor w = param(conv, 1);
    long[] ws = w.shape();
    int outCh = (int) ws[0];
    int per = w.data().length / outCh;
    float[] b = OpSet.bool(conv, "no_bias", false) ? new float[outCh] : param(conv, 2).data().clone();
    float[] gamma = OpSet.bool(bn, "fix_gamma", true) ? null : param(bn, 1).data();
    float[] beta = param(bn, 2).data();
    float[] mean = param(bn, 3).data();
    float[] var = param(bn, 4).data();
    double eps = OpSet.number(bn, "eps", 1e-3);
    float[] wf = new float[w.data().length];
    float[] bf = new float[outCh];
    for (int o = 0; o < outCh; o++) {
      double s = (gamma == null ? 1.0 : gamma[o]) / Math.sqrt(var[o] + eps);
      for (int k = 0; k < per; k++) {
        wf[o * per + k] = (float) (w.data()[o * per + k] * s);
      }
      bf[o] = (float) ((b[o] - mean[o]) * s + beta[o]);
    }
    String wName = initializer(conv.name() + "_weight_folded", new Tensor(ws, wf));
    String bName = initializer(conv.name() + "_bias_folded", new Tensor(new long[] {outCh}, bf));
    nodes.add(node("Conv", conv.name(), List.of(x, wName, bName), convAttrs(conv, w)));
  }

  private List<AttributeProto> convAttrs(Node n, Tensor w) {
    long[] ws = w.shape();
    int dims = ws.length - 2;
    int[] k = OpSet.intTuple(n, "kernel", dims, 1);
    int[] s = OpSet.intTuple(n, "stride", dims, 1);
    int[] p = OpSet.intTuple(n, "pad", dims, 0);
    int[] d = OpSet.intTuple(n, "dilate", dims, 1);
    List<AttributeProto> a = new ArrayList<>();
    a.add(intsAttr("kernel_shape", k));
    a.add(intsAttr("strides", s));
    a.add(intsAttr("pads", pads(p)));
    a.add(intsAttr("dilations", d));
    a.add(intAttr("group", OpSet.integer(n, "num_group", 1)));
    return a;
  }

  /** MXNet pads both sides of each axis equally; ONNX lists all begins, then all ends. */
  private static int[] pads(int[] p) {
    int[] out = new int[p.length * 2];
    for (int i = 0; i < p.length; i++) {
      out[i] = p[i];
      out[p.length + i] = p[i];
    }
    return out;
  }

  private void batchNorm(Node n, String x) {
    String scale;
    if (OpSet.bool(n, "fix_gamma", true)) {
      // MXNet treats gamma as 1 under fix_gamma whatever the file holds (SageMaker's bn_data).
      Tensor g = param(n, 1);
      scale = initializer(n.name() + "_gamma_fixed", Tensor.filled(g.shape(), 1f));
    } else {
      scale = initializer(n, 1);
    }
    List<String> ins = List.of(x, scale, initializer(n, 2), initializer(n, 3), initializer(n, 4));
    nodes.add(node("BatchNormalization", n.name(), ins,
        List.of(floatAttr("epsilon", (float) OpSet.number(n, "eps", 1e-3)))));
  }

  private void pooling(Node n, String x) {
    String type = n.attr("pool_type") == null ? "max" : n.attr("pool_type");
    if (!type.equals("max") && !type.equals("avg")) {
      throw new ImgclassException("node '" + n.name() + "': pool_type " + type + " has no ONNX export");
    }
    if (OpSet.bool(n, "global_pool", false)) {
      add(type.equals("avg") ? "GlobalAveragePool" : "GlobalMaxPool", n.name(), List.of(x));
      return;
    }
    int[] k = OpSet.intTuple(n, "kernel", 2, 1);
    int[] s = OpSet.intTuple(n, "stride", 2, 1);
    int[] p = OpSet.intTuple(n, "pad", 2, 0);
    String conv = n.attr("pooling_convention") == null ? "valid" : n.attr("pooling_convention");
    if (!conv.equals("valid") && !conv.equals("full")) {
      throw new ImgclassException("node '" + n.name() + "': pooling_convention " + conv + " has no ONNX export");
    }
    List<AttributeProto> a = new ArrayList<>();
    a.add(intsAttr("kernel_shape", k));
    a.add(intsAttr("strides", s));
    a.add(intsAttr("pads", pads(p)));
    a.add(intAttr("ceil_mode", conv.equals("full") ? 1 : 0));
    if (type.equals("avg")) {
      a.add(intAttr("count_include_pad", OpSet.bool(n, "count_include_pad", true) ? 1 : 0));
    }
    nodes.add(node(type.equals("avg") ? "AveragePool" : "MaxPool", n.name(), List.of(x), a));
  }

  private void fullyConnected(Node n, String x) {
    String in = x;
    if (OpSet.bool(n, "flatten", true)) {
      in = n.name() + "_flatten";
      nodes.add(node("Flatten", n.name() + "_flatten", List.of(x), List.of(intAttr("axis", 1)), in));
    }
    List<String> ins = new ArrayList<>(List.of(in, initializer(n, 1)));
    if (!OpSet.bool(n, "no_bias", false)) {
      ins.add(initializer(n, 2));
    }
    nodes.add(node("Gemm", n.name(), ins, List.of(intAttr("transB", 1))));
  }

  private void add(String op, String name, List<String> ins) {
    nodes.add(node(op, name, ins, List.of()));
  }

  private static NodeProto node(String op, String name, List<String> ins, List<AttributeProto> attrs) {
    return node(op, name, ins, attrs, name);
  }

  private static NodeProto node(String op, String name, List<String> ins, List<AttributeProto> attrs, String out) {
    return NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(ins).addOutput(out).addAllAttribute(attrs)
        .build();
  }

  static AttributeProto intAttr(String name, long v) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
  }

  static AttributeProto floatAttr(String name, float v) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(v).build();
  }

  static AttributeProto intsAttr(String name, int[] v) {
    AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
    for (int x : v) {
      b.addInts(x);
    }
    return b.build();
  }

  /** A float32 initializer, its values as little-endian raw bytes. */
  static TensorProto tensor(String name, Tensor t) {
    ByteBuffer b = ByteBuffer.allocate(t.data().length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(t.data());
    TensorProto.Builder tp = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
        .setRawData(com.google.protobuf.ByteString.copyFrom(b.array()));
    for (long d : t.shape()) {
      tp.addDims(d);
    }
    return tp.build();
  }

  /** A float tensor type with a symbolic batch dimension followed by {@code dims}. */
  private static Onnx.ValueInfoProto valueInfo(String name, int... dims) {
    Onnx.TensorShapeProto.Builder s = Onnx.TensorShapeProto.newBuilder();
    s.addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimParam("batch"));
    for (int d : dims) {
      s.addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
    }
    return Onnx.ValueInfoProto.newBuilder().setName(name)
        .setType(Onnx.TypeProto.newBuilder().setTensorType(
            Onnx.TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(s)))
        .build();
  }
}
