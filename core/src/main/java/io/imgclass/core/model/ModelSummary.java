package io.imgclass.core.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What {@code imgclass model} prints: the layout, the output shape after the stem, each stage and
 * the head, and the parameter counts, all taken from the built graph (so they describe exactly
 * what is written and run).
 *
 * @param config the configuration
 * @param rows one row per part: name, residual units, output shape (batch 1)
 * @param parameters learnable values
 * @param auxiliary BatchNorm moving statistics values
 * @param nodes graph nodes
 */
public record ModelSummary(ResNetConfig config, List<Row> rows, long parameters, long auxiliary, int nodes) {

  /**
   * One part of the network.
   *
   * @param part {@code input}, {@code stem}, {@code stageS}, {@code head}
   * @param units residual units (0 for others)
   * @param outputShape N,C,H,W (or N,K for the head)
   */
  public record Row(String part, int units, long[] outputShape) {}

  /** Summarises the network for a configuration. */
  public static ModelSummary of(ResNetConfig c) {
    Graph g = ResNet.build(c);
    ImageShape s = c.imageShape();
    ShapeInference.Shapes sh = ShapeInference.infer(g, new long[] {1, s.channels(), s.height(), s.width()});
    ResNetConfig.Layout layout = c.layout();
    List<Row> rows = new ArrayList<>();
    rows.add(new Row("input", 0, sh.outputs().get(g.indexOf(Graph.DATA))));
    rows.add(new Row("stem", 0, sh.outputs().get(g.indexOf(layout.smallStem() ? "conv0" : "pooling0"))));
    int plus = -1;
    for (int st = 0; st < layout.units().size(); st++) {
      plus += layout.units().get(st);
      rows.add(new Row("stage" + (st + 1), layout.units().get(st), sh.outputs().get(g.indexOf("_plus" + plus))));
    }
    rows.add(new Row("head", 0, sh.outputs().get(g.heads().get(0).node())));
    return new ModelSummary(c, rows, sh.parameterCount(), sh.auxiliaryCount(), g.nodes().size());
  }

  /** The text report. */
  public String render() {
    ResNetConfig c = config;
    ResNetConfig.Layout l = c.layout();
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "ResNet-%d (%s units, v2 pre-activation), image_shape %s, %d classes, %s, %s%n",
        c.numLayers(), l.bottleneck() ? "bottleneck" : "basic", c.imageShape(), c.numClasses(),
        c.precision().hyperparameterValue(), c.multiLabel() ? "multi-label (sigmoid)" : "single-label (softmax)"));
    b.append(l.smallStem() ? "stem: conv0 3x3 stride 1 (image height <= 32)\n"
        : "stem: conv0 7x7 stride 2, bn0, relu0, max-pool 3x3 stride 2 (image height > 32)\n");
    b.append(String.format(Locale.ROOT, "%-8s %5s  %s%n", "part", "units", "output shape"));
    for (Row r : rows) {
      b.append(String.format(Locale.ROOT, "%-8s %5s  %s%n", r.part(), r.units() == 0 ? "-" : Integer.toString(r.units()),
          shape(r.outputShape())));
    }
    b.append(String.format(Locale.ROOT, "parameters: %,d learnable + %,d BatchNorm moving statistics%n", parameters, auxiliary));
    b.append(String.format(Locale.ROOT, "graph: %d nodes, FC layer '%s', output '%s'%n", nodes, c.fcName(), "softmax"));
    return b.toString();
  }

  private static String shape(long[] s) {
    return String.join("x", Arrays.stream(s).mapToObj(Long::toString).toList());
  }
}
