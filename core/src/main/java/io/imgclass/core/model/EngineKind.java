package io.imgclass.core.model;

import io.imgclass.core.UsageException;
import java.util.Locale;

/**
 * The DJL engine that runs a network. Whatever runs it, the artifact stays SageMaker's MXNet
 * {@code model.tar.gz} and the outputs stay within 1e-4 of real MXNet.
 */
public enum EngineKind {
  /** DJL's MXNet engine (bundled, CPU only); the artifact's native engine. */
  MXNET("MXNet"),
  /** DJL's PyTorch engine (CPU in the default build; GPUs with the {@code gpu} build). */
  PYTORCH("PyTorch"),
  /** DJL's ONNX Runtime engine (inference only; the artifact converted to ONNX in memory). */
  ONNXRUNTIME("OnnxRuntime");

  private final String djlName;

  EngineKind(String djlName) {
    this.djlName = djlName;
  }

  /** The name DJL's {@code Engine.getEngine} knows it by. */
  public String djlName() {
    return djlName;
  }

  /** The option value users type: {@code mxnet}, {@code pytorch}, {@code onnxruntime}. */
  public String optionName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses an engine name case-insensitively ({@code mxnet}, {@code MXNet}, {@code pytorch},
   * {@code onnxruntime}, also {@code onnx-runtime}).
   *
   * @throws UsageException naming the choices
   */
  public static EngineKind parse(String s) {
    String k = s.strip().toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
    for (EngineKind e : values()) {
      if (e.optionName().equals(k)) {
        return e;
      }
    }
    throw new UsageException("engine must be one of mxnet, pytorch, onnxruntime; got '" + s + "'");
  }
}
