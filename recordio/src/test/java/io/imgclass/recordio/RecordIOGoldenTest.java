package io.imgclass.recordio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Golden files written by the real dmlc writer (libmxnet 1.9.1). Their generator is {@code
 * golden/make_golden.py} beside them in the test resources; the payload lists below mirror it.
 */
class RecordIOGoldenTest {
  private static final byte[] M = Payloads.MAGIC;

  @TempDir Path dir;

  static List<byte[]> specExample() {
    List<byte[]> list = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      list.add(("record_" + i).getBytes(StandardCharsets.US_ASCII));
    }
    return list;
  }

  static List<byte[]> magicSplit() {
    return List.of(
        M,
        cat(ascii("abcd"), M, ascii("efg")),
        cat(M, M),
        cat(ascii("x"), M, ascii("yz")),
        new byte[0],
        cat(ascii("12345678"), M),
        cat(ascii("ab"), M, ascii("cd"), M));
  }

  @Test
  void specWorkedExampleIsByteExact() throws IOException {
    // spec §2.1: "record_0" becomes 16 bytes on disk; offsets 0, 16, 32, 48, 64.
    byte[] written = writeOurs(specExample(), "spec");
    assertThat(written).isEqualTo(golden("spec-example.rec"));
    assertThat(HexFormat.of().formatHex(written, 0, 16)).isEqualTo("0a23d7ce08000000" + "7265636f72645f30");
    assertThat(Files.readString(dir.resolve("spec.idx")))
        .isEqualTo("0\t0\n1\t16\n2\t32\n3\t48\n4\t64\n")
        .isEqualTo(new String(golden("spec-example.idx"), StandardCharsets.US_ASCII));
  }

  @Test
  void magicSplitsAreByteExact() throws IOException {
    byte[] written = writeOurs(magicSplit(), "split");
    assertThat(written).isEqualTo(golden("magic-split.rec"));
    assertThat(Files.readString(dir.resolve("split.idx")))
        .isEqualTo(new String(golden("magic-split.idx"), StandardCharsets.US_ASCII));
    // The payload that is exactly the magic: a cflag-1 part and a cflag-3 part, both empty.
    assertThat(HexFormat.of().formatHex(written, 0, 16)).isEqualTo("0a23d7ce00000020" + "0a23d7ce00000060");
  }

  @Test
  void readerReturnsTheGoldenPayloadsSequentiallyAndByIndex() throws IOException {
    for (String name : new String[] {"spec-example", "magic-split"}) {
      List<byte[]> expected = name.equals("spec-example") ? specExample() : magicSplit();
      Path rec = dir.resolve(name + ".rec");
      Path idx = dir.resolve(name + ".idx");
      Files.write(rec, golden(name + ".rec"));
      Files.write(idx, golden(name + ".idx"));
      try (RecordIOReader r = RecordIOReader.open(rec)) {
        for (byte[] e : expected) {
          assertThat(r.next().data()).isEqualTo(e);
        }
        assertThat(r.next()).isNull();
      }
      RecordIndex index = RecordIndex.read(idx);
      try (RecordIOReader r = RecordIOReader.open(rec)) {
        for (int k = expected.size() - 1; k >= 0; k--) {
          assertThat(r.readAt(index.offsetOf(k)).data()).as("%s key %d", name, k).isEqualTo(expected.get(k));
        }
      }
    }
  }

  private byte[] writeOurs(List<byte[]> payloads, String name) throws IOException {
    try (RecordIOWriter w = RecordIOWriter.create(dir.resolve(name + ".rec"), dir.resolve(name + ".idx"))) {
      for (int i = 0; i < payloads.size(); i++) {
        w.write(i, payloads.get(i));
      }
    }
    return Files.readAllBytes(dir.resolve(name + ".rec"));
  }

  private static byte[] golden(String name) throws IOException {
    try (InputStream in = RecordIOGoldenTest.class.getResourceAsStream("golden/" + name)) {
      assertThat(in).as("test resource golden/%s", name).isNotNull();
      return in.readAllBytes();
    }
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] cat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }
}
