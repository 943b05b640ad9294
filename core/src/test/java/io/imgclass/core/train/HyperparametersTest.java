package io.imgclass.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imgclass.core.UsageException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HyperparametersTest {
  private static final Map<String, String> REQUIRED = Map.of("num_classes", "10", "num_training_samples", "1000");

  @Test
  void defaultsAreSageMakersEffectiveOnes() {
    TrainingHyperparameters hp = Hyperparameters.resolve(REQUIRED);
    assertThat(hp.numLayers()).isEqualTo(152);
    assertThat(hp.epochs()).isEqualTo(30);
    assertThat(hp.miniBatchSize()).isEqualTo(32);
    assertThat(hp.learningRate()).isEqualTo(0.1f);
    // default-input.json says 0, the jobs log and use 0.9 (spec §1.1).
    assertThat(hp.momentum()).isEqualTo(0.9f);
    assertThat(hp.weightDecay()).isEqualTo(1e-4f);
    assertThat(hp.imageShape()).containsExactly(3, 224, 224);
    assertThat(hp.optimizer()).isEqualTo(TrainingHyperparameters.OptimizerKind.SGD);
    assertThat(hp.augmentationType()).isEqualTo(TrainingHyperparameters.Augmentation.NONE);
    assertThat(hp.checkpointFrequency()).isEmpty();
    assertThat(hp.earlyStopping()).isFalse();
    assertThat(hp.earlyStoppingMinEpochs()).isEqualTo(10);
    assertThat(hp.earlyStoppingPatience()).isEqualTo(5);
    assertThat(hp.lrSchedulerStep()).isEmpty();
    assertThat(hp.beta1()).isEqualTo(0.9f);
    assertThat(hp.beta2()).isEqualTo(0.999f);
    assertThat(hp.eps()).isEqualTo(1e-8f);
    assertThat(hp.gamma()).isEqualTo(0.9f);
    assertThat(hp.precisionDtype()).isEqualTo("float32");
  }

  @Test
  void laterLayersWinAndStringsAreParsedAsSageMakerPassesThem() {
    TrainingHyperparameters hp = Hyperparameters.resolve(
        REQUIRED,
        Map.of("epochs", "5", "lr_scheduler_step", "2, 4", "early_stopping", "True", "image_shape", "1,28,28",
            "num_layers", "20", "augmentation_type", "crop_color"),
        Map.of("epochs", "3"));
    assertThat(hp.epochs()).isEqualTo(3);
    assertThat(hp.lrSchedulerStep()).containsExactly(2, 4);
    assertThat(hp.earlyStopping()).isTrue();
    assertThat(hp.imageShape()).containsExactly(1, 28, 28);
    assertThat(hp.augmentationType().colorJitter()).isTrue();
    assertThat(hp.asStrings()).containsEntry("epochs", "3").containsEntry("num_layers", "20");
  }

  @Test
  void missingRequiredValueNamesIt() {
    assertThatThrownBy(() -> Hyperparameters.resolve(Map.of("num_classes", "2")))
        .isInstanceOf(UsageException.class)
        .hasMessage("Missing required hyperparameter 'num_training_samples' (--num-training-samples)");
  }

  @Test
  void invalidValuesGetSageMakersMessage() {
    assertThatThrownBy(() -> Hyperparameters.resolve(REQUIRED, Map.of("optimizer", "adagrad")))
        .hasMessage("The value 'adagrad' is not valid for the 'optimizer' hyperparameter which expects one of "
            + "the following: sgd, adam, rmsprop, nag");
    assertThatThrownBy(() -> Hyperparameters.resolve(REQUIRED, Map.of("learning_rate", "1.5")))
        .hasMessage("The value '1.5' is not valid for the 'learning_rate' hyperparameter which expects a float [0, 1]");
    assertThatThrownBy(() -> Hyperparameters.resolve(REQUIRED, Map.of("num_layers", "19")))
        .hasMessageContaining("'num_layers' hyperparameter which expects one of the following: 18, 34, 50");
    assertThatThrownBy(() -> Hyperparameters.resolve(REQUIRED, Map.of("mini_batch_size", "0")))
        .hasMessageContaining("which expects an integer >= 1");
    assertThatThrownBy(() -> Hyperparameters.resolve(REQUIRED, Map.of("top_k", "1")))
        .hasMessageContaining("'top_k' hyperparameter which expects an integer > 1");
    assertThatThrownBy(() -> Hyperparameters.resolve(REQUIRED, Map.of("image_shape", "2,28,28")))
        .hasMessageContaining("'image_shape'");
    assertThatThrownBy(() -> Hyperparameters.resolve(REQUIRED, Map.of("lr_scheduler_step", "20,10")))
        .hasMessageContaining("increasing order");
    assertThatThrownBy(() -> Hyperparameters.resolve(REQUIRED, Map.of("early_stopping", "yes")))
        .hasMessageContaining("one of the following: True, False");
    assertThatThrownBy(() -> Hyperparameters.resolve(REQUIRED, Map.of("multi_label", "2")))
        .hasMessageContaining("one of the following: 0, 1");
  }

  @Test
  void crossChecks() {
    assertThatThrownBy(() -> Hyperparameters.resolve(REQUIRED, Map.of("epochs", "5", "checkpoint_frequency", "6")))
        .hasMessageContaining("[1, epochs=5]");
    assertThatThrownBy(() -> Hyperparameters.resolve(REQUIRED, Map.of("resize", "200")))
        .hasMessageContaining("at least the image_shape height and width (224x224)");
    assertThatThrownBy(() -> Hyperparameters.resolve(REQUIRED, Map.of("use_pretrained_model", "1", "num_layers", "20")))
        .hasMessageContaining("needs num_layers 18, 34");
    assertThatThrownBy(() -> Hyperparameters.resolve(REQUIRED, Map.of("top_k", "11")))
        .hasMessageContaining("must not exceed num_classes (10)");
    assertThat(Hyperparameters.resolve(REQUIRED, Map.of("resize", "224")).resize()).hasValue(224);
  }

  @Test
  void unknownNamesAreRefusedWithASuggestion() {
    assertThatThrownBy(() -> Hyperparameters.resolve(REQUIRED, Map.of("learningrate", "0.1")))
        .isInstanceOf(UsageException.class)
        .hasMessage("unknown hyperparameter 'learningrate'; did you mean 'learning_rate'?");
  }

  @Test
  void readsHyperparametersJson(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("hyperparameters.json");
    Files.writeString(f, "{\"num_classes\": \"3\", \"num_training_samples\": 60, \"epochs\": \"2\","
        + " \"sagemaker_program\": \"x\", \"early_stopping\": true}");
    Map<String, String> m = Hyperparameters.readJson(f);
    assertThat(m).containsOnly(Map.entry("num_classes", "3"), Map.entry("num_training_samples", "60"),
        Map.entry("epochs", "2"), Map.entry("early_stopping", "true"));
    assertThat(Hyperparameters.resolve(m).earlyStopping()).isTrue();

    Files.writeString(f, "{\"num_classes\": ");
    assertThatThrownBy(() -> Hyperparameters.readJson(f)).hasMessageStartingWith(f + ": not valid JSON");
    Files.writeString(f, "{\"num_clases\": \"3\"}");
    assertThatThrownBy(() -> Hyperparameters.readJson(f))
        .hasMessage(f + ": unknown hyperparameter 'num_clases'; did you mean 'num_classes'?");
  }

  @Test
  void everyDefinitionHasAnOptionAndADescription() {
    assertThat(Hyperparameters.DEFINITIONS).hasSize(29);
    for (HyperparameterDef d : Hyperparameters.DEFINITIONS) {
      assertThat(d.option()).startsWith("--").doesNotContain("_");
      assertThat(d.description()).isNotBlank();
      if (d.defaultValue() != null) {
        Hyperparameters.check(d, d.defaultValue());
      }
    }
  }
}
