package io.imgclass.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imgclass.core.UsageException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResNetTest {

  private static List<String> names(Graph g) {
    return g.nodes().stream().map(Node::name).toList();
  }

  @Test
  void nodeOrderStartsAsSageMakersArtifact() {
    Graph g = ResNet.build(ResNetConfig.of(50, new ImageShape(3, 224, 224), 2));
    assertThat(names(g).subList(0, 16)).containsExactly(
        "data", "id", "bn_data_gamma", "bn_data_beta", "bn_data_moving_mean", "bn_data_moving_var", "bn_data",
        "conv0_weight", "conv0", "bn0_gamma", "bn0_beta", "bn0_moving_mean", "bn0_moving_var", "bn0", "relu0",
        "pooling0");
    // The projection shortcut follows conv3 and reads relu1 (node 21 in SageMaker's ResNet-50 artifact).
    assertThat(g.nodes().get(40).name()).isEqualTo("stage1_unit1_sc_weight");
    assertThat(g.nodes().get(41).name()).isEqualTo("stage1_unit1_sc");
    assertThat(g.nodes().get(41).inputs()).containsExactly(new Node.Entry(21, 0, 0), new Node.Entry(40, 0, 0));
    assertThat(g.nodes().get(41).attrs()).doesNotContainKey("pad");
    assertThat(g.nodes().get(42).name()).isEqualTo("_plus0");
    assertThat(g.nodes().get(42).op()).isEqualTo("elemwise_add");
    assertThat(g.nodes().get(6).inputs()).containsExactly(
        new Node.Entry(1, 0, 0), new Node.Entry(2, 0, 0), new Node.Entry(3, 0, 0), new Node.Entry(4, 0, 1),
        new Node.Entry(5, 0, 1));
    assertThat(names(g).subList(g.nodes().size() - 9, g.nodes().size())).containsExactly(
        "bn1", "relu1", "pool1", "flatten0", "fc_weight", "fc_bias", "fc", "softmax_label", "softmax");
  }

  @Test
  void sizesMatchSageMakersResNet50Artifact() {
    // SageMaker's ResNet-50 artifact (spec ART): 437 nodes, head softmax at 436, 16 _plus nodes.
    Graph g = ResNet.build(ResNetConfig.of(50, new ImageShape(3, 224, 224), 2));
    assertThat(g.nodes()).hasSize(437);
    assertThat(g.heads()).containsExactly(new Node.Entry(436, 0, 0));
    assertThat(g.nodeRowPtr().get(g.nodes().size())).isEqualTo(540);
    assertThat(names(g)).contains("_plus15").doesNotContain("_plus16");
    assertThat(g).isEqualTo(g.canonical()); // built in nnvm's depth-first order
  }

  @Test
  void smallStemAndCifarLayouts() {
    Graph g32 = ResNet.build(ResNetConfig.of(18, new ImageShape(3, 32, 32), 10));
    assertThat(names(g32)).doesNotContain("bn0", "pooling0").contains("stage4_unit2_conv2");
    assertThat(g32.node("conv0").attrs()).containsEntry("kernel", "(3, 3)").containsEntry("stride", "(1, 1)")
        .containsEntry("pad", "(1, 1)").containsEntry("num_filter", "64");
    Graph g20 = ResNet.build(ResNetConfig.of(20, new ImageShape(3, 28, 28), 10));
    assertThat(names(g20)).contains("stage3_unit3_conv2").doesNotContain("stage4_unit1_bn1", "stage3_unit4_bn1");
    assertThat(g20.node("conv0").attr("num_filter")).isEqualTo("16");
    assertThat(g20.node("stage1_unit1_sc").attr("num_filter")).isEqualTo("16"); // projection even in stage 1
    Graph g224 = ResNet.build(ResNetConfig.of(18, new ImageShape(3, 224, 224), 10));
    assertThat(g224.node("conv0").attrs()).containsEntry("kernel", "(7, 7)").containsEntry("stride", "(2, 2)");
    assertThat(g224.node("bn_data").attr("fix_gamma")).isEqualTo("True");
    assertThat(g224.node("bn0").attr("fix_gamma")).isEqualTo("False");
    assertThat(g224.node("pool1").attrs()).containsEntry("global_pool", "True").containsEntry("kernel", "(7, 7)")
        .containsEntry("pool_type", "avg");
  }

  @Test
  void float16MultiLabelAndFcName() {
    ResNetConfig c = ResNetConfig.of(18, new ImageShape(3, 64, 64), 4).withPrecision(Precision.FLOAT16)
        .withMultiLabel(true).withFcName("fc1");
    Graph g = ResNet.build(c);
    assertThat(g.node("cast0").attr("dtype")).isEqualTo("float16");
    assertThat(g.node("cast1").attr("dtype")).isEqualTo("float32");
    assertThat(g.indexOf("id")).isEqualTo(-1);
    assertThat(g.node("softmax").op()).isEqualTo("LogisticRegressionOutput");
    assertThat(g.parameterNames()).contains("fc1_weight", "fc1_bias").doesNotContain("softmax_label", "data");
  }

  @Test
  void invalidCombinationsNameTheRule() {
    assertThatThrownBy(() -> ResNetConfig.of(18, new ImageShape(3, 28, 28), 10))
        .isInstanceOf(UsageException.class).hasMessageContaining("num_layers 18 needs image height > 28")
        .hasMessageContaining("20, 32, 44, 56 or 110");
    assertThatThrownBy(() -> ResNetConfig.of(20, new ImageShape(3, 32, 32), 10))
        .isInstanceOf(UsageException.class).hasMessageContaining("height <= 28").hasMessageContaining("has height 32");
    assertThatThrownBy(() -> ResNetConfig.of(19, new ImageShape(3, 224, 224), 10))
        .isInstanceOf(UsageException.class).hasMessageContaining("num_layers must be one of");
    assertThatThrownBy(() -> ResNetConfig.of(18, new ImageShape(3, 224, 224), 0))
        .isInstanceOf(UsageException.class).hasMessageContaining("num_classes must be > 0");
    assertThatThrownBy(() -> ImageShape.parse("3,224"))
        .isInstanceOf(UsageException.class).hasMessageContaining("C,H,W");
    assertThatThrownBy(() -> ImageShape.parse("3,0,2")).isInstanceOf(UsageException.class);
    assertThatThrownBy(() -> Precision.parse("bfloat16")).isInstanceOf(UsageException.class);
  }

  @Test
  void outputShapesPerStage() {
    Graph g = ResNet.build(ResNetConfig.of(18, new ImageShape(3, 224, 224), 1000));
    ShapeInference.Shapes s = ShapeInference.infer(g, new long[] {1, 3, 224, 224});
    assertThat(s.outputs().get(g.indexOf("pooling0"))).containsExactly(1, 64, 56, 56);
    assertThat(s.outputs().get(g.indexOf("_plus1"))).containsExactly(1, 64, 56, 56);
    assertThat(s.outputs().get(g.indexOf("_plus3"))).containsExactly(1, 128, 28, 28);
    assertThat(s.outputs().get(g.indexOf("_plus7"))).containsExactly(1, 512, 7, 7);
    assertThat(s.outputs().get(g.indexOf("softmax"))).containsExactly(1, 1000);
  }
}
