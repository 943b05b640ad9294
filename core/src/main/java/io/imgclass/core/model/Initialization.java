package io.imgclass.core.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * MXNet's example initialisation (spec §1.1), seeded: {@code Xavier(rnd_type="gaussian",
 * factor_type="in", magnitude=2)} for weights, i.e. N(0, sqrt(2 / fan_in)) with fan_in =
 * shape[1]·prod(shape[2:]); {@code _bias}/{@code _beta} 0, {@code _gamma} 1, {@code moving_mean}
 * 0, {@code moving_var} 1. The same seed gives the same values on every machine.
 */
public final class Initialization {
  private Initialization() {}

  /** Fresh parameters for a graph at the given input shape. */
  public static ParamSet initialize(Graph graph, ImageShape shape, long seed) {
    ShapeInference.Shapes s = ShapeInference.infer(graph, new long[] {1, shape.channels(), shape.height(), shape.width()});
    SplittableRandom rng = new SplittableRandom(seed);
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (Map.Entry<String, long[]> e : s.parameters().entrySet()) {
      String name = e.getKey();
      long[] dims = e.getValue();
      Tensor t;
      if (name.endsWith("_bias") || name.endsWith("_beta")) {
        t = Tensor.filled(dims, 0f);
      } else if (name.endsWith("_gamma")) {
        t = Tensor.filled(dims, 1f);
      } else {
        long fanIn = dims.length < 2 ? dims[0] : ShapeInference.numel(dims) / dims[0];
        double scale = Math.sqrt(2.0 / fanIn);
        float[] d = new float[Math.toIntExact(ShapeInference.numel(dims))];
        for (int i = 0; i < d.length; i++) {
          d[i] = (float) (rng.nextGaussian() * scale);
        }
        t = new Tensor(dims, d);
      }
      out.put(ParamSet.ARG + name, t);
    }
    for (Map.Entry<String, long[]> e : s.auxiliary().entrySet()) {
      out.put(ParamSet.AUX + e.getKey(), Tensor.filled(e.getValue(), e.getKey().endsWith("_moving_var") ? 1f : 0f));
    }
    return new ParamSet(out);
  }
}
