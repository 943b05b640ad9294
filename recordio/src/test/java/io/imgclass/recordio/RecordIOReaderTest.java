package io.imgclass.recordio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Strict-mode errors, random access and the resynchronising mode on hand-made damage. */
class RecordIOReaderTest {
  @TempDir Path dir;

  private static Payloads.Encoded sample() {
    Random rnd = new Random(3);
    byte[] split = Payloads.withMagicAt(Payloads.random(rnd, 40), 12);
    return Payloads.encode(List.of(Payloads.random(rnd, 10), split, Payloads.random(rnd, 7), Payloads.random(rnd, 64)));
  }

  @Test
  void readAtReturnsTheRecordAtAnIndexOffset() throws IOException {
    Payloads.Encoded e = sample();
    Path rec = file(e.bytes());
    try (RecordIOReader r = RecordIOReader.open(rec)) {
      for (int i = e.offsets().length - 1; i >= 0; i--) {
        RawRecord got = r.readAt(e.offsets()[i]);
        assertThat(got.data()).isEqualTo(e.payloads().get(i));
        assertThat(got.offset()).isEqualTo(e.offsets()[i]);
        assertThat(got.end()).isEqualTo(e.ends()[i]);
      }
      // after a readAt, next() goes on with the following record
      r.readAt(e.offsets()[1]);
      assertThat(r.next().data()).isEqualTo(e.payloads().get(2));
    }
  }

  @Test
  void readAtOffsetsThatAreNotRecordStartsFailNamingFileAndOffset() throws IOException {
    Payloads.Encoded e = sample();
    Path rec = file(e.bytes());
    long middlePart = e.offsets()[1] + 8 + 12; // the cflag-3 part of the split record
    try (RecordIOReader r = RecordIOReader.open(rec)) {
      assertThatThrownBy(() -> r.readAt(middlePart))
          .isInstanceOf(RecordIOException.class)
          .hasMessage(rec + ": at byte " + (middlePart + 4) + ": continuation flag 3 at the start of a record");
      assertThatThrownBy(() -> r.readAt(4))
          .isInstanceOf(RecordIOException.class)
          .hasMessageStartingWith(rec + ": at byte 4: expected magic 0xCED7230A, found 0x");
      assertThatThrownBy(() -> r.readAt(e.bytes().length))
          .isInstanceOf(RecordIOException.class)
          .hasMessageContaining("end of file");
      assertThatThrownBy(() -> r.readAt(e.bytes().length + 4))
          .isInstanceOf(RecordIOException.class)
          .hasMessageContaining("offset outside the file");
      assertThatThrownBy(() -> r.readAt(-4)).isInstanceOf(RecordIOException.class);
      // the reader is still usable after errors
      assertThat(r.readAt(e.offsets()[3]).data()).isEqualTo(e.payloads().get(3));
    }
  }

  @Test
  void zeroLengthFileHasNoRecords() throws IOException {
    for (boolean resync : new boolean[] {false, true}) {
      try (RecordIOReader r = RecordIOReader.open(file(new byte[0]), resync)) {
        assertThat(r.next()).isNull();
        assertThat(r.corruptRegions()).isEmpty();
      }
    }
  }

  @Test
  void truncationIsReportedWithTheOffsetOfTheBrokenPart() throws IOException {
    Payloads.Encoded e = sample();
    byte[] cut = Arrays.copyOf(e.bytes(), (int) e.offsets()[3] + 20);
    Path rec = file(cut);
    try (RecordIOReader r = RecordIOReader.open(rec)) {
      for (int i = 0; i < 3; i++) {
        assertThat(r.next().data()).isEqualTo(e.payloads().get(i));
      }
      assertThatThrownBy(r::next)
          .isInstanceOf(RecordIOException.class)
          .hasMessage(rec + ": at byte " + e.offsets()[3]
              + ": truncated: part of 64 bytes runs past the end of the file (size " + cut.length + ")");
    }
    byte[] headerCut = Arrays.copyOf(e.bytes(), (int) e.offsets()[3] + 5);
    try (RecordIOReader r = RecordIOReader.open(file(headerCut))) {
      r.readAt(e.offsets()[2]);
      assertThatThrownBy(r::next).hasMessageContaining("truncated: 5 bytes left, a part header needs 8");
    }
  }

  @Test
  void resyncSkipsGarbageAndReportsTheRegion() throws IOException {
    Payloads.Encoded e = sample();
    // overwrite the magic of record 1 (the split one): its two parts and nothing else are lost
    byte[] b = e.bytes().clone();
    b[(int) e.offsets()[1]] = 0;
    try (RecordIOReader r = RecordIOReader.open(file(b), true)) {
      assertThat(r.next().data()).isEqualTo(e.payloads().get(0));
      assertThat(r.next().data()).isEqualTo(e.payloads().get(2));
      assertThat(r.next().data()).isEqualTo(e.payloads().get(3));
      assertThat(r.next()).isNull();
      assertThat(r.corruptRegions())
          .containsExactly(new CorruptRegion(e.offsets()[1], e.offsets()[2],
              "expected magic 0xCED7230A, found 0xCED72300"));
      assertThat(r.skippedBytes()).isEqualTo(e.offsets()[2] - e.offsets()[1]);
    }
  }

  @Test
  void resyncCatchesALengthThatSwallowsTheFollowingRecords() throws IOException {
    Payloads.Encoded e = sample();
    byte[] b = e.bytes().clone();
    // record 0's length now reaches into record 3: still inside the file, so only the aligned
    // magic words inside the claimed part give it away
    int claimed = (int) (e.offsets()[3] - e.offsets()[0]);
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt((int) e.offsets()[0] + 4, claimed);
    try (RecordIOReader strict = RecordIOReader.open(file(b))) {
      // dmlc's reader would do the same: trust the length
      assertThat(strict.next().data()).hasSize(claimed);
    }
    try (RecordIOReader r = RecordIOReader.open(file(b), true)) {
      for (int i = 1; i < 4; i++) {
        assertThat(r.next().data()).as("record %d", i).isEqualTo(e.payloads().get(i));
      }
      assertThat(r.next()).isNull();
      assertThat(r.corruptRegions()).hasSize(1);
      CorruptRegion region = r.corruptRegions().get(0);
      assertThat(region.start()).isZero();
      assertThat(region.end()).isEqualTo(e.offsets()[1]);
      assertThat(region.reason()).contains("aligned magic word inside the " + claimed + "-byte part")
          .contains("(at byte " + e.offsets()[1] + ")");
    }
  }

  private Path file(byte[] bytes) throws IOException {
    Path p = Files.createTempFile(dir, "r", ".rec");
    Files.write(p, bytes);
    return p;
  }
}
