package io.imgclass.core.model;

import io.imgclass.core.UsageException;
import java.util.List;
import java.util.Objects;

/**
 * What SageMaker's image-classification algorithm builds its ResNet from (spec §4.1).
 *
 * <p>The constructor applies MXNet's {@code get_symbol} selection rules and SageMaker's allowed
 * {@code num_layers} values, so an impossible combination is refused here with a message naming
 * the rule, instead of failing later inside the engine.
 *
 * @param numLayers network depth: 18, 34, 50, 101, 152, 200 (height &gt; 28) or 20, 32, 44, 56, 110
 *     (height &le; 28)
 * @param imageShape input C,H,W
 * @param numClasses width of the output layer (&gt; 0)
 * @param multiLabel true: independent per-class sigmoid outputs instead of a softmax
 * @param precision the compute dtype
 * @param fcName name of the last FullyConnected layer: {@code fc} as in SageMaker's artifacts, or
 *     {@code fc1} as in MXNet's example
 */
public record ResNetConfig(
    int numLayers, ImageShape imageShape, int numClasses, boolean multiLabel, Precision precision, String fcName) {

  /** The depths SageMaker accepts for images taller than 28 pixels. */
  public static final List<Integer> IMAGENET_DEPTHS = List.of(18, 34, 50, 101, 152, 200);
  /** The depths SageMaker accepts for images at most 28 pixels tall (CIFAR-style). */
  public static final List<Integer> CIFAR_DEPTHS = List.of(20, 32, 44, 56, 110);
  /** The FC layer name in SageMaker's artifacts. */
  public static final String DEFAULT_FC_NAME = "fc";

  /** Validates the combination (see the class comment). */
  public ResNetConfig {
    Objects.requireNonNull(imageShape, "imageShape");
    Objects.requireNonNull(precision, "precision");
    Objects.requireNonNull(fcName, "fcName");
    if (numClasses <= 0) {
      throw new UsageException("num_classes must be > 0, got " + numClasses);
    }
    if (!fcName.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new UsageException("FC layer name must be an identifier, got '" + fcName + "'");
    }
    if (!IMAGENET_DEPTHS.contains(numLayers) && !CIFAR_DEPTHS.contains(numLayers)) {
      throw new UsageException(
          "num_layers must be one of 18, 34, 50, 101, 152, 200 (image height > 28) or 20, 32, 44, 56, 110"
              + " (image height <= 28); got " + numLayers);
    }
    int h = imageShape.height();
    if (h <= 28 && !CIFAR_DEPTHS.contains(numLayers)) {
      throw new UsageException(
          "num_layers " + numLayers + " needs image height > 28 (image_shape " + imageShape
              + "); for height <= 28 MXNet's ResNet takes (num_layers-2) % 6 == 0: use 20, 32, 44, 56 or 110");
    }
    if (h > 28 && !IMAGENET_DEPTHS.contains(numLayers)) {
      throw new UsageException(
          "num_layers " + numLayers + " is the CIFAR-style depth for image height <= 28, but image_shape "
              + imageShape + " has height " + h + "; use 18, 34, 50, 101, 152 or 200");
    }
  }

  /** A float32 single-label configuration with the SageMaker FC name. */
  public static ResNetConfig of(int numLayers, ImageShape imageShape, int numClasses) {
    return new ResNetConfig(numLayers, imageShape, numClasses, false, Precision.FLOAT32, DEFAULT_FC_NAME);
  }

  /** The same configuration with another FC layer name. */
  public ResNetConfig withFcName(String name) {
    return new ResNetConfig(numLayers, imageShape, numClasses, multiLabel, precision, name);
  }

  /** The same configuration for multi-label (or not). */
  public ResNetConfig withMultiLabel(boolean value) {
    return new ResNetConfig(numLayers, imageShape, numClasses, value, precision, fcName);
  }

  /** The same configuration in another precision. */
  public ResNetConfig withPrecision(Precision value) {
    return new ResNetConfig(numLayers, imageShape, numClasses, multiLabel, value, fcName);
  }

  /**
   * The stage layout MXNet's {@code get_symbol} derives from the configuration.
   *
   * @param units residual units per stage
   * @param filters the stem's filter count followed by one per stage
   * @param bottleneck bottleneck (1x1, 3x3, 1x1) units rather than basic (3x3, 3x3) ones
   * @param smallStem a single 3x3 stride-1 conv0 (height &le; 32) rather than the ImageNet stem
   */
  public record Layout(List<Integer> units, List<Integer> filters, boolean bottleneck, boolean smallStem) {}

  /** The layout for this configuration (spec §4.1). */
  public Layout layout() {
    boolean smallStem = imageShape.height() <= 32;
    if (imageShape.height() <= 28) {
      int per = (numLayers - 2) / 6;
      return new Layout(List.of(per, per, per), List.of(16, 16, 32, 64), false, smallStem);
    }
    List<Integer> units =
        switch (numLayers) {
          case 18 -> List.of(2, 2, 2, 2);
          case 34, 50 -> List.of(3, 4, 6, 3);
          case 101 -> List.of(3, 4, 23, 3);
          case 152 -> List.of(3, 8, 36, 3);
          case 200 -> List.of(3, 24, 36, 3);
          default -> throw new IllegalStateException("validated in the constructor: " + numLayers);
        };
    boolean bottleneck = numLayers >= 50;
    List<Integer> filters = bottleneck ? List.of(64, 256, 512, 1024, 2048) : List.of(64, 64, 128, 256, 512);
    return new Layout(units, filters, bottleneck, smallStem);
  }
}
