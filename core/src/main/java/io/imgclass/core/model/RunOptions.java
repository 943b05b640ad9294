package io.imgclass.core.model;

/**
 * Where and how a network runs for inference.
 *
 * @param engine the DJL engine
 * @param gpus 0 for the CPU, 1 to run on the first GPU
 * @param mode for MXNet: the cached symbol graph or DJL's imperative blocks (ignored elsewhere)
 */
public record RunOptions(EngineKind engine, int gpus, NetworkRunner.Mode mode) {
  /** The default engine for inference (chosen by measurement: docs/benchmarks.md). */
  public static final EngineKind DEFAULT_ENGINE = EngineKind.MXNET;

  /** The defaults: the default engine on the CPU, its default mode. */
  public static RunOptions defaults() {
    return new RunOptions(DEFAULT_ENGINE, 0, NetworkRunner.DEFAULT_MODE);
  }

  /** Validates the values. */
  public RunOptions {
    if (engine == null || mode == null) {
      throw new IllegalArgumentException("engine and mode must be set");
    }
    if (gpus < 0) {
      throw new io.imgclass.core.UsageException("--gpus must be >= 0, got " + gpus);
    }
  }
}
