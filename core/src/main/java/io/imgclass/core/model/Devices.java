package io.imgclass.core.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.imgclass.core.UsageException;

/** The DJL devices a run asks for, checked against what the engine can see. */
public final class Devices {
  private Devices() {}

  /**
   * The CPU when {@code gpus} is 0, else the first {@code gpus} GPUs of {@code engine}.
   *
   * @throws UsageException (exit 2) when the engine sees fewer GPUs than asked for, saying why
   */
  public static Device[] of(EngineKind engine, int gpus) {
    if (gpus < 0) {
      throw new UsageException("--gpus must be >= 0, got " + gpus);
    }
    if (gpus == 0) {
      return new Device[] {Device.cpu()};
    }
    if (engine == EngineKind.MXNET) {
      throw new UsageException("--gpus " + gpus + ": the bundled MXNet engine runs on the CPU only;"
          + " use --engine pytorch for GPUs");
    }
    int have = Engine.getEngine(engine.djlName()).getGpuCount();
    if (have < gpus) {
      throw new UsageException("--gpus " + gpus + " asked for, but the " + engine.djlName() + " engine sees " + have
          + " GPU(s) on this machine: it needs NVIDIA GPUs with a driver for CUDA 12.4 and the gpu build of imgclass"
          + " (docs/gpu.md); without them use --gpus 0");
    }
    Device[] d = new Device[gpus];
    for (int i = 0; i < gpus; i++) {
      d[i] = Device.gpu(i);
    }
    return d;
  }
}
