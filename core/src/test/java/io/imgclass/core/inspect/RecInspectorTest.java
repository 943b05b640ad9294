package io.imgclass.core.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imgclass.core.ImgclassException;
import io.imgclass.recordio.ImageRecordHeader;
import io.imgclass.recordio.RecordIOWriter;
import io.imgclass.recordio.RecordIndex;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecInspectorTest {
  @TempDir Path dir;

  private final RecInspector inspector = new RecInspector();

  @Test
  void goodSingleLabelFile() throws IOException {
    Path rec = dir.resolve("good.rec");
    Fixtures.singleLabel(rec, dir.resolve("good.idx"), 30);
    InspectReport r = inspector.inspect(InspectOptions.of(rec, null, false));
    assertThat(r.ok()).isTrue();
    assertThat(r.problems()).isEmpty();
    assertThat(r.records()).isEqualTo(30);
    assertThat(r.fileBytes()).isEqualTo(Files.size(rec));
    assertThat(r.header().flags()).containsExactly(entry("0", 30L));
    assertThat(r.header().idMin()).isZero();
    assertThat(r.header().idMax()).isEqualTo(29);
    assertThat(r.labels().kind()).isEqualTo("single");
    assertThat(r.labels().single()).containsExactly(entry("0", 10L), entry("1", 10L), entry("2", 10L));
    assertThat(r.images().formats()).containsExactly(entry("JPEG", 24L), entry("PNG", 6L));
    assertThat(r.images().decodeMode()).isEqualTo("sample");
    assertThat(r.images().decoded()).isEqualTo(20);
    assertThat(r.images().decodedOk()).isEqualTo(20);
    // evenly spaced sample i*30/20 = 0,1,3,4,6,7,9,...,27,28: it holds the PNGs 4, 9, 19 and 24
    assertThat(r.images().shapes()).containsExactly(entry("24x16x3", 16L), entry("10x8x1", 4L));
    assertThat(r.index().file()).isEqualTo(dir.resolve("good.idx").toString()); // found by default
    assertThat(r.index().consistent()).isTrue();
    assertThat(r.corrupt().regions()).isEmpty();

    InspectReport all = inspector.inspect(InspectOptions.of(rec, null, true));
    assertThat(all.ok()).isTrue();
    assertThat(all.images().decodeMode()).isEqualTo("all");
    assertThat(all.images().shapes()).containsExactly(entry("24x16x3", 24L), entry("10x8x1", 6L));
  }

  @Test
  void multiLabelHistogramsPerPositionAndWidths() throws IOException {
    Path rec = dir.resolve("ml.rec");
    Random rnd = new Random(1);
    byte[] img = Fixtures.image(rnd, "jpeg", 8, 8);
    try (RecordIOWriter w = RecordIOWriter.create(rec, null)) {
      w.write(ImageRecordHeader.multi(new float[] {1, 0, 1}, 0).encode(img));
      w.write(ImageRecordHeader.multi(new float[] {0, 0, 1}, 1).encode(img));
      // C++ im2rec variant: first label also in header.label, which must be ignored
      w.write(new ImageRecordHeader(3, 7f, 2, 0, new float[] {1, 0, 0}).encode(img));
      w.write(ImageRecordHeader.multi(new float[] {2.5f, 1}, 3).encode(img));
    }
    InspectReport r = inspector.inspect(InspectOptions.of(rec, null, true));
    assertThat(r.ok()).isTrue();
    assertThat(r.index()).isNull();
    assertThat(r.labels().kind()).isEqualTo("multi");
    assertThat(r.labels().single()).isEmpty();
    assertThat(r.labels().labelWidths()).containsExactly(entry("2", 1L), entry("3", 3L));
    assertThat(r.labels().positions()).hasSize(3);
    InspectReport.Position p0 = r.labels().positions().get(0);
    assertThat(p0.records()).isEqualTo(4);
    assertThat(p0.nonZero()).isEqualTo(3);
    assertThat(p0.values()).containsExactly(entry("0", 1L), entry("1", 2L), entry("2.5", 1L));
    assertThat(r.labels().positions().get(2).records()).isEqualTo(3);
    assertThat(r.labels().positions().get(2).nonZero()).isEqualTo(2);
    assertThat(r.header().flags()).containsExactly(entry("2", 1L), entry("3", 3L));
  }

  @Test
  void corruptRegionFailsEvenWithoutVerify() throws IOException {
    Path rec = dir.resolve("c.rec");
    long[] offsets = Fixtures.singleLabel(rec, dir.resolve("c.idx"), 10);
    byte[] b = Files.readAllBytes(rec);
    b[(int) offsets[4]] ^= 0x55; // the magic of record 4
    Files.write(rec, b);
    InspectReport r = inspector.inspect(InspectOptions.of(rec, null, false));
    assertThat(r.ok()).isFalse();
    assertThat(r.records()).isEqualTo(9);
    assertThat(r.corrupt().regions()).containsExactly(new InspectReport.Region(offsets[4], offsets[5],
        offsets[5] - offsets[4], "expected magic 0xCED7230A, found 0xCED7235F"));
    assertThat(r.corrupt().skippedBytes()).isEqualTo(offsets[5] - offsets[4]);
    assertThat(r.problems().get(0)).startsWith("1 corrupt region, " + (offsets[5] - offsets[4]) + " bytes skipped");
    assertThat(r.index().misplacedEntries()).isEqualTo(1);
    assertThat(r.index().examples()).contains("key 4: offset " + offsets[4] + " is not the start of a record");
  }

  @Test
  void indexMismatchesAreCountedAndFailOnlyWithVerify() throws IOException {
    Path rec = dir.resolve("i.rec");
    long[] o = Fixtures.singleLabel(rec, dir.resolve("i.idx"), 6);
    Path idx = dir.resolve("bad.idx");
    Files.writeString(idx, String.join("\n",
        "0\t" + o[0],
        "1\t" + (o[1] + 4), // misplaced
        "2\t" + o[2],
        "2\t" + o[3], // duplicate key; record 3's id is 3: mismatch
        "4\t" + o[2], // duplicate offset, and record 2's id is 2: mismatch
        "")); // records 4 and 5 unindexed, record 1 too
    InspectReport r = inspector.inspect(InspectOptions.of(rec, idx, false));
    InspectReport.Index x = r.index();
    assertThat(x.entries()).isEqualTo(5);
    assertThat(x.misplacedEntries()).isEqualTo(1);
    assertThat(x.duplicateKeys()).isEqualTo(1);
    assertThat(x.duplicateOffsets()).isEqualTo(1);
    assertThat(x.keyIdMismatches()).isEqualTo(2);
    assertThat(x.unindexedRecords()).isEqualTo(3);
    assertThat(x.consistent()).isFalse();
    assertThat(x.examples()).contains(
        "key 1: offset " + (o[1] + 4) + " is not the start of a record",
        "key 2: the record at offset " + o[3] + " has id 3",
        "key 4: offset " + o[2] + " is already indexed",
        "record at offset " + o[4] + " has no index entry",
        "key 2 appears more than once");
    assertThat(r.ok()).isTrue(); // informational without --verify
    assertThat(r.problems()).singleElement().asString()
        .startsWith("index " + idx + " does not match the records: 5 entries for 6 records, 1 misplaced entry,"
            + " 3 unindexed records, 1 duplicate key, 1 duplicate offset, 2 key/id mismatches (first: ");
    assertThat(inspector.inspect(InspectOptions.of(rec, idx, true)).ok()).isFalse();
  }

  @Test
  void undecodableImagesAndInvalidHeadersFailVerify() throws IOException {
    Path rec = dir.resolve("u.rec");
    Random rnd = new Random(2);
    byte[] jpeg = Fixtures.image(rnd, "jpeg", 32, 32);
    try (RecordIOWriter w = RecordIOWriter.create(rec, null)) {
      w.write(ImageRecordHeader.single(1, 0).encode(jpeg));
      w.write(ImageRecordHeader.single(1, 1).encode(Arrays.copyOf(jpeg, jpeg.length / 2))); // truncated
      w.write(ImageRecordHeader.single(1, 2).encode(new byte[] {1, 2, 3, 4, 5})); // not an image
      w.write(new byte[10]); // too short for an IRHeader
      byte[] lies = ImageRecordHeader.single(0, 4).encode(jpeg);
      ByteBuffer.wrap(lies).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 1_000_000); // flag beyond the record
      w.write(lies);
    }
    InspectReport r = inspector.inspect(InspectOptions.of(rec, null, true));
    assertThat(r.ok()).isFalse();
    assertThat(r.header().valid()).isEqualTo(3);
    assertThat(r.header().invalid()).isEqualTo(2);
    assertThat(r.header().examples()).hasSize(2);
    assertThat(r.images().formats()).containsExactly(entry("JPEG", 2L), entry("other", 1L));
    assertThat(r.images().decoded()).isEqualTo(3);
    assertThat(r.images().decodedOk()).isEqualTo(1);
    assertThat(r.images().failureCount()).isEqualTo(2);
    assertThat(r.images().failures()).extracting(InspectReport.ImageFailure::id).containsExactly(1L, 2L);
    assertThat(r.images().failures().get(1).reason()).contains("no decoder");
    assertThat(r.problems()).hasSize(2);
    assertThat(r.problems().get(0)).startsWith("2 records without a valid IRHeader (first at byte ");
    assertThat(r.problems().get(1)).startsWith("2 of 3 decoded images failed (first: record at byte ");
    // without --verify the same findings are reported but do not fail
    InspectReport sample = inspector.inspect(InspectOptions.of(rec, null, false));
    assertThat(sample.ok()).isTrue();
    assertThat(sample.problems()).hasSize(2);
  }

  @Test
  void emptyFileHasNoRecordsWhichFailsVerify() throws IOException {
    Path rec = Files.createFile(dir.resolve("empty.rec"));
    InspectReport r = inspector.inspect(InspectOptions.of(rec, null, false));
    assertThat(r.records()).isZero();
    assertThat(r.labels().kind()).isEqualTo("none");
    assertThat(r.header().idMin()).isNull();
    assertThat(r.ok()).isTrue();
    assertThat(inspector.inspect(InspectOptions.of(rec, null, true)).problems()).containsExactly("no records");
  }

  @Test
  void missingFilesAndBadIndexLinesNameTheFile() throws IOException {
    Path rec = dir.resolve("x.rec");
    assertThatThrownBy(() -> inspector.inspect(InspectOptions.of(rec, null, false)))
        .isInstanceOf(ImgclassException.class)
        .hasMessage(rec + ": no such file");
    Fixtures.singleLabel(rec, null, 2);
    Path idx = dir.resolve("other.idx");
    assertThatThrownBy(() -> inspector.inspect(InspectOptions.of(rec, idx, false)))
        .hasMessage(idx + ": no such file");
    Files.writeString(idx, "0\t0\nzero\t16\n");
    assertThatThrownBy(() -> inspector.inspect(InspectOptions.of(rec, idx, false)))
        .isInstanceOf(RecordIndex.IndexFormatException.class)
        .hasMessageStartingWith(idx + ":2: ");
    assertThatThrownBy(() -> inspector.inspect(InspectOptions.of(dir, null, false)))
        .hasMessage(dir + ": not a regular file");
  }

  @Test
  void jsonHasTheDocumentedFieldsInOrder() throws IOException {
    Path rec = dir.resolve("j.rec");
    Fixtures.singleLabel(rec, dir.resolve("j.idx"), 3);
    byte[] b = Files.readAllBytes(rec);
    Files.write(rec, Arrays.copyOf(b, b.length - 3)); // one corrupt region
    JsonNode json = new ObjectMapper().readTree(InspectFormatter.json(inspector.inspect(InspectOptions.of(rec, null, false))));
    // The same names and order as docs/formats.md, "inspect JSON": change both together.
    assertThat(names(json)).containsExactly("schema", "file", "fileBytes", "records", "payloadBytes", "header",
        "labels", "images", "index", "corrupt", "verify", "problems", "ok");
    assertThat(json.get("schema").asText()).isEqualTo("imgclass-inspect/1");
    assertThat(names(json.get("header"))).containsExactly("valid", "invalid", "flags", "idMin", "idMax",
        "duplicateIds", "nonZeroId2", "examples");
    assertThat(names(json.get("labels"))).containsExactly("kind", "single", "singleOther", "labelWidths", "positions");
    assertThat(names(json.get("images"))).containsExactly("formats", "decodeMode", "decoded", "decodedOk", "shapes",
        "failures", "failureCount");
    assertThat(names(json.get("index"))).containsExactly("file", "entries", "misplacedEntries", "unindexedRecords",
        "duplicateKeys", "duplicateOffsets", "keyIdMismatches", "examples", "consistent");
    assertThat(names(json.get("corrupt"))).containsExactly("regions", "skippedBytes");
    assertThat(names(json.get("corrupt").get("regions").get(0))).containsExactly("start", "end", "length", "reason");
    assertThat(json.get("ok").asBoolean()).isFalse();
    assertThat(json.get("labels").get("single").get("0").asLong()).isEqualTo(1);
  }

  private static List<String> names(JsonNode node) {
    List<String> out = new ArrayList<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      out.add(it.next());
    }
    return out;
  }
}
