package io.imgclass.core.train;

import io.imgclass.core.data.Batch;
import io.imgclass.core.data.SampleSource;
import java.io.IOException;
import java.util.function.IntFunction;

/**
 * Names the example behind row {@code i} of a training batch ({@code file.rec at byte N}, {@code
 * list.lst:LINE (path)}, {@code manifest:LINE (path)}), for errors about one example such as a label
 * outside [0, num_classes): "batch 0" alone says nothing about which line to fix. Looked up only
 * when such an error is raised.
 */
final class ExampleLocator {
  private ExampleLocator() {}

  /** Where row {@code i} of batch {@code b} came from, visiting {@code order} in batches of {@code batchSize}. */
  static IntFunction<String> of(SampleSource source, int[] order, int batchSize, Batch b) {
    return i -> {
      int position = order[(b.index() * batchSize + i) % order.length];
      try (SampleSource.Cursor c = source.cursor()) {
        return c.read(position).where();
      } catch (IOException | RuntimeException e) {
        return source.describe() + ", example " + (position + 1);
      }
    };
  }
}
