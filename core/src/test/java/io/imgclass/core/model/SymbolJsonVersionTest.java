package io.imgclass.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SymbolJsonVersionTest {
  @Test
  void versionNumbersAreMajorMinorPatch() {
    assertThat(SymbolJson.versionNumber("1.9.0")).isEqualTo(10900);
    assertThat(SymbolJson.versionNumber("1.3.1")).isEqualTo(10301);
    assertThat(SymbolJson.versionNumber("2.0.0-beta")).isEqualTo(20000);
    assertThat(SymbolJson.versionNumber("garbage")).isEqualTo(SymbolJson.MXNET_VERSION);
  }
}
