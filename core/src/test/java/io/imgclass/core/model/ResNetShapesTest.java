package io.imgclass.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * For every num_layers: our inferred parameter, auxiliary and output shapes equal what real MXNet
 * 1.9.1 infers from our symbol JSON (MXSymbolInferShape), and the parameter counts are the known
 * ones.
 */
class ResNetShapesTest {

  static final List<ResNetConfig> ALL = List.of(
      ResNetConfig.of(18, new ImageShape(3, 224, 224), 1000),
      ResNetConfig.of(34, new ImageShape(3, 224, 224), 1000),
      ResNetConfig.of(50, new ImageShape(3, 224, 224), 1000),
      ResNetConfig.of(101, new ImageShape(3, 224, 224), 1000),
      ResNetConfig.of(152, new ImageShape(3, 224, 224), 1000),
      ResNetConfig.of(200, new ImageShape(3, 224, 224), 1000),
      ResNetConfig.of(20, new ImageShape(3, 28, 28), 10),
      ResNetConfig.of(32, new ImageShape(3, 28, 28), 10),
      ResNetConfig.of(44, new ImageShape(1, 28, 28), 10),
      ResNetConfig.of(56, new ImageShape(3, 28, 28), 10),
      ResNetConfig.of(110, new ImageShape(3, 28, 28), 10),
      ResNetConfig.of(18, new ImageShape(3, 32, 32), 10),
      ResNetConfig.of(50, new ImageShape(3, 180, 320), 2));

  @Test
  void shapesEqualRealMxnetForEveryDepth(@TempDir Path dir) throws Exception {
    Peers.requireNumpy();
    Path script = Peers.script(dir, "mxnet_infer_shapes.py");
    List<String> cmd = new ArrayList<>(List.of(Peers.PYTHON, script.toString()));
    List<ShapeInference.Shapes> ours = new ArrayList<>();
    for (int i = 0; i < ALL.size(); i++) {
      ResNetConfig c = ALL.get(i);
      Graph g = ResNet.build(c);
      Path sym = dir.resolve(i + "-symbol.json");
      Files.writeString(sym, SymbolJson.write(g));
      ImageShape s = c.imageShape();
      long[] data = {2, s.channels(), s.height(), s.width()};
      ours.add(ShapeInference.infer(g, data));
      cmd.add(sym.toString());
      cmd.add("2," + s);
    }
    Peers.Result r = Peers.run(cmd, 300);
    assertThat(r.exitCode()).as(r.err()).isZero();
    String[] lines = r.out().strip().split("\n");
    assertThat(lines).hasSize(ALL.size());
    ObjectMapper m = new ObjectMapper();
    for (int i = 0; i < lines.length; i++) {
      JsonNode j = m.readTree(lines[i]);
      ShapeInference.Shapes s = ours.get(i);
      String what = "ResNet-" + ALL.get(i).numLayers() + " at " + ALL.get(i).imageShape();
      Map<String, List<Long>> mxArgs = shapes(j.get("args"));
      Map<String, List<Long>> ourArgs = new LinkedHashMap<>();
      ourArgs.put("data", List.of(2L, (long) ALL.get(i).imageShape().channels(), (long) ALL.get(i).imageShape().height(),
          (long) ALL.get(i).imageShape().width()));
      s.parameters().forEach((k, v) -> ourArgs.put(k, boxed(v)));
      mxArgs.remove("softmax_label");
      assertThat(ourArgs).as(what + " arguments").containsExactlyInAnyOrderEntriesOf(mxArgs);
      Map<String, List<Long>> ourAux = new LinkedHashMap<>();
      s.auxiliary().forEach((k, v) -> ourAux.put(k, boxed(v)));
      assertThat(ourAux).as(what + " aux").containsExactlyEntriesOf(shapes(j.get("aux")));
      // The symbol as MXNet 1.9.1 saves it again (mxnet_version 10900 from the DJL build) reads back into our graph.
      String resaved = j.get("resaved").asText();
      assertThat(SymbolJson.declaredVersion(resaved)).as(what).isEqualTo(10900); // the DJL build of 1.9.1 reports 1.9.0
      assertThat(SymbolJson.read(resaved, "resaved").nodes()).as(what + " re-saved by MXNet")
          .isEqualTo(ResNet.build(ALL.get(i)).nodes());
      long[] out = s.outputs().get(s.outputs().size() - 1);
      assertThat(boxed(out)).as(what + " output").isEqualTo(shapes(m.createObjectNode().set("o", j.get("outputs").get(0))).get("o"));
    }
  }

  @Test
  void parameterCountsAreTheKnownOnes() {
    // Published sizes: ResNet-18 ~11.69M, ResNet-50 ~25.6M (ImageNet, 1000 classes). MXNet's v2
    // units add bn_data and move BatchNorms, so the counts differ slightly from torchvision's
    // (11,689,512 and 25,557,032).
    assertThat(count(18, 224, 1000)).isCloseTo(11_690_000L, org.assertj.core.data.Percentage.withPercentage(0.5));
    assertThat(count(50, 224, 1000)).isCloseTo(25_600_000L, org.assertj.core.data.Percentage.withPercentage(0.5));
    // Exact learnable counts; every shape behind them equals MXNet's own inference (test above).
    long[][] expected = {
      {18, 224, 1000, 11_691_950}, {34, 224, 1000, 21_800_110}, {50, 224, 1000, 25_549_486},
      {101, 224, 1000, 44_541_614}, {152, 224, 1000, 60_185_262}, {200, 224, 1000, 64_666_286},
      {20, 28, 10, 272_544}, {32, 28, 10, 466_976}, {44, 28, 10, 661_408}, {56, 28, 10, 855_840},
      {110, 28, 10, 1_730_784}, {18, 32, 10, 11_176_272}};
    for (long[] e : expected) {
      assertThat(count((int) e[0], (int) e[1], (int) e[2])).as("ResNet-%d at %d", e[0], e[1]).isEqualTo(e[3]);
    }
  }

  static long count(int layers, int hw, int classes) {
    Graph g = ResNet.build(ResNetConfig.of(layers, new ImageShape(3, hw, hw), classes));
    return ShapeInference.infer(g, new long[] {1, 3, hw, hw}).parameterCount();
  }

  private static Map<String, List<Long>> shapes(JsonNode obj) {
    Map<String, List<Long>> out = new LinkedHashMap<>();
    obj.fields().forEachRemaining(e -> {
      List<Long> d = new ArrayList<>();
      e.getValue().forEach(n -> d.add(n.asLong()));
      out.put(e.getKey(), d);
    });
    return out;
  }

  private static List<Long> boxed(long[] v) {
    List<Long> out = new ArrayList<>();
    for (long x : v) {
      out.add(x);
    }
    return out;
  }
}
