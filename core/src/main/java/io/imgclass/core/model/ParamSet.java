package io.imgclass.core.model;

import io.imgclass.core.ImgclassException;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The contents of a {@code .params} file as {@code save_checkpoint} names them: learnable
 * parameters under {@code arg:NAME}, BatchNorm moving statistics under {@code aux:NAME}.
 *
 * @param arrays arrays by their full key ({@code arg:conv0_weight}), in file order
 */
public record ParamSet(Map<String, Tensor> arrays) {
  /** Prefix of learnable parameters. */
  public static final String ARG = "arg:";
  /** Prefix of auxiliary states. */
  public static final String AUX = "aux:";

  /** Copies the map, keeping its order. */
  public ParamSet {
    arrays = Collections.unmodifiableMap(new LinkedHashMap<>(arrays));
  }

  /** The parameter or auxiliary state named {@code name} (without prefix), or {@code null}. */
  public Tensor get(String name) {
    Tensor t = arrays.get(ARG + name);
    return t != null ? t : arrays.get(AUX + name);
  }

  /**
   * Checks that every parameter and auxiliary state the graph needs is here with its inferred
   * shape, and returns a set ordered as the graph lists them (parameters, then auxiliary states).
   *
   * @param source file name, for messages
   */
  public ParamSet matching(ShapeInference.Shapes shapes, String source) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    check(shapes.parameters(), ARG, source, out);
    check(shapes.auxiliary(), AUX, source, out);
    return new ParamSet(out);
  }

  private void check(Map<String, long[]> wanted, String prefix, String source, Map<String, Tensor> out) {
    for (Map.Entry<String, long[]> e : wanted.entrySet()) {
      Tensor t = arrays.get(prefix + e.getKey());
      if (t == null) {
        // Tolerate a file that swapped arg:/aux: (some converters do), but nothing else.
        t = arrays.get((prefix.equals(ARG) ? AUX : ARG) + e.getKey());
      }
      if (t == null) {
        throw new ImgclassException(source + ": no array named " + prefix + e.getKey() + " (the symbol needs it)");
      }
      if (!Arrays.equals(t.shape(), e.getValue())) {
        throw new ImgclassException(
            source + ": " + prefix + e.getKey() + " has shape " + Arrays.toString(t.shape()) + ", the symbol needs "
                + Arrays.toString(e.getValue()));
      }
      out.put(prefix + e.getKey(), t);
    }
  }
}
