package io.imgclass.core.train;

import java.nio.file.Path;

/**
 * Everything one {@code imgclass train} run needs.
 *
 * @param hyperparameters checked hyperparameters
 * @param train the train channel
 * @param validation the validation channel, or null
 * @param model an earlier model.tar.gz to continue from (SageMaker's {@code model} channel), or null
 * @param pretrained an artifact whose layers except the final {@code fc} start the network, or null
 * @param output folder for model.tar.gz, metrics.json, the curve and checkpoints
 * @param resume an output folder of an interrupted run to continue, or null
 * @param seed seed for initialisation, shuffling and augmentation
 * @param threads data-loading threads
 * @param engine {@code MXNet} or {@code PyTorch}
 * @param gpus GPUs to use (0 = CPU)
 * @param batchLogInterval log a Speed line every this many batches
 * @param kvTimeout for {@code dist_*} kv stores: longest wait for the cluster before the worker gives
 *     up with exit code 1 (zero: wait forever, as ps-lite does)
 */
public record TrainRequest(
    TrainingHyperparameters hyperparameters,
    Channel train,
    Channel validation,
    Path model,
    Path pretrained,
    Path output,
    Path resume,
    long seed,
    int threads,
    String engine,
    int gpus,
    int batchLogInterval,
    java.time.Duration kvTimeout) {

  /** Default wait for the other nodes of a distributed job. */
  public static final java.time.Duration DEFAULT_KV_TIMEOUT = java.time.Duration.ofSeconds(300);

  /** A request with the default {@link #kvTimeout}. */
  public TrainRequest(TrainingHyperparameters hyperparameters, Channel train, Channel validation, Path model,
      Path pretrained, Path output, Path resume, long seed, int threads, String engine, int gpus,
      int batchLogInterval) {
    this(hyperparameters, train, validation, model, pretrained, output, resume, seed, threads, engine, gpus,
        batchLogInterval, DEFAULT_KV_TIMEOUT);
  }
}
