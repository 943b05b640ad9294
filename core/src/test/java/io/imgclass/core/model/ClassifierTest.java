package io.imgclass.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Inference without peers: both execution modes, fc vs fc1 artifacts, multi-label and float16 graphs. */
class ClassifierTest {
  static final ImageShape SHAPE = new ImageShape(3, 28, 28);

  static float[][] images(int n) {
    SplittableRandom r = new SplittableRandom(9);
    float[][] x = new float[n][SHAPE.size()];
    for (float[] img : x) {
      for (int i = 0; i < img.length; i++) {
        img[i] = r.nextInt(256);
      }
    }
    return x;
  }

  static float[][] run(Path dir, String name, ResNetConfig c, ParamSet p, NetworkRunner.Mode mode) throws Exception {
    Path f = dir.resolve(name);
    ModelArchive.write(new ModelArtifact(ResNet.build(c), p, 1, SHAPE, 8, List.of()), f);
    try (Classifier cl = Classifier.load(f, null, mode)) {
      return cl.predict(images(3));
    }
  }

  @Test
  void modesAgreeAndFcNamesAreInterchangeable(@TempDir Path dir) throws Exception {
    ResNetConfig c = ResNetConfig.of(20, SHAPE, 5);
    ParamSet p = MxnetInteropTest.randomised(ResNet.build(c), SHAPE, 3);
    float[][] symbol = run(dir, "a.tar.gz", c, p, NetworkRunner.Mode.SYMBOL);
    float[][] blocks = run(dir, "b.tar.gz", c, p, NetworkRunner.Mode.BLOCKS);
    Map<String, Tensor> renamed = new LinkedHashMap<>();
    p.arrays().forEach((k, v) -> renamed.put(k.replace(":fc_", ":fc1_"), v));
    float[][] fc1 = run(dir, "c.tar.gz", c.withFcName("fc1"), new ParamSet(renamed), NetworkRunner.Mode.SYMBOL);
    for (int i = 0; i < symbol.length; i++) {
      float sum = 0;
      for (int k = 0; k < 5; k++) {
        assertThat(blocks[i][k]).isCloseTo(symbol[i][k], within(1e-4f));
        assertThat(fc1[i][k]).isEqualTo(symbol[i][k]);
        sum += symbol[i][k];
      }
      assertThat(sum).isCloseTo(1f, within(1e-5f));
    }
  }

  @Test
  void multiLabelGivesIndependentSigmoidsAndFloat16GraphsRunInFloat32(@TempDir Path dir) throws Exception {
    ResNetConfig c = ResNetConfig.of(20, SHAPE, 4).withMultiLabel(true);
    ParamSet p = MxnetInteropTest.randomised(ResNet.build(c), SHAPE, 4);
    float[][] s = run(dir, "m.tar.gz", c, p, NetworkRunner.Mode.SYMBOL);
    float[][] b = run(dir, "n.tar.gz", c, p, NetworkRunner.Mode.BLOCKS);
    float[][] h = run(dir, "h.tar.gz", c.withPrecision(Precision.FLOAT16), p, NetworkRunner.Mode.SYMBOL);
    boolean anySumOff = false;
    for (int i = 0; i < s.length; i++) {
      float sum = 0;
      for (int k = 0; k < 4; k++) {
        assertThat(s[i][k]).isBetween(0f, 1f);
        assertThat(b[i][k]).isCloseTo(s[i][k], within(1e-4f));
        assertThat(h[i][k]).isEqualTo(s[i][k]);
        sum += s[i][k];
      }
      anySumOff |= Math.abs(sum - 1) > 0.01;
    }
    assertThat(anySumOff).as("sigmoid outputs are not a distribution").isTrue();
  }
}
