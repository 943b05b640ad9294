package io.imgclass.core.onnx;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.imgclass.core.ImgclassException;
import io.imgclass.core.model.Graph;
import io.imgclass.core.model.ImageShape;
import io.imgclass.core.model.ParamSet;
import io.imgclass.core.model.RunOptions;
import io.imgclass.core.onnx.proto.Onnx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Opens networks on ONNX Runtime, from a graph (converted in memory) or from an {@code .onnx} file. */
public final class OnnxModels {
  private OnnxModels() {}

  /**
   * An ONNX model with what imgclass needs to run it.
   *
   * @param bytes the serialized ModelProto
   * @param imageShape the input C,H,W
   * @param numClasses outputs per image
   * @param multiLabel true for a sigmoid head
   * @param classes class names by index (empty when the model has none)
   */
  public record OnnxFile(byte[] bytes, ImageShape imageShape, int numClasses, boolean multiLabel, List<String> classes) {
    /** Copies the class list. */
    public OnnxFile {
      classes = List.copyOf(classes);
    }

    /** Opens a network on ONNX Runtime. */
    public OnnxNetwork open(RunOptions options) {
      return new OnnxNetwork(bytes, imageShape, numClasses, options.gpus());
    }
  }

  /** True when {@code path} names an ONNX model (by its {@code .onnx} suffix). */
  public static boolean isOnnx(Path path) {
    return path.getFileName() != null && path.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".onnx");
  }

  /** Converts the graph to ONNX in memory (BatchNorm folding on) and opens it on ONNX Runtime. */
  public static OnnxNetwork open(Graph graph, ParamSet params, ImageShape shape, RunOptions options) {
    Onnx.ModelProto m = OnnxExport.convert(graph, params, shape, List.of(), OnnxExport.Options.defaults());
    return describe(m, m.toByteArray()).open(options);
  }

  /**
   * Reads an {@code .onnx} file that carries imgclass's metadata (or, failing that, a fixed
   * {@code data} input shape and a fixed output width).
   *
   * @throws ImgclassException naming the file when it is not a usable ONNX model
   */
  public static OnnxFile read(Path path) throws IOException {
    byte[] bytes = Files.readAllBytes(path);
    Onnx.ModelProto m;
    try {
      m = Onnx.ModelProto.parseFrom(bytes);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new ImgclassException(path + ": not an ONNX model (" + e.getMessage() + ")", e);
    }
    try {
      return describe(m, bytes);
    } catch (ImgclassException e) {
      throw new ImgclassException(path + ": " + e.getMessage(), e);
    }
  }

  /** The shape, classes and head of a model, from its metadata or else from its input and output types. */
  static OnnxFile describe(Onnx.ModelProto m, byte[] bytes) {
    if (!m.hasGraph() || m.getGraph().getInputCount() == 0 || m.getGraph().getOutputCount() == 0) {
      throw new ImgclassException("the ONNX model has no graph inputs or outputs");
    }
    Map<String, String> meta = new HashMap<>();
    for (Onnx.StringStringEntryProto e : m.getMetadataPropsList()) {
      meta.put(e.getKey(), e.getValue());
    }
    Onnx.ValueInfoProto in = m.getGraph().getInput(0);
    ImageShape shape;
    if (meta.containsKey(OnnxExport.META_SHAPE)) {
      shape = ImageShape.parse(meta.get(OnnxExport.META_SHAPE));
    } else {
      long[] d = dims(in);
      if (d.length != 4 || d[1] <= 0 || d[2] <= 0 || d[3] <= 0) {
        throw new ImgclassException("input '" + in.getName() + "' is not [batch, C, H, W] with fixed C, H, W and the"
            + " model has no " + OnnxExport.META_SHAPE + " metadata");
      }
      shape = new ImageShape((int) d[1], (int) d[2], (int) d[3]);
    }
    int numClasses;
    if (meta.containsKey(OnnxExport.META_NUM_CLASSES)) {
      numClasses = Integer.parseInt(meta.get(OnnxExport.META_NUM_CLASSES).strip());
    } else {
      long[] d = dims(m.getGraph().getOutput(0));
      if (d.length != 2 || d[1] <= 0) {
        throw new ImgclassException("output 0 is not [batch, classes] and the model has no "
            + OnnxExport.META_NUM_CLASSES + " metadata");
      }
      numClasses = (int) d[1];
    }
    List<String> classes = new ArrayList<>();
    if (meta.containsKey(OnnxExport.META_CLASSES)) {
      try {
        for (var n : new ObjectMapper().readTree(meta.get(OnnxExport.META_CLASSES))) {
          classes.add(n.asText());
        }
      } catch (IOException e) {
        throw new ImgclassException("metadata " + OnnxExport.META_CLASSES + " is not a JSON array: " + e.getMessage(), e);
      }
    }
    boolean multi = Boolean.parseBoolean(meta.getOrDefault(OnnxExport.META_MULTI_LABEL, "false"));
    return new OnnxFile(bytes, shape, numClasses, multi, classes);
  }

  private static long[] dims(Onnx.ValueInfoProto v) {
    if (!v.hasType() || !v.getType().hasTensorType() || !v.getType().getTensorType().hasShape()) {
      return new long[0];
    }
    List<Onnx.TensorShapeProto.Dimension> ds = v.getType().getTensorType().getShape().getDimList();
    long[] out = new long[ds.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = ds.get(i).hasDimValue() ? ds.get(i).getDimValue() : -1;
    }
    return out;
  }
}
