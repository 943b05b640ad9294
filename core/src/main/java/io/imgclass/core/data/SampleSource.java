package io.imgclass.core.data;

import java.io.Closeable;
import java.io.IOException;

/**
 * A random-access collection of training examples: a {@code .rec} with its {@code .idx}, a {@code
 * .lst} with an image folder, or an augmented manifest. Only locations are held in memory; image
 * bytes are read when asked for, so memory stays flat in dataset size.
 */
public interface SampleSource {
  /** Number of examples. */
  int size();

  /** What the examples come from, for logs and errors. */
  String describe();

  /** Labels per example (1 for single-label). */
  int labelWidth();

  /**
   * A reader for one thread. Sources are shared between worker threads; each worker opens its own
   * cursor so no file position is shared.
   */
  Cursor cursor() throws IOException;

  /** Reads examples by position. Not thread-safe; one per thread. */
  interface Cursor extends Closeable {
    /** The {@code i}-th example (0-based). */
    Sample read(int i) throws IOException;
  }
}
