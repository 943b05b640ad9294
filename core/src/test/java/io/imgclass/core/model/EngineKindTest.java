package io.imgclass.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imgclass.core.UsageException;
import org.junit.jupiter.api.Test;

class EngineKindTest {
  @Test
  void parsesCaseInsensitively() {
    assertThat(EngineKind.parse("MXNet")).isEqualTo(EngineKind.MXNET);
    assertThat(EngineKind.parse(" pytorch ")).isEqualTo(EngineKind.PYTORCH);
    assertThat(EngineKind.parse("PyTorch")).isEqualTo(EngineKind.PYTORCH);
    assertThat(EngineKind.parse("onnx-runtime")).isEqualTo(EngineKind.ONNXRUNTIME);
    assertThat(EngineKind.parse("OnnxRuntime")).isEqualTo(EngineKind.ONNXRUNTIME);
  }

  @Test
  void unknownNamesTheChoices() {
    assertThatThrownBy(() -> EngineKind.parse("tensorflow"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("mxnet, pytorch, onnxruntime")
        .hasMessageContaining("'tensorflow'");
  }

  @Test
  void mxnetRefusesGpus() {
    RunOptions gpu = new RunOptions(EngineKind.MXNET, 1, NetworkRunner.DEFAULT_MODE);
    assertThatThrownBy(() -> Networks.open(null, null, null, gpu))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("CPU only");
  }
}
