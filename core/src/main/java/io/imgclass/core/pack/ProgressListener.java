package io.imgclass.core.pack;

/** Receives progress while a list is packed (called from the writing thread). */
public interface ProgressListener {
  /** A listener that ignores everything. */
  ProgressListener NONE = (done, total, nanos) -> {};

  /**
   * @param done images handled so far (written or skipped)
   * @param total images in the list
   * @param elapsedNanos time since packing began
   */
  void progress(long done, long total, long elapsedNanos);
}
