package io.imgclass.core.inspect;

import io.imgclass.core.ImgclassException;
import io.imgclass.core.label.LabelNumbers;
import io.imgclass.recordio.CorruptRegion;
import io.imgclass.recordio.ImageRecordHeader;
import io.imgclass.recordio.RawRecord;
import io.imgclass.recordio.RecordIOReader;
import io.imgclass.recordio.RecordIndex;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Reads a {@code .rec} once, in resynchronising mode so that damage is measured rather than fatal,
 * and checks it against its {@code .idx}. Memory: two longs and an int per record (offsets, ids,
 * index references) plus bounded histograms; payloads are not kept.
 */
public final class RecInspector {
  /** Cap on distinct single-label values kept in the histogram (the rest are counted as other). */
  static final int MAX_DISTINCT = 1000;
  /** Cap on distinct values kept per multi-label position. */
  static final int MAX_POSITION_VALUES = 32;
  /** Cap on examples listed per kind of finding. */
  static final int MAX_EXAMPLES = 10;

  /** Inspects one file. Missing files and malformed {@code .idx} lines throw, naming the file. */
  public InspectReport inspect(InspectOptions options) throws IOException {
    Path rec = options.rec();
    requireFile(rec);
    if (options.idx() != null) {
      requireFile(options.idx());
    }
    Path idxPath = options.resolvedIdx();
    RecordIndex index = idxPath == null ? null : RecordIndex.read(idxPath);

    Scan scan = new Scan(options.verify());
    List<CorruptRegion> regions;
    long skipped;
    try (RecordIOReader reader = RecordIOReader.open(rec, true)) {
      RawRecord r;
      while ((r = reader.next()) != null) {
        scan.add(r);
      }
      regions = List.copyOf(reader.corruptRegions());
      skipped = reader.skippedBytes();
      if (!options.verify()) {
        // Evenly spaced, so a file whose later part differs (another source, another size) shows it.
        int n = (int) Math.min(options.sampleSize(), scan.count);
        for (int i = 0; i < n; i++) {
          int k = (int) ((long) i * scan.count / n);
          RawRecord r2 = reader.readAt(scan.offsets[k]);
          scan.decodeSample(r2);
        }
      }
    }

    InspectReport.Index idx = index == null ? null : checkIndex(idxPath, index, scan);
    List<InspectReport.Region> regionList = new ArrayList<>();
    for (CorruptRegion c : regions) {
      regionList.add(new InspectReport.Region(c.start(), c.end(), c.length(), c.reason()));
    }

    List<String> problems = new ArrayList<>();
    if (!regions.isEmpty()) {
      CorruptRegion first = regions.get(0);
      problems.add(regions.size() + " corrupt region" + (regions.size() == 1 ? "" : "s") + ", " + skipped
          + " bytes skipped (first at byte " + first.start() + ": " + first.reason() + ")");
    }
    if (scan.count == 0) {
      problems.add("no records");
    }
    if (scan.invalidHeaders > 0) {
      problems.add(scan.invalidHeaders + " record" + (scan.invalidHeaders == 1 ? "" : "s")
          + " without a valid IRHeader (first " + scan.headerExamples.get(0) + ")");
    }
    if (scan.badLabels > 0) {
      problems.add(scan.badLabels + " record" + (scan.badLabels == 1 ? "" : "s")
          + " with a label or id that cannot be trusted (first: " + scan.firstBadLabel + ")");
    }
    if (scan.failureCount > 0) {
      InspectReport.ImageFailure f = scan.failures.get(0);
      problems.add(scan.failureCount + " of " + scan.decoded + " decoded images failed (first: record at byte "
          + f.offset() + ", id " + f.id() + ": " + f.reason() + ")");
    }
    if (idx != null && !idx.consistent()) {
      problems.add("index " + idx.file() + " does not match the records: " + indexCounts(idx, scan.count)
          + (idx.examples().isEmpty() ? "" : " (first: " + idx.examples().get(0) + ")"));
    }
    boolean ok = regions.isEmpty() && (!options.verify() || problems.isEmpty());

    return new InspectReport(
        InspectReport.SCHEMA,
        rec.toString(),
        Files.size(rec),
        scan.count,
        scan.payloadBytes,
        scan.header(),
        scan.labels(),
        scan.images(),
        idx,
        new InspectReport.Corrupt(List.copyOf(regionList), skipped),
        options.verify(),
        List.copyOf(problems),
        ok);
  }

  private static String indexCounts(InspectReport.Index idx, long records) {
    List<String> parts = new ArrayList<>();
    if (idx.entries() != records) {
      parts.add(idx.entries() + " entries for " + records + " records");
    }
    count(parts, idx.misplacedEntries(), "misplaced entry", "misplaced entries");
    count(parts, idx.unindexedRecords(), "unindexed record", "unindexed records");
    count(parts, idx.duplicateKeys(), "duplicate key", "duplicate keys");
    count(parts, idx.duplicateOffsets(), "duplicate offset", "duplicate offsets");
    count(parts, idx.keyIdMismatches(), "key/id mismatch", "key/id mismatches");
    return String.join(", ", parts);
  }

  private static void count(List<String> parts, long n, String one, String many) {
    if (n > 0) {
      parts.add(n + " " + (n == 1 ? one : many));
    }
  }

  private static void requireFile(Path p) {
    if (!Files.exists(p)) {
      throw new ImgclassException(p + ": no such file");
    }
    if (!Files.isRegularFile(p)) {
      throw new ImgclassException(p + ": not a regular file");
    }
  }

  private static InspectReport.Index checkIndex(Path file, RecordIndex index, Scan scan) {
    int n = (int) scan.count;
    long[] offsets = Arrays.copyOf(scan.offsets, n);
    int[] refs = new int[n];
    long misplaced = 0;
    long duplicateOffsets = 0;
    long mismatches = 0;
    List<String> examples = new ArrayList<>();
    List<RecordIndex.Entry> entries = index.entries();
    for (RecordIndex.Entry e : entries) {
      int j = Arrays.binarySearch(offsets, e.offset());
      if (j < 0) {
        misplaced++;
        example(examples, misplaced, "key " + e.key() + ": offset " + e.offset() + " is not the start of a record");
        continue;
      }
      if (refs[j]++ > 0) {
        duplicateOffsets++;
        example(examples, duplicateOffsets, "key " + e.key() + ": offset " + e.offset() + " is already indexed");
      }
      if (scan.validHeader.get(j) && scan.ids[j] != e.key()) {
        mismatches++;
        example(examples, mismatches, "key " + e.key() + ": the record at offset " + e.offset() + " has id "
            + scan.ids[j]);
      }
    }
    long unindexed = 0;
    for (int j = 0; j < n; j++) {
      if (refs[j] == 0) {
        unindexed++;
        example(examples, unindexed, "record at offset " + offsets[j] + " has no index entry");
      }
    }
    long[] keys = new long[entries.size()];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = entries.get(i).key();
    }
    Arrays.sort(keys);
    long duplicateKeys = 0;
    for (int i = 1; i < keys.length; i++) {
      if (keys[i] == keys[i - 1]) {
        duplicateKeys++;
        example(examples, duplicateKeys, "key " + keys[i] + " appears more than once");
      }
    }
    boolean consistent = misplaced == 0 && unindexed == 0 && duplicateKeys == 0 && duplicateOffsets == 0
        && mismatches == 0 && entries.size() == n;
    return new InspectReport.Index(file.toString(), entries.size(), misplaced, unindexed, duplicateKeys,
        duplicateOffsets, mismatches, List.copyOf(examples), consistent);
  }

  /** Keeps the first few examples of each kind (the count of that kind decides). */
  private static void example(List<String> examples, long countOfKind, String text) {
    if (countOfKind <= MAX_EXAMPLES) {
      examples.add(text);
    }
  }

  /** The image format a payload's first bytes announce. */
  static String sniff(byte[] b, int off) {
    int n = b.length - off;
    if (n <= 0) {
      return "empty";
    }
    if (n >= 3 && (b[off] & 0xFF) == 0xFF && (b[off + 1] & 0xFF) == 0xD8 && (b[off + 2] & 0xFF) == 0xFF) {
      return "JPEG";
    }
    if (startsWith(b, off, new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'})) {
      return "PNG";
    }
    if (startsWith(b, off, new byte[] {'G', 'I', 'F', '8'})) {
      return "GIF";
    }
    if (startsWith(b, off, new byte[] {'B', 'M'})) {
      return "BMP";
    }
    if (startsWith(b, off, new byte[] {'I', 'I', 42, 0}) || startsWith(b, off, new byte[] {'M', 'M', 0, 42})) {
      return "TIFF";
    }
    if (n >= 12 && startsWith(b, off, new byte[] {'R', 'I', 'F', 'F'})
        && startsWith(b, off + 8, new byte[] {'W', 'E', 'B', 'P'})) {
      return "WEBP";
    }
    return "other";
  }

  private static boolean startsWith(byte[] b, int off, byte[] prefix) {
    if (b.length - off < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (b[off + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  /** Label values as the histogram keys: integers without a fraction, else Java's float form. */
  static String labelKey(float f) {
    if (f == Math.rint(f) && Math.abs(f) < 1e15f) {
      return Long.toString((long) f);
    }
    return Float.toString(f);
  }

  /** The mutable tallies of one pass; frozen into report records at the end. */
  private static final class Scan {
    final boolean decodeAll;
    long count;
    long payloadBytes;
    long[] offsets = new long[1024];
    long[] ids = new long[1024];
    final BitSet validHeader = new BitSet();
    long invalidHeaders;
    final List<String> headerExamples = new ArrayList<>();
    final TreeMap<Integer, Long> flags = new TreeMap<>();
    long nonZeroId2;
    long badLabels;
    String firstBadLabel;
    final TreeMap<Float, Long> single = new TreeMap<>();
    long singleOther;
    long singleCount;
    long multiCount;
    final TreeMap<Integer, Long> widths = new TreeMap<>();
    final List<PositionTally> positions = new ArrayList<>();
    final TreeMap<String, Long> formats = new TreeMap<>();
    long decoded;
    long decodedOk;
    final Map<String, Long> shapes = new TreeMap<>();
    final List<InspectReport.ImageFailure> failures = new ArrayList<>();
    long failureCount;

    Scan(boolean decodeAll) {
      this.decodeAll = decodeAll;
    }

    void add(RawRecord r) {
      int i = (int) count;
      if (i == offsets.length) {
        offsets = Arrays.copyOf(offsets, i * 2);
        ids = Arrays.copyOf(ids, i * 2);
      }
      offsets[i] = r.offset();
      count++;
      byte[] data = r.data();
      payloadBytes += data.length;
      ImageRecordHeader h;
      try {
        h = ImageRecordHeader.decode(data);
      } catch (IllegalArgumentException e) {
        invalidHeaders++;
        if (headerExamples.size() < MAX_EXAMPLES) {
          headerExamples.add("at byte " + r.offset() + ": " + e.getMessage());
        }
        return;
      }
      validHeader.set(i);
      ids[i] = h.id();
      checkLabels(h, i, r.offset());
      flags.merge(h.flag(), 1L, Long::sum);
      if (h.id2() != 0) {
        nonZeroId2++;
      }
      if (h.flag() == 0) {
        singleCount++;
        if (single.containsKey(h.label()) || single.size() < MAX_DISTINCT) {
          single.merge(h.label(), 1L, Long::sum);
        } else {
          singleOther++;
        }
      } else {
        multiCount++;
        widths.merge(h.flag(), 1L, Long::sum);
        float[] labels = h.labelArray();
        for (int p = 0; p < labels.length; p++) {
          if (p == positions.size()) {
            positions.add(new PositionTally());
          }
          positions.get(p).add(labels[p]);
        }
      }
      int imageAt = h.encodedSize();
      formats.merge(sniff(data, imageAt), 1L, Long::sum);
      if (decodeAll) {
        decode(r.offset(), h.id(), data, imageAt);
      }
    }

    /** NaN, infinite, negative, fractional (single), above 2^24 labels, and ids from negative indexes. */
    private void checkLabels(ImageRecordHeader h, int record, long offset) {
      String bad = h.flag() == 0 ? LabelNumbers.problem(h.label(), true) : LabelNumbers.problem(h.labelArray(), false);
      if (bad == null && h.id() < 0) {
        bad = "id " + Long.toUnsignedString(h.id()) + " is above 2^63 (a negative index, " + h.id() + ", written unsigned)";
      }
      if (bad != null) {
        if (badLabels++ == 0) {
          firstBadLabel = "record " + (record + 1) + " at byte " + offset + ": " + bad;
        }
      }
    }

    void decodeSample(RawRecord r) {
      ImageRecordHeader h;
      try {
        h = ImageRecordHeader.decode(r.data());
      } catch (IllegalArgumentException e) {
        return; // already counted as an invalid header
      }
      decode(r.offset(), h.id(), r.data(), h.encodedSize());
    }

    private void decode(long offset, long id, byte[] data, int imageAt) {
      decoded++;
      String failure;
      try {
        failure = decodeOne(data, imageAt);
      } catch (IOException | RuntimeException e) {
        failure = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      }
      if (failure == null) {
        decodedOk++;
        return;
      }
      failureCount++;
      if (failures.size() < MAX_EXAMPLES) {
        failures.add(new InspectReport.ImageFailure(offset, id, failure.replace('\n', ' ')));
      }
    }

    /** Decodes fully; returns null on success (and tallies the shape), else the reason. */
    private String decodeOne(byte[] data, int imageAt) throws IOException {
      if (imageAt >= data.length) {
        return "no image bytes after the header";
      }
      // A memory-cached stream: ImageIO's default may spill to temporary files.
      try (ImageInputStream in = new MemoryCacheImageInputStream(
          new ByteArrayInputStream(data, imageAt, data.length - imageAt))) {
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        if (!readers.hasNext()) {
          return "no decoder for this format (" + sniff(data, imageAt) + ")";
        }
        ImageReader reader = readers.next();
        List<String> warnings = new ArrayList<>();
        try {
          reader.setInput(in, true, true);
          // A truncated JPEG still "decodes" (grey fill) with only a warning: count that as a failure.
          reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
          try {
            io.imgclass.core.image.ImageLimits.check(reader.getWidth(0), reader.getHeight(0));
          } catch (io.imgclass.core.image.ImageTooLargeException e) {
            return e.getMessage();
          }
          BufferedImage img = reader.read(0);
          if (!warnings.isEmpty()) {
            return "decoder warning: " + warnings.get(0);
          }
          String shape = img.getWidth() + "x" + img.getHeight() + "x" + img.getColorModel().getNumComponents();
          shapes.merge(shape, 1L, Long::sum);
          return null;
        } finally {
          reader.dispose();
        }
      }
    }

    InspectReport.Header header() {
      Long min = null;
      Long max = null;
      long[] valid = new long[validHeader.cardinality()];
      int k = 0;
      for (int i = validHeader.nextSetBit(0); i >= 0; i = validHeader.nextSetBit(i + 1)) {
        valid[k++] = ids[i];
      }
      Arrays.sort(valid);
      long duplicates = 0;
      for (int i = 0; i < valid.length; i++) {
        if (i > 0 && valid[i] == valid[i - 1]) {
          duplicates++;
        }
      }
      if (valid.length > 0) {
        min = valid[0];
        max = valid[valid.length - 1];
      }
      Map<String, Long> flagMap = new LinkedHashMap<>();
      flags.forEach((f, c) -> flagMap.put(Integer.toString(f), c));
      return new InspectReport.Header(validHeader.cardinality(), invalidHeaders, flagMap, min, max, duplicates,
          nonZeroId2, List.copyOf(headerExamples));
    }

    InspectReport.Labels labels() {
      String kind = singleCount > 0 && multiCount > 0 ? "mixed"
          : singleCount > 0 ? "single" : multiCount > 0 ? "multi" : "none";
      Map<String, Long> singleMap = new LinkedHashMap<>();
      single.forEach((v, c) -> singleMap.put(labelKey(v), c));
      Map<String, Long> widthMap = new LinkedHashMap<>();
      widths.forEach((w, c) -> widthMap.put(Integer.toString(w), c));
      List<InspectReport.Position> pos = new ArrayList<>();
      for (int p = 0; p < positions.size(); p++) {
        PositionTally t = positions.get(p);
        Map<String, Long> values = new LinkedHashMap<>();
        t.values.forEach((v, c) -> values.put(labelKey(v), c));
        pos.add(new InspectReport.Position(p, t.records, t.nonZero, values, t.other));
      }
      return new InspectReport.Labels(kind, singleMap, singleOther, widthMap, List.copyOf(pos));
    }

    InspectReport.Images images() {
      return new InspectReport.Images(new LinkedHashMap<>(formats), decodeAll ? "all" : "sample", decoded,
          decodedOk, new LinkedHashMap<>(sortedShapes()), List.copyOf(failures), failureCount);
    }

    /** Shapes, most frequent first (ties by name), so the typical size leads. */
    private Map<String, Long> sortedShapes() {
      Map<String, Long> out = new LinkedHashMap<>();
      shapes.entrySet().stream()
          .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
          .forEach(e -> out.put(e.getKey(), e.getValue()));
      return out;
    }
  }

  private static final class PositionTally {
    long records;
    long nonZero;
    long other;
    final TreeMap<Float, Long> values = new TreeMap<>();

    void add(float v) {
      records++;
      if (v != 0f) {
        nonZero++;
      }
      if (values.containsKey(v) || values.size() < MAX_POSITION_VALUES) {
        values.merge(v, 1L, Long::sum);
      } else {
        other++;
      }
    }
  }
}
