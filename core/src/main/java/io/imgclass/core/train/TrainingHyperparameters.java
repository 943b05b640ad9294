package io.imgclass.core.train;

import io.imgclass.core.UsageException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Checked, typed hyperparameters of one training job. Built by {@link Hyperparameters#resolve};
 * {@link #asStrings()} gives back the merged string form SageMaker logs as "Final configuration".
 */
public record TrainingHyperparameters(
    int numClasses,
    long numTrainingSamples,
    Augmentation augmentationType,
    float beta1,
    float beta2,
    OptionalInt checkpointFrequency,
    boolean earlyStopping,
    int earlyStoppingMinEpochs,
    int earlyStoppingPatience,
    float earlyStoppingTolerance,
    int epochs,
    float eps,
    float gamma,
    int channels,
    int height,
    int width,
    String kvStore,
    float learningRate,
    float lrSchedulerFactor,
    List<Integer> lrSchedulerStep,
    int miniBatchSize,
    float momentum,
    boolean multiLabel,
    int numLayers,
    OptimizerKind optimizer,
    String precisionDtype,
    OptionalInt resize,
    OptionalInt topK,
    boolean usePretrainedModel,
    boolean useWeightedLoss,
    float weightDecay,
    Map<String, String> asStrings) {

  /** augmentation_type. */
  public enum Augmentation {
    NONE, CROP, CROP_COLOR, CROP_COLOR_TRANSFORM;

    /** Whether random crop and mirror are on. */
    public boolean randomCrop() {
      return this != NONE;
    }

    /** Whether hue/saturation/lightness jitter is on. */
    public boolean colorJitter() {
      return this == CROP_COLOR || this == CROP_COLOR_TRANSFORM;
    }

    /** Whether the random affine transform is on. */
    public boolean affine() {
      return this == CROP_COLOR_TRANSFORM;
    }
  }

  /** optimizer. */
  public enum OptimizerKind { SGD, ADAM, RMSPROP, NAG }

  public TrainingHyperparameters {
    lrSchedulerStep = List.copyOf(lrSchedulerStep);
    asStrings = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(asStrings));
  }

  /** image_shape as {@code [channels, height, width]}. */
  public int[] imageShape() {
    return new int[] {channels, height, width};
  }

  /** Whether this job trains on several machines through MXNet's parameter server. */
  public boolean distributed() {
    return kvStore != null && kvStore.startsWith("dist_");
  }

  static TrainingHyperparameters from(Map<String, String> v) {
    int[] shape = Hyperparameters.parseShape(v.get("image_shape"));
    int epochs = i(v, "epochs");
    OptionalInt checkpointFrequency = opt(v, "checkpoint_frequency");
    if (checkpointFrequency.isPresent() && checkpointFrequency.getAsInt() > epochs) {
      throw new UsageException("The value '" + v.get("checkpoint_frequency")
          + "' is not valid for the 'checkpoint_frequency' hyperparameter which expects an integer in [1, epochs=" + epochs + "]");
    }
    OptionalInt resize = opt(v, "resize");
    if (resize.isPresent() && (resize.getAsInt() < shape[1] || resize.getAsInt() < shape[2])) {
      throw new UsageException("The value '" + v.get("resize") + "' is not valid for the 'resize' hyperparameter: "
          + "the shorter side must be resized to at least the image_shape height and width (" + shape[1] + "x" + shape[2]
          + "), or cropping would fail");
    }
    List<Integer> steps = Hyperparameters.parseIntList(v.getOrDefault("lr_scheduler_step", ""));
    boolean pretrained = flag(v, "use_pretrained_model");
    int numLayers = i(v, "num_layers");
    if (pretrained && numLayers != 18 && numLayers != 34 && numLayers != 50 && numLayers != 101
        && numLayers != 152 && numLayers != 200) {
      throw new UsageException("use_pretrained_model=1 needs num_layers 18, 34, 50, 101, 152 or 200, got " + numLayers);
    }
    OptionalInt topK = opt(v, "top_k");
    int numClasses = i(v, "num_classes");
    if (topK.isPresent() && topK.getAsInt() > numClasses) {
      throw new UsageException("The value '" + topK.getAsInt() + "' is not valid for the 'top_k' hyperparameter: "
          + "it must not exceed num_classes (" + numClasses + ")");
    }
    String aug = v.get("augmentation_type");
    return new TrainingHyperparameters(
        numClasses,
        Hyperparameters.parseInt(v.get("num_training_samples")),
        aug == null ? Augmentation.NONE : Augmentation.valueOf(aug.toUpperCase(Locale.ROOT)),
        f(v, "beta_1"),
        f(v, "beta_2"),
        checkpointFrequency,
        Hyperparameters.parseBool(v.get("early_stopping")),
        i(v, "early_stopping_min_epochs"),
        i(v, "early_stopping_patience"),
        f(v, "early_stopping_tolerance"),
        epochs,
        f(v, "eps"),
        f(v, "gamma"),
        shape[0],
        shape[1],
        shape[2],
        v.get("kv_store"),
        f(v, "learning_rate"),
        f(v, "lr_scheduler_factor"),
        steps,
        i(v, "mini_batch_size"),
        f(v, "momentum"),
        flag(v, "multi_label"),
        numLayers,
        OptimizerKind.valueOf(v.get("optimizer").toUpperCase(Locale.ROOT)),
        v.get("precision_dtype"),
        resize,
        topK,
        pretrained,
        flag(v, "use_weighted_loss"),
        f(v, "weight_decay"),
        v);
  }

  private static int i(Map<String, String> v, String name) {
    return (int) (long) Hyperparameters.parseInt(v.get(name));
  }

  private static float f(Map<String, String> v, String name) {
    return (float) (double) Hyperparameters.parseFloat(v.get(name));
  }

  private static boolean flag(Map<String, String> v, String name) {
    return i(v, name) == 1;
  }

  private static OptionalInt opt(Map<String, String> v, String name) {
    return v.containsKey(name) ? OptionalInt.of(i(v, name)) : OptionalInt.empty();
  }
}
