package io.imgclass.cli;

import io.imgclass.core.UsageException;
import io.imgclass.core.model.EngineKind;
import io.imgclass.core.model.NetworkRunner;
import io.imgclass.core.model.RunOptions;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The engine options that predict, evaluate and serve share (a picocli mixin): which DJL engine
 * runs the network and on which device. They feed one core value, {@link RunOptions}.
 */
public final class EngineOptions {
  @Option(names = "--engine", paramLabel = "ENGINE", defaultValue = "mxnet", converter = EngineConverter.class,
      description = "Inference engine: mxnet (default), pytorch or onnxruntime (case-insensitive).")
  EngineKind engine;

  @Option(names = "--gpus", paramLabel = "N", defaultValue = "0",
      description = "0 runs on the CPU (default); 1 runs on the first GPU.")
  int gpus;

  /** The core value for these options with MXNet's execution mode. */
  RunOptions toRunOptions(NetworkRunner.Mode mode) {
    if (gpus < 0 || gpus > 1) {
      throw new UsageException("--gpus must be 0 or 1 for inference, got " + gpus);
    }
    return new RunOptions(engine, gpus, mode);
  }

  /** Parses engine names case-insensitively, as a usage error (exit 2) when unknown. */
  static final class EngineConverter implements CommandLine.ITypeConverter<EngineKind> {
    @Override
    public EngineKind convert(String value) {
      try {
        return EngineKind.parse(value);
      } catch (UsageException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }
}
