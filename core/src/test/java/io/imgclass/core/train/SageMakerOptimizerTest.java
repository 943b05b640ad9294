package io.imgclass.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.imgclass.core.train.TrainingHyperparameters.OptimizerKind;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each optimizer against values computed by hand from MXNet 1.x's update formulas. */
class SageMakerOptimizerTest {
  private static final Map<String, String> NAMES = Map.of("w", "conv0_weight", "b", "fc_bias");

  private static float[] run(OptimizerKind kind, String id, float w0, float[] grads) {
    SageMakerOptimizer opt = SageMakerOptimizer.builder()
        .setKind(kind)
        .setSchedule(LrSchedule.constant(0.1f))
        .optWeightDecay(0.01f)
        .optMomentum(0.9f)
        .optAdam(0.9f, 0.999f, 1e-8f)
        .optRmsProp(0.9f, 1e-8f)
        .setParameterNames(NAMES::get)
        .setRescaleGrad(0.5f)
        .build();
    float[] out = new float[grads.length];
    try (NDManager m = NDManager.newBaseManager("MXNet")) {
      NDArray w = m.create(new float[] {w0});
      for (int i = 0; i < grads.length; i++) {
        opt.update(id, w, m.create(new float[] {grads[i]}));
        out[i] = w.toFloatArray()[0];
      }
    }
    return out;
  }

  @Test
  void sgdMomentumWithWeightDecayOnWeights() {
    // g = 0.5*grad + 0.01*w ; m = 0.9 m - 0.1 g ; w += m
    double w = 1, m = 0;
    double[] grads = {2, -1, 4};
    float[] got = run(OptimizerKind.SGD, "w", 1, new float[] {2, -1, 4});
    for (int i = 0; i < 3; i++) {
      double g = 0.5 * grads[i] + 0.01 * w;
      m = 0.9 * m - 0.1 * g;
      w += m;
      assertThat(got[i]).isCloseTo((float) w, within(1e-6f));
    }
  }

  @Test
  void biasesGetNoWeightDecay() {
    double w = 1, m = 0;
    double[] grads = {2, -1};
    float[] got = run(OptimizerKind.SGD, "b", 1, new float[] {2, -1});
    for (int i = 0; i < 2; i++) {
      m = 0.9 * m - 0.1 * (0.5 * grads[i]);
      w += m;
      assertThat(got[i]).isCloseTo((float) w, within(1e-6f));
    }
  }

  @Test
  void nag() {
    double w = 1, m = 0;
    double[] grads = {2, -1, 4};
    float[] got = run(OptimizerKind.NAG, "w", 1, new float[] {2, -1, 4});
    for (int i = 0; i < 3; i++) {
      double g = 0.5 * grads[i] + 0.01 * w;
      m = 0.9 * m + g;
      w -= 0.1 * (g + 0.9 * m);
      assertThat(got[i]).isCloseTo((float) w, within(1e-6f));
    }
  }

  @Test
  void adamWithBiasCorrection() {
    double w = 1, mean = 0, var = 0;
    double[] grads = {2, -1, 4};
    float[] got = run(OptimizerKind.ADAM, "w", 1, new float[] {2, -1, 4});
    for (int i = 0; i < 3; i++) {
      int t = i + 1;
      double g = 0.5 * grads[i] + 0.01 * w;
      mean = 0.9 * mean + 0.1 * g;
      var = 0.999 * var + 0.001 * g * g;
      double lrT = 0.1 * Math.sqrt(1 - Math.pow(0.999, t)) / (1 - Math.pow(0.9, t));
      w -= lrT * mean / (Math.sqrt(var) + 1e-8);
      assertThat(got[i]).isCloseTo((float) w, within(1e-5f));
    }
  }

  @Test
  void rmspropUncentred() {
    double w = 1, n = 0;
    double[] grads = {2, -1, 4};
    float[] got = run(OptimizerKind.RMSPROP, "w", 1, new float[] {2, -1, 4});
    for (int i = 0; i < 3; i++) {
      double g = 0.5 * grads[i] + 0.01 * w;
      n = 0.9 * n + 0.1 * g * g;
      w -= 0.1 * g / Math.sqrt(n + 1e-8);
      assertThat(got[i]).isCloseTo((float) w, within(1e-5f));
    }
  }

  @Test
  void weightDecayRuleFollowsMxnetNames() {
    assertThat(SageMakerOptimizer.decays("stage1_unit1_conv1_weight")).isTrue();
    assertThat(SageMakerOptimizer.decays("bn_data_gamma")).isTrue();
    assertThat(SageMakerOptimizer.decays("fc_bias")).isFalse();
    assertThat(SageMakerOptimizer.decays("bn1_beta")).isFalse();
    assertThat(SageMakerOptimizer.decays("bn1_moving_var")).isFalse();
  }
}
