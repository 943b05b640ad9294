package io.imgclass.recordio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordIOWriterTest {
  @TempDir Path dir;

  @Test
  void refusesRecordsOf2To29BytesOrMore() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (RecordIOWriter w = RecordIOWriter.to(bytes)) {
      // The size is checked before the array bounds, so no 512 MiB array is needed to test it.
      assertThatThrownBy(() -> w.write(new byte[8], 0, 1 << 29))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("shorter than 2^29 bytes");
      assertThatThrownBy(() -> w.write(new byte[8], 0, Integer.MAX_VALUE))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(w.position()).isZero();
      w.write(new byte[] {1, 2, 3});
    }
    assertThat(bytes.toByteArray()).hasSize(12);
    assertThat(RecordIO.encodeLRecord(0, (1 << 29) - 1)).isEqualTo(0x1FFFFFFF);
    assertThatThrownBy(() -> RecordIO.encodeLRecord(0, 1 << 29)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RecordIO.encodeLRecord(4, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void badBoundsWriteNothing() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (RecordIOWriter w = RecordIOWriter.to(bytes)) {
      byte[] data = new byte[16];
      Payloads.withMagicAt(data, 4); // would have split before reaching the bad end
      assertThatThrownBy(() -> w.write(data, 4, 20)).isInstanceOf(IndexOutOfBoundsException.class);
      assertThatThrownBy(() -> w.write(data, -1, 4)).isInstanceOf(IndexOutOfBoundsException.class);
      assertThat(w.position()).isZero();
      assertThat(w.records()).isZero();
    }
    assertThat(bytes.toByteArray()).isEmpty();
  }

  @Test
  void writesUnderPartialNamesAndRenamesOnClose() throws IOException {
    Path rec = dir.resolve("out.rec");
    Path idx = dir.resolve("out.idx");
    RecordIOWriter w = RecordIOWriter.create(rec, idx);
    w.write(0, new byte[] {1, 2, 3, 4, 5});
    assertThat(dir.resolve("out.rec.partial")).exists();
    assertThat(dir.resolve("out.idx.partial")).exists();
    assertThat(rec).doesNotExist();
    assertThat(idx).doesNotExist();
    w.close();
    w.close(); // idempotent
    assertThat(dir.resolve("out.rec.partial")).doesNotExist();
    assertThat(dir.resolve("out.idx.partial")).doesNotExist();
    assertThat(rec).hasSize(16);
    assertThat(idx).hasContent("0\t0");
    assertThatThrownBy(() -> w.write(new byte[1])).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void abortLeavesNothingAndKeepsAnExistingFile() throws IOException {
    Path rec = dir.resolve("old.rec");
    Files.write(rec, new byte[] {9, 9, 9, 9});
    RecordIOWriter w = RecordIOWriter.create(rec, dir.resolve("old.idx"));
    w.write(3, new byte[100]);
    w.abort();
    w.abort();
    w.close(); // after abort: nothing to publish
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("old.rec");
    }
    assertThat(Files.readAllBytes(rec)).containsExactly(9, 9, 9, 9);
  }

  @Test
  void replacesAnExistingFileOnlyOnClose() throws IOException {
    Path rec = dir.resolve("r.rec");
    Files.write(rec, new byte[] {9, 9, 9, 9});
    try (RecordIOWriter w = RecordIOWriter.create(rec, null)) {
      w.write(new byte[] {1});
      assertThat(Files.readAllBytes(rec)).containsExactly(9, 9, 9, 9);
    }
    assertThat(rec).hasSize(12);
    assertThat(dir.resolve("r.idx")).doesNotExist();
  }

  @Test
  void keyedWriteNeedsAnIndex() throws IOException {
    try (RecordIOWriter w = RecordIOWriter.to(new ByteArrayOutputStream())) {
      assertThatThrownBy(() -> w.write(1, new byte[1])).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void aFailedWriteIsNeverPublishedAsComplete() throws IOException {
    OutputStream failing = new OutputStream() {
      private int budget = 20;

      @Override
      public void write(int b) throws IOException {
        if (budget-- <= 0) {
          throw new IOException("disk full");
        }
      }
    };
    RecordIOWriter w = RecordIOWriter.to(failing);
    w.write(new byte[4]);
    assertThatThrownBy(() -> w.write(new byte[40])).isInstanceOf(IOException.class).hasMessage("disk full");
    // The stream ends inside a record now: further writes and a normal close must not pretend.
    assertThatThrownBy(() -> w.write(new byte[4]))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("earlier write failed");
    assertThatThrownBy(w::close).isInstanceOf(IOException.class).hasMessageContaining("not written");
  }
}
