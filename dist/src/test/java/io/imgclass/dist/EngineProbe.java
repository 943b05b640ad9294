package io.imgclass.dist;

import ai.djl.engine.Engine;
import ai.djl.mxnet.jna.LibUtils;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * Started by {@link ImageIT} with the image's own Java runtime and jars: starts the MXNet engine,
 * computes one product, and prints where the native library came from and the result.
 */
public final class EngineProbe {
  private EngineProbe() {}

  public static void main(String[] args) {
    Engine engine = Engine.getEngine("MXNet");
    System.out.println("library " + LibUtils.getLibName());
    System.out.println("version " + engine.getVersion());
    try (NDManager m = NDManager.newBaseManager(engine.getEngineName())) {
      NDArray a = m.create(new float[] {1, 2, 3, 4}, new Shape(2, 2));
      System.out.println("product " + Arrays.toString(a.matMul(a).toFloatArray()));
    }
  }
}
