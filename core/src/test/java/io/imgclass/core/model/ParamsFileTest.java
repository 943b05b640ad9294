package io.imgclass.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imgclass.core.ImgclassException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParamsFileTest {

  private static byte[] write(ParamSet p) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ParamsFile.write(p, out);
    return out.toByteArray();
  }

  @Test
  void goldenBytes() throws Exception {
    Map<String, Tensor> m = new LinkedHashMap<>();
    m.put("arg:w", new Tensor(new long[] {2}, new float[] {1f, -2f}));
    m.put("aux:v", new Tensor(new long[] {1, 1}, new float[] {0.5f}));
    // Hand-assembled from spec §6.1: list header, two V2 dense cpu(0) float32 records, names.
    String hex = "1201000000000000" + "0000000000000000" + "0200000000000000"
        + "c9fa93f9" + "00000000" + "01000000" + "0200000000000000" + "01000000" + "00000000" + "00000000"
        + "0000803f" + "000000c0"
        + "c9fa93f9" + "00000000" + "02000000" + "0100000000000000" + "0100000000000000" + "01000000" + "00000000"
        + "00000000" + "0000003f"
        + "0200000000000000" + "0500000000000000" + "6172673a77" + "0500000000000000" + "6175783a76";
    byte[] bytes = write(new ParamSet(m));
    assertThat(HexFormat.of().formatHex(bytes)).isEqualTo(hex);
    assertThat(ParamsFile.read(new ByteArrayInputStream(bytes), "g.params").arrays()).isEqualTo(m);
  }

  @Test
  void roundTripsAnInitialisedNetwork() throws Exception {
    ImageShape s = new ImageShape(3, 28, 28);
    ParamSet p = Initialization.initialize(ResNet.build(ResNetConfig.of(20, s, 10)), s, 5);
    assertThat(ParamsFile.read(new ByteArrayInputStream(write(p)), "x").arrays()).isEqualTo(p.arrays());
  }

  /** One record of the list, built by hand in an older layout. */
  private static byte[] list(byte[] record, String name) {
    ByteBuffer b = ByteBuffer.allocate(24 + record.length + 16 + name.length()).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(0x112).putLong(0).putLong(1).put(record).putLong(1).putLong(name.length()).put(name.getBytes());
    return b.array();
  }

  @Test
  void readsV1PreV1V3AndOtherDtypes() throws Exception {
    ByteBuffer v1 = ByteBuffer.allocate(4 + 4 + 8 + 12 + 16).order(ByteOrder.LITTLE_ENDIAN);
    v1.putInt(0xF993FAC8).putInt(1).putLong(2).putInt(1).putInt(0).putInt(1).putDouble(1.5).putDouble(-3);
    assertThat(ParamsFile.read(new ByteArrayInputStream(list(v1.array(), "arg:a")), "v1").get("a").data())
        .containsExactly(1.5f, -3f);

    ByteBuffer pre = ByteBuffer.allocate(4 + 8 + 12 + 4).order(ByteOrder.LITTLE_ENDIAN);
    pre.putInt(2).putInt(1).putInt(2).putInt(2).putInt(0).putInt(2);
    pre.putShort((short) 0x3C00).putShort((short) 0xC000); // float16 1.0, -2.0
    ParamSet p = ParamsFile.read(new ByteArrayInputStream(list(pre.array(), "aux:b")), "pre");
    assertThat(p.get("b").shape()).containsExactly(1, 2);
    assertThat(p.get("b").data()).containsExactly(1f, -2f);

    ByteBuffer v3 = ByteBuffer.allocate(4 + 4 + 4 + 8 + 12 + 2).order(ByteOrder.LITTLE_ENDIAN);
    v3.putInt(0xF993FACA).putInt(0).putInt(1).putLong(2).putInt(1).putInt(0).putInt(3).put((byte) 7).put((byte) 255);
    assertThat(ParamsFile.read(new ByteArrayInputStream(list(v3.array(), "arg:c")), "v3").get("c").data())
        .containsExactly(7f, 255f);

    ByteBuffer bf = ByteBuffer.allocate(4 + 4 + 4 + 8 + 12 + 2).order(ByteOrder.LITTLE_ENDIAN);
    bf.putInt(0xF993FAC9).putInt(0).putInt(1).putLong(1).putInt(1).putInt(0).putInt(12).putShort((short) 0x3FC0);
    assertThat(ParamsFile.read(new ByteArrayInputStream(list(bf.array(), "arg:d")), "bf16").get("d").data())
        .containsExactly(1.5f);
  }

  @Test
  void halfPrecisionEdgeCases() {
    assertThat(ParamsFile.halfToFloat((short) 0x0001)).isEqualTo(0x1p-24f);
    assertThat(ParamsFile.halfToFloat((short) 0x7BFF)).isEqualTo(65504f);
    assertThat(ParamsFile.halfToFloat((short) 0xFC00)).isEqualTo(Float.NEGATIVE_INFINITY);
    assertThat(ParamsFile.halfToFloat((short) 0x8000)).isEqualTo(-0f);
  }

  @Test
  void malformedFilesNameTheByteOffset() throws Exception {
    byte[] good = write(new ParamSet(Map.of("arg:w", new Tensor(new long[] {4}, new float[4]))));
    byte[] cut = java.util.Arrays.copyOf(good, 50);
    assertThatThrownBy(() -> ParamsFile.read(new ByteArrayInputStream(cut), "m.params"))
        .isInstanceOf(ImgclassException.class).hasMessage("m.params: truncated at byte 50");
    byte[] bad = good.clone();
    bad[0] = 0x13;
    assertThatThrownBy(() -> ParamsFile.read(new ByteArrayInputStream(bad), "m.params"))
        .hasMessage("m.params: byte 0: not an MXNet NDArray list (magic 0x113, expected 0x112)");
    byte[] sparse = good.clone();
    sparse[28] = 1; // stype row_sparse
    assertThatThrownBy(() -> ParamsFile.read(new ByteArrayInputStream(sparse), "m.params"))
        .hasMessage("m.params: byte 24: array 0 has storage type 1 (sparse); only dense arrays are supported");
  }
}
