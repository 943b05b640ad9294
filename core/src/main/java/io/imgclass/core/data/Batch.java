package io.imgclass.core.data;

/**
 * One mini-batch, ready for the engine.
 *
 * @param index position of the batch in its epoch
 * @param data {@code size × C × H × W} raw 0–255 values, CHW per example
 * @param labels {@code size × labelWidth} labels
 * @param size examples in the batch (always the batch size)
 * @param valid how many leading examples are real; the rest pad the last batch of a validation pass
 */
public record Batch(int index, float[] data, float[] labels, int size, int valid) {}
