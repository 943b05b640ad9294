package io.imgclass.core.manifest;

import io.imgclass.core.label.Label;

/**
 * One valid manifest line.
 *
 * @param line 1-based line number in the manifest
 * @param index 0-based index among the manifest's lines (the id im2rec-style records get)
 * @param imageRef the image reference as written (e.g. {@code s3://bucket/a.jpg})
 * @param label the parsed label
 * @param rawJson the line as written, without its line break
 */
public record ManifestEntry(long line, long index, String imageRef, Label label, String rawJson) {}
