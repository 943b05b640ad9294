package io.imgclass.recordio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Property tests: whatever we write, we read back identically, sequentially and by offset. */
class RecordIORoundTripTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 42, 20261128})
  void randomPayloadsRoundTripThroughFileAndIndex(long seed) throws IOException {
    Random rnd = new Random(seed);
    List<byte[]> payloads = Payloads.mixedList(rnd, 400, 3000);
    assertRoundTrip(payloads, rnd);
  }

  @Test
  void everySizeAroundThePaddingBoundaries() throws IOException {
    Random rnd = new Random(7);
    List<byte[]> payloads = new ArrayList<>();
    for (int n = 0; n <= 9; n++) {
      payloads.add(Payloads.random(rnd, n));
      if (n >= 4) {
        // the same sizes with the magic as first word and as last aligned word
        payloads.add(Payloads.withMagicAt(Payloads.random(rnd, n), 0));
        payloads.add(Payloads.withMagicAt(Payloads.random(rnd, n), (n - 4) & ~3));
        payloads.add(Payloads.withMagicAt(Payloads.random(rnd, n), n - 4));
      }
    }
    payloads.add(new byte[0]);
    payloads.add(new byte[0]);
    assertRoundTrip(payloads, rnd);
  }

  @Test
  void magicAtEveryOffsetOfASmallPayload() throws IOException {
    Random rnd = new Random(11);
    List<byte[]> payloads = new ArrayList<>();
    for (int n = 4; n <= 16; n++) {
      for (int at = 0; at + 4 <= n; at++) {
        payloads.add(Payloads.withMagicAt(Payloads.random(rnd, n), at));
      }
    }
    byte[] allMagic = new byte[32];
    for (int i = 0; i < 32; i += 4) {
      Payloads.withMagicAt(allMagic, i); // eight consecutive magics: nine empty parts
    }
    payloads.add(allMagic);
    assertRoundTrip(payloads, rnd);
  }

  @Test
  void largePayloadsUseTheDirectReadPathAndStayInStep() throws IOException {
    Random rnd = new Random(5);
    List<byte[]> payloads = new ArrayList<>();
    payloads.add(Payloads.random(rnd, 1001)); // leaves the buffer at an odd spot
    byte[] big = Payloads.random(rnd, 3 * 1024 * 1024 + 3);
    Payloads.withMagicAt(big, 1024 * 1024); // split in the middle: two large parts
    Payloads.withMagicAt(big, 2 * 1024 * 1024 + 1); // unaligned, kept
    payloads.add(big);
    payloads.add(Payloads.random(rnd, 17));
    payloads.add(Payloads.random(rnd, (1 << 20) + 1)); // just over the 1 MiB buffer
    payloads.add(Payloads.random(rnd, (1 << 19) - 1)); // just under the direct-read threshold
    payloads.add(Payloads.random(rnd, 1 << 19));
    payloads.add(Payloads.random(rnd, 5));
    assertRoundTrip(payloads, rnd);
  }

  /** Writes through files + .idx, checks sizes, then reads sequentially and in random order. */
  private void assertRoundTrip(List<byte[]> payloads, Random rnd) throws IOException {
    Path rec = dir.resolve("t.rec");
    Path idx = dir.resolve("t.idx");
    long[] offsets = new long[payloads.size()];
    long expectedSplits = 0;
    try (RecordIOWriter w = RecordIOWriter.create(rec, idx)) {
      for (int i = 0; i < payloads.size(); i++) {
        byte[] p = payloads.get(i);
        long before = w.position();
        offsets[i] = w.write(1000L + i, p);
        int splits = Payloads.alignedMagics(p);
        expectedSplits += splits;
        assertThat(offsets[i]).isEqualTo(before);
        // One 8-byte header per part; each split drops 4 magic bytes but costs a new header.
        assertThat(w.position() - before).isEqualTo(8 + 4L * splits + RecordIO.align4(p.length));
      }
      assertThat(w.records()).isEqualTo(payloads.size());
      assertThat(w.splits()).isEqualTo(expectedSplits);
    }
    assertThat(Files.size(rec) % 4).isZero();

    // sequential, in both modes
    for (boolean resync : new boolean[] {false, true}) {
      try (RecordIOReader r = RecordIOReader.open(rec, resync)) {
        for (int i = 0; i < payloads.size(); i++) {
          RawRecord got = r.next();
          assertThat(got).as("record %d", i).isNotNull();
          assertThat(got.offset()).isEqualTo(offsets[i]);
          assertThat(got.end()).isEqualTo(i + 1 < offsets.length ? offsets[i + 1] : Files.size(rec));
          assertThat(got.data()).as("record %d", i).isEqualTo(payloads.get(i));
        }
        assertThat(r.next()).isNull();
        assertThat(r.next()).isNull();
        assertThat(r.corruptRegions()).isEmpty();
        assertThat(r.skippedBytes()).isZero();
      }
    }

    // random access through the .idx, in shuffled order
    RecordIndex index = RecordIndex.read(idx);
    assertThat(index.size()).isEqualTo(payloads.size());
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < payloads.size(); i++) {
      order.add(i);
    }
    Collections.shuffle(order, rnd);
    try (RecordIOReader r = RecordIOReader.open(rec)) {
      for (int i : order) {
        long off = index.offsetOf(1000L + i);
        assertThat(off).isEqualTo(offsets[i]);
        assertThat(r.readAt(off).data()).as("record %d", i).isEqualTo(payloads.get(i));
      }
    }
  }
}
