package io.imgclass.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imgclass.core.ImgclassException;
import org.junit.jupiter.api.Test;

class SymbolJsonTest {

  @Test
  void writesTheSageMakerLayout() {
    Graph g = ResNet.build(ResNetConfig.of(50, new ImageShape(3, 224, 224), 2));
    String json = SymbolJson.write(g);
    // SageMaker's ResNet-50 artifact (spec "ART", 2 classes at 3,224,224) is 108,830 characters;
    // dmlc's writer layout, attribute strings and node order must all agree for the size to match.
    assertThat(json).hasSize(108_830);
    assertThat(json).startsWith(
        "{\n  \"nodes\": [\n    {\n      \"op\": \"null\", \n      \"name\": \"data\", \n      \"inputs\": []\n    }, \n"
            + "    {\n      \"op\": \"_copy\", \n      \"name\": \"id\", \n      \"inputs\": [[0, 0, 0]]\n    }, \n");
    assertThat(json).contains(
        "      \"name\": \"relu0\", \n      \"attrs\": {\"act_type\": \"relu\"}, \n      \"inputs\": [[13, 0, 0]]\n");
    assertThat(json).contains("\"inputs\": [[1, 0, 0], [2, 0, 0], [3, 0, 0], [4, 0, 1], [5, 0, 1]]");
    assertThat(json).contains("\"__init__\": \"[\\\"zero\\\", {}]\"");
    assertThat(json).endsWith("  \"heads\": [[436, 0, 0]], \n  \"attrs\": {\"mxnet_version\": [\"int\", 10300]}\n}");
  }

  @Test
  void roundTripsEveryDepth() {
    for (ResNetConfig c : ResNetShapesTest.ALL) {
      Graph g = ResNet.build(c);
      assertThat(SymbolJson.read(SymbolJson.write(g), "x")).as(c.toString()).isEqualTo(g);
    }
    Graph f16 = ResNet.build(ResNetConfig.of(20, new ImageShape(3, 28, 28), 3).withPrecision(Precision.FLOAT16)
        .withMultiLabel(true).withFcName("fc1"));
    assertThat(SymbolJson.read(SymbolJson.write(f16), "x")).isEqualTo(f16);
  }

  @Test
  void readsOldSpellings() {
    // MXNet 0.8-style: "param"/"attr" objects, two-element entries, _Plus, BatchNorm without aux
    // inputs, identity, fc1, no mxnet_version.
    String old = """
        {"nodes": [
          {"op": "null", "param": {}, "name": "data", "inputs": [], "backward_source_id": -1},
          {"op": "identity", "param": {}, "name": "id", "inputs": [[0, 0]]},
          {"op": "null", "param": {}, "name": "bn_data_gamma", "inputs": []},
          {"op": "null", "param": {}, "name": "bn_data_beta", "inputs": []},
          {"op": "BatchNorm", "param": {"eps": "2e-05", "fix_gamma": "True", "momentum": "0.9"},
           "name": "bn_data", "inputs": [[1, 0], [2, 0], [3, 0]]},
          {"op": "null", "param": {}, "name": "conv0_weight", "inputs": []},
          {"op": "Convolution", "param": {"kernel": "(3, 3)", "no_bias": "True", "num_filter": "4",
           "pad": "(1, 1)", "stride": "(1, 1)"}, "attr": {"ctx_group": "dev1"}, "name": "conv0", "inputs": [[4, 0], [5, 0]]},
          {"op": "_Plus", "param": {}, "name": "_plus0", "inputs": [[6, 0], [6, 0]]},
          {"op": "Flatten", "param": {}, "name": "flatten0", "inputs": [[7, 0]]},
          {"op": "null", "param": {}, "name": "fc1_weight", "inputs": []},
          {"op": "null", "param": {}, "name": "fc1_bias", "inputs": []},
          {"op": "FullyConnected", "param": {"num_hidden": "3", "no_bias": "False"}, "name": "fc1", "inputs": [[8, 0], [9, 0], [10, 0]]},
          {"op": "null", "param": {}, "name": "softmax_label", "inputs": []},
          {"op": "Softmax", "param": {}, "name": "softmax", "inputs": [[11, 0], [12, 0]]}
        ], "arg_nodes": [0, 2, 3, 5, 9, 10, 12], "heads": [[13, 0]]}
        """;
    assertThat(SymbolJson.declaredVersion(old)).isEqualTo(800);
    Graph g = SymbolJson.read(old, "old-symbol.json");
    assertThat(g.node("id").op()).isEqualTo("_copy");
    assertThat(g.node("_plus0").op()).isEqualTo("elemwise_add");
    assertThat(g.node("softmax").op()).isEqualTo("SoftmaxOutput");
    assertThat(g.node("conv0").attrs()).containsEntry("ctx_group", "dev1").containsEntry("num_filter", "4");
    assertThat(g.auxiliaryNames()).containsExactly("bn_data_moving_mean", "bn_data_moving_var");
    assertThat(g.parameterNames()).containsExactly(
        "bn_data_gamma", "bn_data_beta", "conv0_weight", "fc1_weight", "fc1_bias");
    ShapeInference.Shapes s = ShapeInference.infer(g, new long[] {1, 3, 5, 5});
    assertThat(s.parameters().get("fc1_weight")).containsExactly(3, 100);
    assertThat(s.auxiliary().get("bn_data_moving_var")).containsExactly(3);
  }

  @Test
  void refusesOpsOutsideTheSetAndBrokenFiles() {
    String conv = """
        {"nodes": [{"op": "null", "name": "data", "inputs": []},
                   {"op": "LRN", "name": "norm1", "attrs": {}, "inputs": [[0, 0, 0]]}],
         "heads": [[1, 0, 0]]}""";
    assertThatThrownBy(() -> SymbolJson.read(conv, "s.json")).isInstanceOf(ImgclassException.class)
        .hasMessageStartingWith("s.json: node 1 'norm1' uses op 'LRN'");
    assertThatThrownBy(() -> SymbolJson.read("{\"nodes\": [", "s.json")).isInstanceOf(ImgclassException.class)
        .hasMessageContaining("s.json: not valid JSON (line 1");
    assertThatThrownBy(() -> SymbolJson.read("{\"nodes\": [{\"op\": \"null\", \"name\": \"a\", \"inputs\": [[3, 0, 0]]}], \"heads\": [[0,0,0]]}", "s.json"))
        .isInstanceOf(ImgclassException.class).hasMessageContaining("not an earlier node");
    assertThatThrownBy(() -> SymbolJson.read("[]", "s.json")).hasMessageContaining("no \"nodes\" array");
  }
}
