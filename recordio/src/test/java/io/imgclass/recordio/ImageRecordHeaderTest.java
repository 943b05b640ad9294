package io.imgclass.recordio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class ImageRecordHeaderTest {
  private static final byte[] IMAGE = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 1, 2};

  @Test
  void singleLabelBytesMatchPythonPack() {
    // struct.pack('<IfQQ', 0, 3.0, 7, 0) + image, as mx.recordio.pack writes it
    byte[] p = ImageRecordHeader.single(3f, 7).encode(IMAGE);
    assertThat(HexFormat.of().formatHex(p))
        .isEqualTo("00000000" + "00004040" + "0700000000000000" + "0000000000000000" + "ffd8ff0102");
    ImageRecordHeader h = ImageRecordHeader.decode(p);
    assertThat(h).isEqualTo(ImageRecordHeader.single(3f, 7));
    assertThat(h.flag()).isZero();
    assertThat(h.labels()).containsExactly(3f);
    assertThat(h.image(p)).isEqualTo(IMAGE);
  }

  @Test
  void multiLabelPutsTheLabelsAfterTheHeaderAndZeroInLabel() {
    byte[] p = ImageRecordHeader.multi(new float[] {1f, 0f, 1f}, 42).encode(IMAGE);
    assertThat(p).hasSize(24 + 12 + IMAGE.length);
    ByteBuffer b = ByteBuffer.wrap(p).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(b.getInt(0)).isEqualTo(3);
    assertThat(b.getFloat(4)).isZero();
    assertThat(b.getLong(8)).isEqualTo(42);
    assertThat(b.getLong(16)).isZero();
    assertThat(new float[] {b.getFloat(24), b.getFloat(28), b.getFloat(32)}).containsExactly(1f, 0f, 1f);
    ImageRecordHeader h = ImageRecordHeader.decode(p);
    assertThat(h.labels()).containsExactly(1f, 0f, 1f);
    assertThat(h.encodedSize()).isEqualTo(36);
    assertThat(h.image(p)).isEqualTo(IMAGE);
  }

  @Test
  void acceptsCppIm2recVariantWithFirstLabelInLabel() {
    // C++ im2rec --pack-label: flag = label_width, header.label = first label (here 5).
    ByteBuffer b = ByteBuffer.allocate(24 + 8 + IMAGE.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(2).putFloat(5f).putLong(9).putLong(0).putFloat(5f).putFloat(2f).put(IMAGE);
    byte[] p = b.array();
    ImageRecordHeader h = ImageRecordHeader.decode(p);
    assertThat(h.flag()).isEqualTo(2);
    assertThat(h.label()).isEqualTo(5f); // kept, so re-encoding is byte-identical
    assertThat(h.labels()).containsExactly(5f, 2f);
    assertThat(h.id()).isEqualTo(9);
    assertThat(h.encode(h.image(p))).isEqualTo(p);
  }

  @Test
  void rejectsTruncatedHeaders() {
    assertThatThrownBy(() -> ImageRecordHeader.decode(new byte[23]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("shorter than the 24-byte IRHeader");
    byte[] twoOfThree = new byte[24 + 8];
    ByteBuffer.wrap(twoOfThree).order(ByteOrder.LITTLE_ENDIAN).putInt(3);
    assertThatThrownBy(() -> ImageRecordHeader.decode(twoOfThree))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("flag 3 declares 36 bytes");
    byte[] hugeFlag = new byte[24];
    ByteBuffer.wrap(hugeFlag).order(ByteOrder.LITTLE_ENDIAN).putInt(-1);
    assertThatThrownBy(() -> ImageRecordHeader.decode(hugeFlag))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("flag 4294967295");
  }

  @Test
  void headerAloneDecodesWithAnEmptyImage() {
    byte[] p = ImageRecordHeader.single(0f, 0).encode(new byte[0]);
    assertThat(p).hasSize(24);
    assertThat(ImageRecordHeader.decode(p).image(p)).isEmpty();
  }

  @Test
  void constructorChecksFlagAgainstLabels() {
    assertThatThrownBy(() -> new ImageRecordHeader(2, 0f, 0, 0, new float[1]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ImageRecordHeader.multi(new float[0], 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
