package io.imgclass.recordio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Seeded random damage to valid files. In strict mode the reader may only throw {@link
 * RecordIOException}; in resynchronising mode it must not throw at all, must end, must account for
 * every byte (records and skipped regions tile the file), and must return every record the damage
 * did not touch, unchanged, at its (possibly shifted) offset.
 *
 * <p>The recordio tests run with a 256 MiB heap (see the module's pom), so a reader that trusted a
 * damaged 2^29-byte length and allocated it would die of OutOfMemoryError here. The timeouts run
 * in a separate thread, so a reader that loops forever fails the test instead of hanging it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RecordIOReaderFuzzTest {

  /** A damaged file and where each original record went: new offset, or -1 if it was damaged. */
  private record Damaged(String what, byte[] bytes, long[] newOffsets, List<byte[]> payloads) {}

  @Test
  void randomDamageOnlyTypedErrorsAndFullRecovery() throws IOException {
    Random rnd = new Random(Long.getLong("fuzz.seed", 20261128));
    int cases = 0;
    for (int file = 0; file < 6; file++) {
      Payloads.Encoded e = Payloads.encode(Payloads.mixedList(rnd, 60, 1500));
      for (int i = 0; i < 250; i++) {
        check(damage(e, rnd));
        cases++;
      }
    }
    assertThat(cases).isEqualTo(1500);
  }

  @Test
  void truncationAtEveryOffset() throws IOException {
    Random rnd = new Random(8);
    List<byte[]> payloads = new ArrayList<>(Payloads.mixedList(rnd, 12, 40));
    payloads.add(Payloads.withMagicAt(Payloads.withMagicAt(Payloads.random(rnd, 30), 8), 16));
    payloads.add(Payloads.random(rnd, 3));
    Payloads.Encoded e = Payloads.encode(payloads);
    for (int t = 0; t <= e.bytes().length; t++) {
      check(truncate(e, t));
    }
  }

  @Test
  void hugeAndRandomLengthsInEveryRecord() throws IOException {
    Random rnd = new Random(9);
    Payloads.Encoded e = Payloads.encode(Payloads.mixedList(rnd, 40, 300));
    int[] lengths = {RecordIO.MAX_RECORD_LENGTH, RecordIO.MAX_RECORD_LENGTH - 3, -1, 1 << 28};
    for (int k = 0; k < e.offsets().length; k++) {
      for (int lrec : lengths) {
        check(setLRecord(e, k, lrec, "lrecord 0x" + Integer.toHexString(lrec)));
      }
      // cflag 0 and 1 with a length that still fits: would swallow the records after it
      int fits = (int) (e.bytes().length - e.offsets()[k] - 8 - rnd.nextInt(16));
      check(setLRecord(e, k, fits & ~3, "length to near the end"));
      check(setLRecord(e, k, RecordIO.encodeLRecord(1, (fits & ~3) / 2), "cflag 1 half way"));
      check(setLRecord(e, k, rnd.nextInt(), "random lrecord"));
    }
  }

  @Test
  void degenerateFiles() throws IOException {
    Payloads.Encoded empty = Payloads.encode(List.of());
    check(new Damaged("zero-length", empty.bytes(), new long[0], List.of()));
    check(new Damaged("one zero byte", new byte[1], new long[0], List.of()));
    check(new Damaged("magic only", Payloads.MAGIC.clone(), new long[0], List.of()));
    check(new Damaged("eight zeros", new byte[8], new long[0], List.of()));
    check(new Damaged("garbage", Payloads.random(new Random(1), 10_000), new long[0], List.of()));
    byte[] magics = new byte[4096];
    for (int i = 0; i < magics.length; i += 4) {
      Payloads.withMagicAt(magics, i);
    }
    check(new Damaged("all magic", magics, new long[0], List.of()));
  }

  // ---- damage generators ----

  private static Damaged damage(Payloads.Encoded e, Random rnd) {
    byte[] b = e.bytes();
    int n = b.length;
    return switch (rnd.nextInt(7)) {
      case 0 -> {
        // flip bytes: records holding a flipped byte are damaged
        byte[] d = b.clone();
        List<Integer> at = new ArrayList<>();
        for (int k = 0; k < 1 + rnd.nextInt(8); k++) {
          int p = rnd.nextInt(n);
          d[p] ^= (byte) (1 + rnd.nextInt(255));
          at.add(p);
        }
        yield new Damaged("flip " + at, d, map(e, off -> off, (s, t) -> at.stream().noneMatch(p -> p >= s && p < t)),
            e.payloads());
      }
      case 1 -> truncate(e, rnd.nextInt(n + 1));
      case 2 -> {
        int at = rnd.nextInt(n + 1);
        int g = 1 + rnd.nextInt(rnd.nextBoolean() ? 8 : 3000);
        byte[] d = new byte[n + g];
        System.arraycopy(b, 0, d, 0, at);
        System.arraycopy(Payloads.random(rnd, g), 0, d, at, g);
        System.arraycopy(b, at, d, at + g, n - at);
        yield new Damaged("insert " + g + " at " + at, d,
            map(e, off -> off >= at ? off + g : off, (s, t) -> t <= at || s >= at), e.payloads());
      }
      case 3 -> {
        int a = rnd.nextInt(n);
        int c = Math.min(n, a + 1 + rnd.nextInt(rnd.nextBoolean() ? 8 : 2000));
        byte[] d = new byte[n - (c - a)];
        System.arraycopy(b, 0, d, 0, a);
        System.arraycopy(b, c, d, a, n - c);
        yield new Damaged("delete [" + a + "," + c + ")", d,
            map(e, off -> off >= c ? off - (c - a) : off, (s, t) -> t <= a || s >= c), e.payloads());
      }
      case 4 -> {
        int a = rnd.nextInt(n);
        int c = Math.min(n, a + 1 + rnd.nextInt(500));
        byte[] d = b.clone();
        Arrays.fill(d, a, c, (byte) 0);
        yield new Damaged("zero [" + a + "," + c + ")", d, map(e, off -> off, (s, t) -> t <= a || s >= c),
            e.payloads());
      }
      case 5 -> {
        int k = rnd.nextInt(e.offsets().length);
        int lrec = switch (rnd.nextInt(3)) {
          case 0 -> RecordIO.MAX_RECORD_LENGTH;
          case 1 -> rnd.nextInt();
          default -> rnd.nextInt(n);
        };
        yield setLRecord(e, k, lrec, "lrecord of record " + k + " = 0x" + Integer.toHexString(lrec));
      }
      default -> {
        // two damages at once: a zeroed range and an overwritten lrecord
        int a = rnd.nextInt(n);
        int c = Math.min(n, a + 1 + rnd.nextInt(100));
        int k = rnd.nextInt(e.offsets().length);
        long kOff = e.offsets()[k];
        byte[] d = setLRecord(e, k, rnd.nextInt(), "").bytes();
        Arrays.fill(d, a, c, (byte) 0);
        yield new Damaged("zero [" + a + "," + c + ") + lrecord of record " + k, d,
            map(e, off -> off, (s, t) -> (t <= a || s >= c) && s != kOff), e.payloads());
      }
    };
  }

  private static Damaged truncate(Payloads.Encoded e, int t) {
    return new Damaged("truncate at " + t, Arrays.copyOf(e.bytes(), t), map(e, off -> off, (s, end) -> end <= t),
        e.payloads());
  }

  private static Damaged setLRecord(Payloads.Encoded e, int k, int lrec, String what) {
    byte[] d = e.bytes().clone();
    long off = e.offsets()[k];
    ByteBuffer.wrap(d).order(ByteOrder.LITTLE_ENDIAN).putInt((int) off + 4, lrec);
    return new Damaged(what + " (record " + k + ")", d, map(e, o -> o, (s, t) -> s != off), e.payloads());
  }

  private interface Intact {
    boolean test(long start, long end);
  }

  private static long[] map(Payloads.Encoded e, LongUnaryOperator shift, Intact intact) {
    long[] out = new long[e.offsets().length];
    for (int i = 0; i < out.length; i++) {
      out[i] = intact.test(e.offsets()[i], e.ends()[i]) ? shift.applyAsLong(e.offsets()[i]) : -1;
    }
    return out;
  }

  // ---- the properties ----

  private static void check(Damaged d) throws IOException {
    checkStrict(d);
    checkResync(d);
  }

  private static void checkStrict(Damaged d) {
    try (RecordIOReader r = RecordIOReader.of(new BytesChannel(d.bytes()), null, false)) {
      int guard = 0;
      while (r.next() != null) {
        if (++guard > d.bytes().length + 1) {
          fail("%s: more records than bytes", d.what());
        }
      }
    } catch (RecordIOException expected) {
      assertThat(expected.offset()).as(d.what()).isBetween(0L, (long) d.bytes().length);
      assertThat(expected.getMessage()).as(d.what()).startsWith("<stream>: at byte " + expected.offset() + ": ");
    } catch (Throwable t) {
      throw new AssertionError(d.what() + ": strict reader threw " + t, t);
    }
  }

  private static void checkResync(Damaged d) {
    List<RawRecord> records = new ArrayList<>();
    List<CorruptRegion> regions;
    long skipped;
    try (RecordIOReader r = RecordIOReader.of(new BytesChannel(d.bytes()), null, true)) {
      RawRecord rec;
      while ((rec = r.next()) != null) {
        records.add(rec);
        if (records.size() > d.bytes().length + 1) {
          fail("%s: more records than bytes", d.what());
        }
      }
      regions = r.corruptRegions();
      skipped = r.skippedBytes();
    } catch (Throwable t) {
      throw new AssertionError(d.what() + ": resynchronising reader threw " + t, t);
    }
    // records and skipped regions tile the file
    List<long[]> pieces = new ArrayList<>();
    records.forEach(x -> pieces.add(new long[] {x.offset(), x.end()}));
    regions.forEach(x -> pieces.add(new long[] {x.start(), x.end()}));
    pieces.sort(Comparator.comparingLong(p -> p[0]));
    long at = 0;
    for (long[] p : pieces) {
      assertThat(p[0]).as("%s: pieces %s", d.what(), describe(pieces)).isEqualTo(at);
      assertThat(p[1]).as(d.what()).isGreaterThan(p[0]);
      at = p[1];
    }
    assertThat(at).as(d.what()).isEqualTo(d.bytes().length);
    assertThat(skipped).as(d.what()).isEqualTo(regions.stream().mapToLong(CorruptRegion::length).sum());
    assertThat(regions).as(d.what()).allSatisfy(x -> assertThat(x.reason()).isNotBlank());
    // every untouched record comes back unchanged
    Map<Long, RawRecord> byOffset = new HashMap<>();
    records.forEach(x -> byOffset.put(x.offset(), x));
    for (int i = 0; i < d.newOffsets().length; i++) {
      long off = d.newOffsets()[i];
      if (off < 0) {
        continue;
      }
      RawRecord got = byOffset.get(off);
      assertThat(got).as("%s: intact record %d at %d missing; regions %s", d.what(), i, off, regions).isNotNull();
      assertThat(got.data()).as("%s: record %d", d.what(), i).isEqualTo(d.payloads().get(i));
    }
  }

  private static String describe(List<long[]> pieces) {
    StringBuilder sb = new StringBuilder();
    for (long[] p : pieces) {
      sb.append('[').append(p[0]).append(',').append(p[1]).append(')');
    }
    return sb.toString();
  }
}
