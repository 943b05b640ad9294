package io.imgclass.recordio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A record above the size limit is refused with its offset before it is read into the heap. The
 * module's tests run at -Xmx256m, so reading the 512 MB record here would fail with
 * OutOfMemoryError instead.
 */
class RecordLimitTest {
  @TempDir Path tmp;

  @AfterEach
  void clear() {
    System.clearProperty(RecordIO.MAX_RECORD_PROPERTY);
  }

  /** A small record, then one whole record of {@code len} zero bytes (a sparse file on disk). */
  private Path file(int len) throws Exception {
    Path f = tmp.resolve("big.rec");
    try (RecordIOWriter w = RecordIOWriter.create(f, tmp.resolve("big.idx"))) {
      w.write(0, new byte[100]);
    }
    try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
      long at = raf.length();
      raf.seek(at);
      ByteBuffer h = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      h.putInt(RecordIO.MAGIC).putInt(RecordIO.encodeLRecord(0, len));
      raf.write(h.array());
      raf.setLength(at + 8 + RecordIO.align4(len));
    }
    return f;
  }

  @Test
  void a512MegabyteRecordIsRefusedWithItsOffset() throws Exception {
    Path f = file(RecordIO.MAX_RECORD_LENGTH);
    try (RecordIOReader r = RecordIOReader.open(f)) {
      assertThat(r.next().data()).hasSize(100);
      assertThatThrownBy(r::next)
          .isInstanceOf(RecordIOException.class)
          .hasMessage(f + ": at byte 108: record of 536870911 bytes, over the limit of 67108864 bytes per record"
              + " (raise it with -Dimgclass.maxRecordBytes=N or IMGCLASS_MAX_RECORD_BYTES)");
    }
  }

  @Test
  void theLimitCanBeRaised() throws Exception {
    Path f = file(5000);
    System.setProperty(RecordIO.MAX_RECORD_PROPERTY, "4999");
    try (RecordIOReader r = RecordIOReader.open(f)) {
      r.next();
      assertThatThrownBy(r::next).hasMessageContaining("at byte 108: record of 5000 bytes, over the limit of 4999");
    }
    System.setProperty(RecordIO.MAX_RECORD_PROPERTY, "5000");
    try (RecordIOReader r = RecordIOReader.open(f)) {
      r.next();
      assertThat(r.next().data()).hasSize(5000);
    }
  }
}
