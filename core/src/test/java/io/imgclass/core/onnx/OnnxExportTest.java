package io.imgclass.core.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imgclass.core.ImgclassException;
import io.imgclass.core.model.EngineKind;
import io.imgclass.core.model.Graph;
import io.imgclass.core.model.ImageShape;
import io.imgclass.core.model.Initialization;
import io.imgclass.core.model.ModelArchive;
import io.imgclass.core.model.ModelArtifact;
import io.imgclass.core.model.Network;
import io.imgclass.core.model.NetworkRunner;
import io.imgclass.core.model.Networks;
import io.imgclass.core.model.Node;
import io.imgclass.core.model.ParamSet;
import io.imgclass.core.model.Precision;
import io.imgclass.core.model.ResNet;
import io.imgclass.core.model.ResNetConfig;
import io.imgclass.core.model.RunOptions;
import io.imgclass.core.model.Tensor;
import io.imgclass.core.onnx.proto.Onnx;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The ONNX export: ONNX Runtime (through our engine) gives the probabilities DJL's MXNet gives;
 * and, outside our code, onnx.checker accepts the file while real MXNet (libmxnet's
 * c_predict_api), a numpy interpreter of the ONNX graph and (when installed) Python's onnxruntime
 * agree within 1e-4 (onnx_crosscheck.py).
 */
class OnnxExportTest {
  static final String PYTHON = "/usr/bin/python3";

  /** Random but plausible parameters: BN statistics and affine terms far from the identity. */
  static ParamSet randomised(Graph g, ImageShape shape, long seed) {
    ParamSet init = Initialization.initialize(g, shape, seed);
    SplittableRandom r = new SplittableRandom(seed + 1);
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (Map.Entry<String, Tensor> e : init.arrays().entrySet()) {
      Tensor t = e.getValue();
      float[] d = t.data().clone();
      String k = e.getKey();
      for (int i = 0; i < d.length; i++) {
        if (k.endsWith("_moving_var")) {
          d[i] = (float) (0.5 + r.nextDouble() * 2);
        } else if (k.endsWith("_moving_mean") || k.endsWith("_beta") || k.endsWith("_bias")) {
          d[i] = (float) (r.nextGaussian() * 0.2);
        } else if (k.endsWith("_gamma")) {
          d[i] = (float) (0.5 + r.nextDouble());
        }
      }
      if (k.equals("aux:bn_data_moving_mean")) {
        java.util.Arrays.fill(d, 120f); // bn_data sees raw 0..255 pixels
      } else if (k.equals("aux:bn_data_moving_var")) {
        java.util.Arrays.fill(d, 5000f);
      }
      out.put(k, new Tensor(t.shape(), d));
    }
    return new ParamSet(out);
  }

  static float[][] images(ImageShape shape, int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[][] x = new float[n][shape.size()];
    for (float[] im : x) {
      for (int k = 0; k < im.length; k++) {
        im[k] = r.nextInt(256);
      }
    }
    return x;
  }

  static ResNetConfig config(int layers, String shape, int classes, String head, String precision) {
    return ResNetConfig.of(layers, ImageShape.parse(shape), classes)
        .withMultiLabel("multi".equals(head))
        .withPrecision(Precision.parse(precision));
  }

  static void assertClose(float[][] actual, float[][] expected, double tol) {
    assertThat(actual.length).isEqualTo(expected.length);
    for (int i = 0; i < actual.length; i++) {
      assertThat(actual[i]).hasSameSizeAs(expected[i]);
      for (int k = 0; k < actual[i].length; k++) {
        assertThat((double) actual[i][k]).as("image %d class %d", i, k).isCloseTo(expected[i][k],
            org.assertj.core.data.Offset.offset(tol));
      }
    }
  }

  // Every layout: CIFAR stem (20), small-stem 4-stage basic (18 at 32x32), ImageNet stem with
  // bottlenecks on a 1-channel non-square input (50), a multi-label head, a float16 graph.
  @ParameterizedTest(name = "ResNet-{0} {1} {3} {4}")
  @CsvSource({"20,'1,28,28',10,single,float32", "18,'3,32,32',7,multi,float32", "50,'1,40,36',3,single,float32",
      "18,'3,64,48',5,single,float16", "34,'3,32,32',4,multi,float32"})
  void onnxRuntimeGivesMxnetsProbabilities(int layers, String shapeText, int classes, String head, String precision) {
    ResNetConfig c = config(layers, shapeText, classes, head, precision);
    ImageShape shape = c.imageShape();
    Graph g = ResNet.build(c);
    ParamSet params = randomised(g, shape, 40 + layers);
    float[][] x = images(shape, 3, 5);
    float[][] mx;
    try (Network m = Networks.open(g, params, shape, new RunOptions(EngineKind.MXNET, 0, NetworkRunner.Mode.SYMBOL))) {
      mx = m.predict(x);
    }
    try (Network o = Networks.open(g, params, shape, new RunOptions(EngineKind.ONNXRUNTIME, 0, NetworkRunner.DEFAULT_MODE))) {
      assertThat(o.numClasses()).isEqualTo(classes);
      assertClose(o.predict(x), mx, 1e-4);
      assertClose(o.predict(new float[][] {x[1]}), new float[][] {mx[1]}, 1e-4); // dynamic batch
    }
  }

  @Test
  void foldingBatchNormKeepsTheOutputsAndRemovesTheFoldedNodes() throws Exception {
    ResNetConfig c = config(50, "3,32,32", 6, "single", "float32");
    Graph g = ResNet.build(c);
    ParamSet params = randomised(g, c.imageShape(), 3);
    Onnx.ModelProto plain = OnnxExport.convert(g, params, c.imageShape(), List.of(), new OnnxExport.Options(false));
    Onnx.ModelProto folded = OnnxExport.convert(g, params, c.imageShape(), List.of(), new OnnxExport.Options(true));
    long bnPlain = plain.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("BatchNormalization")).count();
    long bnFolded = folded.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("BatchNormalization")).count();
    long bnGraph = g.nodes().stream().filter(n -> n.op().equals("BatchNorm")).count();
    assertThat(bnPlain).isEqualTo(bnGraph);
    // bn0 (after conv0) and bn2, bn3 of each of the 16 bottleneck units follow a convolution.
    assertThat(bnPlain - bnFolded).isEqualTo(1 + 2 * 16);
    float[][] x = images(c.imageShape(), 2, 9);
    try (OnnxNetwork a = OnnxModels.describe(plain, plain.toByteArray()).open(RunOptions.defaults());
        OnnxNetwork b = OnnxModels.describe(folded, folded.toByteArray()).open(RunOptions.defaults())) {
      assertClose(b.predict(x), a.predict(x), 1e-5);
    }
  }

  @Test
  void writesAtomicallyWithMetadataAndReadsBack(@TempDir Path dir) throws Exception {
    ResNetConfig c = config(20, "3,28,28", 3, "single", "float32");
    Graph g = ResNet.build(c);
    ParamSet params = randomised(g, c.imageShape(), 1);
    Onnx.ModelProto m = OnnxExport.convert(g, params, c.imageShape(), List.of("cat", "dog", "ému"), OnnxExport.Options.defaults());
    Path out = dir.resolve("m.onnx");
    OnnxExport.write(m, out);
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("m.onnx");
    }
    OnnxModels.OnnxFile f = OnnxModels.read(out);
    assertThat(f.imageShape()).isEqualTo(c.imageShape());
    assertThat(f.numClasses()).isEqualTo(3);
    assertThat(f.multiLabel()).isFalse();
    assertThat(f.classes()).containsExactly("cat", "dog", "ému");
    assertThat(m.getOpsetImport(0).getVersion()).isEqualTo(13);
    assertThat(m.getGraph().getInput(0).getName()).isEqualTo("data");
    assertThat(m.getGraph().getInput(0).getType().getTensorType().getShape().getDim(0).getDimParam()).isEqualTo("batch");
  }

  @Test
  void refusesWhatItCannotExport(@TempDir Path dir) throws Exception {
    ResNetConfig c = config(20, "3,28,28", 3, "single", "float32");
    Graph g = ResNet.build(c);
    ParamSet params = randomised(g, c.imageShape(), 1);
    List<Node> nodes = new ArrayList<>(g.nodes());
    int i = g.indexOf("stage1_unit1_relu1");
    Node relu = nodes.get(i);
    nodes.set(i, new Node(relu.op(), relu.name(), Map.of("act_type", "softsign"), relu.inputs()));
    Graph bad = new Graph(nodes, g.heads());
    assertThatThrownBy(() -> OnnxExport.convert(bad, params, c.imageShape(), List.of(), OnnxExport.Options.defaults()))
        .isInstanceOf(ImgclassException.class)
        .hasMessage("node 'stage1_unit1_relu1': act_type softsign has no ONNX export");
    Path junk = dir.resolve("junk.onnx");
    Files.writeString(junk, "not protobuf at all");
    assertThatThrownBy(() -> OnnxModels.read(junk)).isInstanceOf(ImgclassException.class)
        .hasMessageStartingWith(junk + ": not an ONNX model");
  }

  // --- outside our code: onnx.checker, real MXNet, a numpy interpreter, Python's onnxruntime ---

  static void requirePythonOnnx() throws Exception {
    boolean ok = Files.isExecutable(Path.of(PYTHON))
        && run(List.of(PYTHON, "-c", "import numpy, onnx"), Path.of("."), 60).exit == 0;
    if (!ok && "true".equals(System.getenv("CI"))) {
      throw new AssertionError("CI=true but " + PYTHON + " with numpy and onnx is missing (apt-get install python3-onnx)");
    }
    assumeTrue(ok, PYTHON + " with numpy and onnx (Debian python3-onnx) is not installed");
  }

  record Result(int exit, String out, String err) {}

  static Result run(List<String> cmd, Path dir, int timeout) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
    pb.environment().put("OMP_NUM_THREADS", "1");
    Path out = Files.createTempFile("onnx", ".out");
    Path err = Files.createTempFile("onnx", ".err");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(timeout, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + cmd);
    }
    Result r = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    Files.delete(out);
    Files.delete(err);
    return r;
  }

  static void copyResource(Class<?> anchor, String name, Path target) throws IOException {
    try (InputStream in = anchor.getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException("test resource " + name + " is missing");
      }
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  static void writeNpy(Path path, float[] data, long... shape) throws IOException {
    StringBuilder dims = new StringBuilder();
    for (long d : shape) {
      dims.append(d).append(", ");
    }
    String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims.toString().replaceAll(", $", "") + "), }";
    int pad = (64 - (10 + dict.length() + 1) % 64) % 64;
    String header = dict + " ".repeat(pad) + "\n";
    ByteBuffer b = ByteBuffer.allocate(10 + header.length() + data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
    b.putShort((short) header.length()).put(header.getBytes(StandardCharsets.US_ASCII));
    b.asFloatBuffer().put(data);
    Files.write(path, b.array());
  }

  static float[] floats(JsonNode a) {
    float[] f = new float[a.size()];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) a.get(i).asDouble();
    }
    return f;
  }

  // The sizes the issue names: ResNet-20 at 1x28x28, ResNet-18 and ResNet-50 at 3x224x224, a
  // multi-label model, and a deeper net on a non-square input. (Real MXNet cannot run a float16
  // graph with float32 weights on the CPU, so float16 is checked against DJL's MXNet above.)
  @ParameterizedTest(name = "ResNet-{0} {1} {3} {4}")
  @CsvSource({"20,'1,28,28',10,single,float32", "18,'3,224,224',10,single,float32", "50,'3,224,224',5,single,float32",
      "18,'3,64,64',16,multi,float32", "34,'3,96,80',2,single,float32"})
  void checkerAcceptsAndIndependentRuntimesMatchRealMxnet(
      int layers, String shapeText, int classes, String head, String precision, @TempDir Path dir) throws Exception {
    requirePythonOnnx();
    ResNetConfig c = config(layers, shapeText, classes, head, precision);
    ImageShape shape = c.imageShape();
    Graph g = ResNet.build(c);
    ParamSet params = randomised(g, shape, 100 + layers);
    Path tgz = dir.resolve("model.tar.gz");
    ModelArchive.write(new ModelArtifact(g, params, 2, shape, 32, List.of()), tgz);
    Path onnx = dir.resolve("model.onnx");
    OnnxExport.write(OnnxExport.convert(g, params, shape, List.of(), OnnxExport.Options.defaults()), onnx);
    copyResource(OnnxExportTest.class, "onnx_crosscheck.py", dir.resolve("onnx_crosscheck.py"));
    copyResource(io.imgclass.core.model.Graph.class, "mxnet_lib.py", dir.resolve("mxnet_lib.py"));
    float[][] x = images(shape, 2, 17);
    List<String> cmd = new ArrayList<>(List.of(PYTHON, "onnx_crosscheck.py", tgz.toString(), onnx.toString()));
    for (int i = 0; i < x.length; i++) {
      Path npy = dir.resolve("x" + i + ".npy");
      writeNpy(npy, x[i], 1, shape.channels(), shape.height(), shape.width());
      cmd.add(npy.toString());
    }
    Result r = run(cmd, dir, 600);
    assertThat(r.exit()).as(r.err()).isZero();
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> lines = new ArrayList<>();
    for (String line : r.out().split("\n")) {
      if (!line.isBlank()) {
        lines.add(json.readTree(line));
      }
    }
    assertThat(lines).hasSize(x.length);
    float[][] ours;
    try (OnnxNetwork o = OnnxModels.read(onnx).open(RunOptions.defaults())) {
      ours = o.predict(x);
    }
    for (int i = 0; i < x.length; i++) {
      float[] mx = floats(lines.get(i).get("mxnet"));
      assertThat(mx).hasSize(classes);
      assertClose(new float[][] {floats(lines.get(i).get("numpy"))}, new float[][] {mx}, 1e-4);
      assertClose(new float[][] {ours[i]}, new float[][] {mx}, 1e-4);
      if (!lines.get(i).get("ort").isNull()) {
        assertClose(new float[][] {floats(lines.get(i).get("ort"))}, new float[][] {mx}, 1e-4);
      }
    }
  }
}
