package io.imgclass.core;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

/** Fails CI when the bundled MXNet native library cannot start offline. */
class EngineSmokeTest {
  @Test
  void mxnetStartsOfflineAndComputes() {
    Engine engine = Engine.getEngine("MXNet");
    assertThat(engine.getVersion()).startsWith("1.9");
    try (NDManager m = NDManager.newBaseManager(engine.getEngineName())) {
      NDArray a = m.create(new float[] {1, 2, 3, 4}, new ai.djl.ndarray.types.Shape(2, 2));
      NDArray b = a.matMul(a);
      assertThat(b.toFloatArray()).containsExactly(7, 10, 15, 22);
    }
  }
}
