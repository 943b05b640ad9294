package io.imgclass.core.train;

import io.imgclass.core.data.Batch;
import io.imgclass.core.model.ParamSet;

/**
 * One engine's side of training (the seam between {@link TrainingJob} and a DJL engine): the
 * weights bound on the engine, one step (forward, loss, backward), the update (locally through
 * {@link SageMakerOptimizer} or through the kvstore), and reading weights and BatchNorm statistics
 * back in MXNet's naming and conventions. {@link TrainBackends#open} picks the implementation.
 */
interface TrainBackend extends AutoCloseable {
  /** What one training step computed. */
  record Step(float loss, float[] logits) {}

  /**
   * Forward, loss and backward on one batch, in training mode (BatchNorm updates its running
   * statistics). The gradients wait for {@link #update}.
   *
   * @return the mean loss over the batch and the logits, {@code size × num_classes} row-major
   */
  Step step(Batch batch);

  /** Applies the gradients of the latest {@link #step}. */
  void update();

  /** The logits of a batch in inference mode (validation), {@code size × num_classes} row-major. */
  float[] logits(Batch batch);

  /** The current weights ({@code arg:}) and BatchNorm statistics ({@code aux:}), in graph order. */
  ParamSet snapshot();

  /** The optimizer's state for a resume ({@link SageMakerOptimizer#exportState}). */
  ParamSet optimizerState();

  /** The learning rate of the latest update. */
  float lastLearningRate();

  /** Waits for work the engine still has queued (so data decoding gets the cores to itself). */
  void sync();

  @Override
  void close();
}
