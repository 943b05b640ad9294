package io.imgclass.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Real MXNet 1.9.1 (the libmxnet DJL ships, through this package's mxnet_run_model.py) loads our
 * model.tar.gz and gives the probabilities we give, in both execution modes; and params that
 * MXNet's own MXNDArraySave wrote read back with equal values.
 */
class MxnetInteropTest {

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

  // One network per layout: CIFAR basic (small stem), 4-stage basic with the small stem, the
  // ImageNet stem with bottleneck units on a 1-channel, non-square input, and SageMaker's own
  // artifact layout (ResNet-50 at 3,224,224, 2 classes, as spec ART).
  @ParameterizedTest(name = "ResNet-{0} at {1}, {3}")
  @CsvSource(delimiter = ';', value = {"20;3,28,28;10;float32", "18;3,32,32;7;float32", "50;1,40,36;3;float32",
      "50;3,224,224;2;float32"})
  void mxnetGivesOurProbabilities(int layers, String shapeText, int classes, String precision, @TempDir Path dir)
      throws Exception {
    Peers.requireNumpy();
    ImageShape shape = ImageShape.parse(shapeText);
    Graph g = ResNet.build(ResNetConfig.of(layers, shape, classes).withPrecision(Precision.parse(precision)));
    ParamSet params = randomised(g, shape, 42 + layers);
    Path model = dir.resolve("model.tar.gz");
    ModelArchive.write(new ModelArtifact(g, params, 3, shape, 32, List.of()), model);

    SplittableRandom r = new SplittableRandom(7);
    float[][] images = new float[2][shape.size()];
    // MXNet has no float16 kernels on the CPU, so for a float16 artifact the reference runs the same
    // weights through the float32 graph: what our engines do, with each Cast an identity.
    Path reference = model;
    if (!"float32".equals(precision)) {
      reference = dir.resolve("reference-float32.tar.gz");
      Graph g32 = ResNet.build(ResNetConfig.of(layers, shape, classes));
      ModelArchive.write(new ModelArtifact(g32, params, 3, shape, 32, List.of()), reference);
    }
    List<String> cmd = new ArrayList<>(List.of(Peers.PYTHON, Peers.script(dir, "mxnet_run_model.py").toString(),
        reference.toString()));
    for (int i = 0; i < images.length; i++) {
      for (int k = 0; k < images[i].length; k++) {
        images[i][k] = r.nextInt(256);
      }
      Path npy = dir.resolve("x" + i + ".npy");
      Peers.writeNpy(npy, images[i], 1, shape.channels(), shape.height(), shape.width());
      cmd.add(npy.toString());
    }
    Peers.Result res = Peers.run(cmd, 300);
    assertThat(res.exitCode()).as(res.err()).isZero();
    List<float[]> expected = Peers.predictions(res.out());
    assertThat(expected).hasSize(images.length);

    // MXNet in both execution modes and PyTorch: each within 1e-4 of real MXNet and of each other.
    List<float[][]> all = new ArrayList<>();
    List<RunOptions> runs = List.of(new RunOptions(EngineKind.MXNET, 0, NetworkRunner.Mode.SYMBOL),
        new RunOptions(EngineKind.MXNET, 0, NetworkRunner.Mode.BLOCKS),
        new RunOptions(EngineKind.PYTORCH, 0, NetworkRunner.DEFAULT_MODE));
    for (RunOptions run : runs) {
      String what = run.engine() == EngineKind.MXNET ? run.mode().toString() : run.engine().toString();
      try (Classifier c = Classifier.load(model, null, run)) {
        float[][] ours = c.predict(images);
        all.add(ours);
        for (int i = 0; i < images.length; i++) {
          assertThat(ours[i]).as(what + " image " + i).hasSize(classes);
          for (int k = 0; k < classes; k++) {
            assertThat(ours[i][k]).as(what + " image " + i + " class " + k).isCloseTo(expected.get(i)[k], org.assertj.core.data.Offset.offset(1e-4f));
          }
        }
      }
    }
    for (int i = 0; i < images.length; i++) {
      for (int k = 0; k < classes; k++) {
        assertThat(all.get(2)[i][k]).as("pytorch vs mxnet, image " + i + " class " + k)
            .isCloseTo(all.get(0)[i][k], org.assertj.core.data.Offset.offset(1e-4f));
      }
    }
  }

  @Test
  void paramsWrittenByMxnetReadBackEqual(@TempDir Path dir) throws Exception {
    Peers.requireNumpy();
    Path out = dir.resolve("mx.params");
    Path script = Peers.script(dir, "mxnet_save_params.py");
    Peers.Result res = Peers.run(List.of(Peers.PYTHON, script.toString(), out.toString()), 120);
    assertThat(res.exitCode()).as(res.err()).isZero();
    ParamSet p;
    try (InputStream in = Files.newInputStream(out)) {
      p = ParamsFile.read(in, out.toString());
    }
    // The script saves arange-based arrays of several dtypes; see its docstring.
    assertThat(p.arrays().keySet()).containsExactly("arg:w_f32", "arg:b_f64", "aux:m_f16", "arg:i_i32", "arg:u_u8");
    assertThat(p.arrays().get("arg:w_f32").shape()).containsExactly(2, 3, 1, 2);
    for (Map.Entry<String, Tensor> e : p.arrays().entrySet()) {
      float[] d = e.getValue().data();
      for (int i = 0; i < d.length; i++) {
        assertThat(d[i]).as(e.getKey() + "[" + i + "]").isEqualTo(expectedValue(e.getKey(), i));
      }
    }
    // And our writer's bytes equal MXNet's for the float32 array saved alone.
    Path single = dir.resolve("single.params");
    res = Peers.run(List.of(Peers.PYTHON, script.toString(), single.toString(), "--only-f32"), 120);
    assertThat(res.exitCode()).as(res.err()).isZero();
    java.io.ByteArrayOutputStream ours = new java.io.ByteArrayOutputStream();
    ParamsFile.write(new ParamSet(Map.of("arg:w_f32", p.arrays().get("arg:w_f32"))), ours);
    assertThat(ours.toByteArray()).isEqualTo(Files.readAllBytes(single));
  }

  private static float expectedValue(String key, int i) {
    return switch (key) {
      case "arg:w_f32" -> i * 0.5f - 3f;
      case "arg:b_f64" -> (float) (i / 3.0);
      case "aux:m_f16" -> i * 0.25f - 1f;
      case "arg:i_i32" -> i * 1000 - 5;
      case "arg:u_u8" -> i * 50;
      default -> throw new AssertionError(key);
    };
  }
}
