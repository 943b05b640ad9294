package io.imgclass.core.train;

/**
 * What one epoch measured.
 *
 * @param epoch 0-based epoch
 * @param trainAccuracy Train-accuracy
 * @param trainTopK Train-top_k_accuracy_k, or NaN when top_k is unset
 * @param trainLoss mean training loss
 * @param validationAccuracy Validation-accuracy, or NaN without a validation channel
 * @param seconds Time cost
 * @param samplesPerSecond training throughput
 * @param learningRate the rate at the end of the epoch
 */
public record EpochMetrics(
    int epoch,
    double trainAccuracy,
    double trainTopK,
    double trainLoss,
    double validationAccuracy,
    double seconds,
    double samplesPerSecond,
    double learningRate) {}
