package io.imgclass.core.train;

import io.imgclass.core.data.SampleSource;
import java.util.Locale;

/** The lines a training job logs before its first epoch, as SageMaker's job logs them. */
final class StartLog {
  private StartLog() {}

  static void write(TrainingLog log, TrainingHyperparameters hp, TrainRequest req, SampleSource train) {
    log.info("Final configuration: " + hp.asStrings());
    log.info("use_pretrained_model: " + (req.pretrained() != null ? 1 : 0));
    log.info("multi_label: " + (hp.multiLabel() ? 1 : 0));
    log.info("---- Parameters ----");
    log.info("num_layers: " + hp.numLayers());
    log.info("data type: <class 'numpy.float32'>");
    log.info("epochs: " + hp.epochs());
    log.info("optimizer: " + hp.optimizer().name().toLowerCase(Locale.ROOT));
    log.info("momentum: " + hp.asStrings().get("momentum"));
    log.info("weight_decay: " + hp.asStrings().get("weight_decay"));
    log.info("learning_rate: " + hp.asStrings().get("learning_rate"));
    log.info("num_training_samples: " + hp.numTrainingSamples());
    log.info("mini_batch_size: " + hp.miniBatchSize());
    log.info("image_shape: " + hp.channels() + "," + hp.height() + "," + hp.width());
    log.info("num_classes: " + hp.numClasses());
    if (hp.augmentationType() != TrainingHyperparameters.Augmentation.NONE) {
      log.info("augmentation_type: " + hp.augmentationType().name().toLowerCase(Locale.ROOT));
    }
    hp.resize().ifPresent(r -> log.info("image resize size: " + r));
    hp.topK().ifPresent(k -> log.info("top_k: " + k));
    log.info("kv_store: " + (hp.kvStore() == null ? "device" : hp.kvStore()));
    if (hp.checkpointFrequency().isEmpty()) {
      log.info("checkpoint_frequency not set, will store the best model");
    }
    if (train.size() != hp.numTrainingSamples()) {
      log.info("WARNING: num_training_samples is " + hp.numTrainingSamples() + " but " + train.describe() + " has "
          + train.size() + " examples; epoch size and lr_scheduler_step boundaries follow num_training_samples");
    }
  }
}
