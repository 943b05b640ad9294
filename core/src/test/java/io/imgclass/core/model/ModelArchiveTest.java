package io.imgclass.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imgclass.core.ImgclassException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelArchiveTest {

  @Test
  void writesSageMakersFlatMembersAndReadsThemBack(@TempDir Path dir) throws Exception {
    ImageShape s = new ImageShape(3, 28, 28);
    Graph g = ResNet.build(ResNetConfig.of(20, s, 3));
    ParamSet p = Initialization.initialize(g, s, 11);
    Path f = dir.resolve("model.tar.gz");
    ModelArchive.write(new ModelArtifact(g, p, 7, s, 32, List.of("cat", "dog", "emu")), f);
    Map<String, byte[]> members;
    try (InputStream in = Files.newInputStream(f)) {
      members = TarGz.read(in, f.toString());
    }
    assertThat(members.keySet()).containsExactly(
        "image-classification-symbol.json", "image-classification-0007.params", "model-shapes.json",
        "imgclass-classes.json");
    assertThat(new String(members.get("model-shapes.json"), StandardCharsets.UTF_8))
        .isEqualTo("[{\"shape\": [32, 3, 28, 28], \"name\": \"data\"}]");
    ModelArtifact a = ModelArchive.read(f);
    assertThat(a.graph()).isEqualTo(g);
    assertThat(a.params().arrays()).isEqualTo(p.arrays());
    assertThat(a.epoch()).isEqualTo(7);
    assertThat(a.imageShape()).isEqualTo(s);
    assertThat(a.batchSize()).isEqualTo(32);
    assertThat(a.classes()).containsExactly("cat", "dog", "emu");
    assertThat(dir.resolve(".model.tar.gz.tmp")).doesNotExist();
  }

  @Test
  void initialisationIsSeededAndFollowsTheRules() {
    ImageShape s = new ImageShape(3, 28, 28);
    Graph g = ResNet.build(ResNetConfig.of(20, s, 3));
    ParamSet a = Initialization.initialize(g, s, 1);
    assertThat(Initialization.initialize(g, s, 1).arrays()).isEqualTo(a.arrays());
    assertThat(Initialization.initialize(g, s, 2).get("conv0_weight")).isNotEqualTo(a.get("conv0_weight"));
    assertThat(a.get("bn_data_gamma").data()).containsOnly(1f);
    assertThat(a.get("fc_bias").data()).containsOnly(0f);
    assertThat(a.get("bn0_moving_var")).isNull(); // small stem: no bn0
    assertThat(a.arrays().get("aux:stage1_unit1_bn1_moving_var").data()).containsOnly(1f);
    // Xavier gaussian, factor "in", magnitude 2: std = sqrt(2 / fan_in); stage3 conv2 has fan_in 64*9.
    float[] w = a.get("stage3_unit1_conv2_weight").data();
    double sq = 0;
    for (float v : w) {
      sq += v * v;
    }
    assertThat(Math.sqrt(sq / w.length)).isCloseTo(Math.sqrt(2.0 / (64 * 9)), org.assertj.core.data.Offset.offset(0.003));
  }

  @Test
  void missingMembersAndMismatchedParamsAreClearErrors(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("m.tar.gz");
    try (var out = Files.newOutputStream(f)) {
      TarGz.write(List.of(new TarGz.Entry("model-shapes.json", "[]".getBytes())), out, 0);
    }
    assertThatThrownBy(() -> ModelArchive.read(f)).isInstanceOf(ImgclassException.class)
        .hasMessage(f + ": no top-level image-classification-symbol.json (found: model-shapes.json)");
    ImageShape s = new ImageShape(3, 28, 28);
    Graph g = ResNet.build(ResNetConfig.of(20, s, 3));
    ParamSet wrong = Initialization.initialize(ResNet.build(ResNetConfig.of(20, s, 4)), s, 1);
    Path m = dir.resolve("w.tar.gz");
    ModelArchive.write(new ModelArtifact(g, wrong, 1, s, 1, List.of()), m);
    assertThatThrownBy(() -> Classifier.load(m)).isInstanceOf(ImgclassException.class)
        .hasMessageContaining("arg:fc_weight has shape [4, 64], the symbol needs [3, 64]");
  }
}
