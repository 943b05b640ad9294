package io.imgclass.core.infer;

import io.imgclass.core.model.ImageShape;
import io.imgclass.core.model.Initialization;
import io.imgclass.core.model.ModelArchive;
import io.imgclass.core.model.ModelArtifact;
import io.imgclass.core.model.ParamSet;
import io.imgclass.core.model.ResNet;
import io.imgclass.core.model.ResNetConfig;
import io.imgclass.core.model.Tensor;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/** Small generated models and images for inference and evaluation tests. */
public final class InferFixtures {
  private InferFixtures() {}

  /**
   * A freshly initialised model (seeded), with {@code bn_data}'s statistics set for raw 0–255
   * pixels and a small FC layer, so the probabilities are not saturated at 0/1 and different
   * images give visibly different answers.
   */
  public static Path model(Path dir, ImageShape shape, int classes, boolean multiLabel, long seed) throws IOException {
    ResNetConfig c = ResNetConfig.of(20, shape, classes).withMultiLabel(multiLabel);
    var g = ResNet.build(c);
    ParamSet init = Initialization.initialize(g, shape, seed);
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (Map.Entry<String, Tensor> e : init.arrays().entrySet()) {
      float[] d = e.getValue().data().clone();
      String k = e.getKey();
      if (k.equals("aux:bn_data_moving_mean")) {
        java.util.Arrays.fill(d, 120f);
      } else if (k.equals("aux:bn_data_moving_var")) {
        java.util.Arrays.fill(d, 5000f);
      } else if (k.equals("arg:fc_weight")) {
        for (int i = 0; i < d.length; i++) {
          d[i] *= 0.05f;
        }
      }
      out.put(k, new Tensor(e.getValue().shape(), d));
    }
    List<String> names = new ArrayList<>();
    for (int i = 0; i < classes; i++) {
      names.add("class" + i);
    }
    Path f = dir.resolve(multiLabel ? "multi.tar.gz" : "model.tar.gz");
    ModelArchive.write(new ModelArtifact(g, new ParamSet(out), 1, shape, 8, names), f);
    return f;
  }

  /** A PNG of smooth random colour blobs (seeded). */
  public static byte[] png(int w, int h, long seed) throws IOException {
    SplittableRandom r = new SplittableRandom(seed);
    double[] cx = new double[3];
    double[] cy = new double[3];
    for (int i = 0; i < 3; i++) {
      cx[i] = r.nextDouble() * w;
      cy[i] = r.nextDouble() * h;
    }
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int rgb = 0;
        for (int c = 0; c < 3; c++) {
          double d = Math.hypot(x - cx[c], y - cy[c]) / Math.max(w, h);
          int v = (int) Math.max(0, Math.min(255, 255 * (1 - d) + r.nextInt(16)));
          rgb = (rgb << 8) | v;
        }
        img.setRGB(x, y, rgb);
      }
    }
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    ImageIO.write(img, "png", bos);
    return bos.toByteArray();
  }
}
