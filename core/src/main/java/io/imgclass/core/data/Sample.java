package io.imgclass.core.data;

/**
 * One training example before decoding.
 *
 * @param image the encoded image bytes (JPEG, PNG, ...)
 * @param labels one class id, or a label vector (multi-hot or several ids, as packed)
 * @param where a human-readable location for error messages ({@code file.rec@offset}, a path)
 */
public record Sample(byte[] image, float[] labels, String where) {}
