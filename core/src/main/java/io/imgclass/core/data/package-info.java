/**
 * Training and evaluation inputs as samples: a {@link io.imgclass.core.data.SampleSource} over a
 * RecordIO file (offsets from its {@code .idx} only, never the payloads, in memory), an im2rec
 * list with an image folder, or an augmented manifest; and
 * {@link io.imgclass.core.data.BatchLoader}, which decodes and augments batches on worker threads
 * so the engine never waits for images, deterministic per (seed, epoch, batch) whatever the
 * number of threads.
 */
package io.imgclass.core.data;
