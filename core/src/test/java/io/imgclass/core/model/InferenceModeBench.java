package io.imgclass.core.model;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Measures the two execution modes of {@link NetworkRunner} side by side (not a unit test; run by
 * bench/model-inference-modes.sh). Arguments: {@code LAYERS C,H,W BATCH REPS} ... (groups of 4).
 * Prints one line per configuration and mode with the median and the ratio.
 */
public final class InferenceModeBench {
  private InferenceModeBench() {}

  public static void main(String[] args) {
    for (int a = 0; a + 3 < args.length; a += 4) {
      int layers = Integer.parseInt(args[a]);
      ImageShape shape = ImageShape.parse(args[a + 1]);
      int batch = Integer.parseInt(args[a + 2]);
      int reps = Integer.parseInt(args[a + 3]);
      Graph g = ResNet.build(ResNetConfig.of(layers, shape, 10));
      ParamSet p = Initialization.initialize(g, shape, 1);
      SplittableRandom r = new SplittableRandom(3);
      float[][] x = new float[batch][shape.size()];
      for (float[] img : x) {
        for (int i = 0; i < img.length; i++) {
          img[i] = r.nextInt(256);
        }
      }
      List<NetworkRunner.Mode> modes = List.of(NetworkRunner.Mode.SYMBOL, NetworkRunner.Mode.BLOCKS);
      double[][] ms = new double[modes.size()][reps];
      NetworkRunner[] runners = new NetworkRunner[modes.size()];
      for (int m = 0; m < modes.size(); m++) {
        runners[m] = new NetworkRunner(g, p, shape, modes.get(m));
        for (int w = 0; w < 3; w++) {
          runners[m].predict(x);
        }
      }
      // Interleave the modes so machine noise hits both alike.
      for (int i = 0; i < reps; i++) {
        for (int m = 0; m < modes.size(); m++) {
          long t0 = System.nanoTime();
          runners[m].predict(x);
          ms[m][i] = (System.nanoTime() - t0) / 1e6;
        }
      }
      double[] med = new double[modes.size()];
      for (int m = 0; m < modes.size(); m++) {
        Arrays.sort(ms[m]);
        med[m] = ms[m][reps / 2];
        runners[m].close();
        System.out.printf(
            "resnet-%d %s batch %d: %-6s median %.2f ms/batch (%.1f img/s), min %.2f, max %.2f, n=%d%n",
            layers, shape, batch, modes.get(m), med[m], batch * 1000 / med[m], ms[m][0], ms[m][reps - 1], reps);
      }
      System.out.printf("resnet-%d %s batch %d: BLOCKS/SYMBOL time ratio %.2f%n", layers, shape, batch, med[1] / med[0]);
    }
  }
}
