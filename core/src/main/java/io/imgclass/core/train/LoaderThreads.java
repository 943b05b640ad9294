package io.imgclass.core.train;

/** How many threads the data loaders and the engine use, and how far the loaders work ahead. */
final class LoaderThreads {
  private LoaderThreads() {}

  /**
   * How far the data loaders work ahead ({@link BatchLoader}): a few batches when their threads
   * have cores the engine does not use (a GPU run, or OMP_NUM_THREADS below the core count), else
   * 0: each batch is then decoded while the engine waits, because decoding beside OpenMP threads
   * that occupy every core stalls them all (docs/benchmarks.md, train).
   */
  static int prefetchDepth(int threads, boolean gpu) {
    int cores = Runtime.getRuntime().availableProcessors();
    return gpu || engineThreads(cores) < cores ? Math.max(2, threads * 2) : 0;
  }

  /** MXNet's CPU threads: OMP_NUM_THREADS, or (its default) every core. */
  static int engineThreads(int cores) {
    String omp = System.getenv("OMP_NUM_THREADS");
    try {
      return omp == null || omp.isBlank() ? cores : Math.max(1, Integer.parseInt(omp.trim()));
    } catch (NumberFormatException e) {
      return cores;
    }
  }
}
