/**
 * SageMaker's training job: the hyperparameters (one definition table from which the options,
 * {@code hyperparameters.json} parsing and the docs come), the optimizers with MXNet 1.x's update
 * rules, the learning-rate schedule, early stopping, metrics, logs in SageMaker's wording,
 * checkpoints and resume state, and the training loop itself, locally or as a kvstore worker or
 * server.
 */
package io.imgclass.core.train;
