package io.imgclass.core.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imgclass.core.label.LabelFormat;
import io.imgclass.recordio.ImageRecordHeader;
import io.imgclass.recordio.RawRecord;
import io.imgclass.recordio.RecordIOReader;
import io.imgclass.recordio.RecordIOWriter;
import io.imgclass.recordio.RecordIndex;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Packs the first three lines of the real emoji sample (their PNGs are committed) in both layouts. */
class ManifestPackerTest {
  @TempDir Path dir;
  Path images;
  Path manifest;

  @BeforeEach
  void copyFixture() throws IOException {
    images = Files.createDirectories(dir.resolve("images"));
    List<String> lines = new ArrayList<>();
    try (InputStream in = getClass().getResourceAsStream("emoji/sample.jsonl")) {
      new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().limit(3).forEach(lines::add);
    }
    manifest = dir.resolve("three.jsonl");
    Files.write(manifest, lines);
    for (String l : lines) {
      String name = l.replaceAll(".*images/([^\"]+)\".*", "$1");
      try (InputStream in = getClass().getResourceAsStream("emoji/images/" + name)) {
        Files.copy(in, images.resolve(name));
      }
    }
  }

  private ManifestPacker.Builder builder(Path out) {
    return ManifestPacker.Config.builder(manifest, out)
        .addPrefixMap(RefResolver.PrefixMapping.parse("s3://imgclass-emoji/images/=" + images))
        .optNumClasses(16);
  }

  private static List<RawRecord> readAll(Path rec) throws IOException {
    List<RawRecord> out = new ArrayList<>();
    try (RecordIOReader r = RecordIOReader.open(rec)) {
      for (RawRecord x; (x = r.next()) != null; ) {
        out.add(x);
      }
    }
    return out;
  }

  @Test
  void pipeLayoutIsImageThenLabelTextPerLine() throws IOException {
    ManifestPacker.Result res = ManifestPacker.pack(builder(dir.resolve("pipe")).build());
    assertThat(res.labelFormat()).isEqualTo(LabelFormat.CLASS_ID);
    assertThat(res.detection()).isNotNull();
    assertThat(res.entries()).isEqualTo(3);
    assertThat(res.records()).isEqualTo(6);
    List<RawRecord> recs = readAll(res.rec());
    assertThat(recs).hasSize(6);
    assertThat(recs.get(0).data()).isEqualTo(Files.readAllBytes(images.resolve("1f004.png")));
    assertThat(new String(recs.get(1).data(), StandardCharsets.UTF_8)).isEqualTo("[8]");
    assertThat(recs.get(2).data()).isEqualTo(Files.readAllBytes(images.resolve("1f1e7-1f1e7.png")));
    assertThat(new String(recs.get(3).data(), StandardCharsets.UTF_8)).isEqualTo("[6]");
    RecordIndex idx = RecordIndex.read(res.idx());
    assertThat(idx.entries()).extracting(RecordIndex.Entry::key).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
    assertThat(idx.entries()).extracting(RecordIndex.Entry::offset)
        .containsExactlyElementsOf(recs.stream().map(RawRecord::offset).toList());
    assertThat(res.bytes()).isEqualTo(Files.size(res.rec()));
  }

  @Test
  void multiHotTextIsCommaSpaceSeparated() throws IOException {
    Files.writeString(manifest, "{\"source-ref\":\"s3://imgclass-emoji/images/1f004.png\",\"class\":\"[1,0,1]\"}\n");
    ManifestPacker.Result res = ManifestPacker.pack(builder(dir.resolve("mh")).optNumClasses(3).build());
    assertThat(res.labelFormat()).isEqualTo(LabelFormat.MULTI_HOT);
    assertThat(new String(readAll(res.rec()).get(1).data(), StandardCharsets.UTF_8)).isEqualTo("[1, 0, 1]");
  }

  @Test
  void imageRecordLayoutCarriesHeaderIdAndMultiHotLabels() throws Exception, InterruptedException {
    Path prefix = dir.resolve("ir");
    ManifestPacker.Result res = ManifestPacker.pack(builder(prefix)
        .optLabelFormat(LabelFormat.CLASS_ID).optLayout(ManifestPacker.Layout.IMAGE_RECORDS).build());
    List<RawRecord> recs = readAll(res.rec());
    assertThat(recs).hasSize(3);
    String[] files = {"1f004.png", "1f1e7-1f1e7.png", "1f1e8-1f1e6.png"};
    int[] classes = {8, 6, 6};
    for (int i = 0; i < 3; i++) {
      ImageRecordHeader h = ImageRecordHeader.decode(recs.get(i).data());
      float[] expected = new float[16];
      expected[classes[i]] = 1;
      assertThat(h).isEqualTo(ImageRecordHeader.multi(expected, i));
      assertThat(h.image(recs.get(i).data())).isEqualTo(Files.readAllBytes(images.resolve(files[i])));
    }
    assertThat(RecordIndex.read(res.idx()).entries()).extracting(RecordIndex.Entry::key).containsExactly(0L, 1L, 2L);
    mxnetCrossCheck(prefix);
  }

  @Test
  void singleLabelImageRecordsKeepTheLabelInTheHeader() throws IOException {
    Files.writeString(manifest, "{\"source-ref\":\"s3://imgclass-emoji/images/1f004.png\",\"class\":\"7\"}\n");
    ManifestPacker.Result res = ManifestPacker.pack(builder(dir.resolve("single"))
        .optLayout(ManifestPacker.Layout.IMAGE_RECORDS).build());
    assertThat(ImageRecordHeader.decode(readAll(res.rec()).get(0).data())).isEqualTo(ImageRecordHeader.single(7, 0));
  }

  @Test
  void badLineStopsPackingAndLeavesNoOutput() throws IOException {
    Files.writeString(manifest, "{\"source-ref\":\"s3://imgclass-emoji/images/1f004.png\",\"class\":[8]}\n"
        + "{\"source-ref\":\"s3://imgclass-emoji/images/missing.png\",\"class\":[8]}\n");
    Path prefix = dir.resolve("bad");
    assertThatThrownBy(() -> ManifestPacker.pack(builder(prefix).optLabelFormat(LabelFormat.CLASS_ID).build()))
        .isInstanceOf(ManifestException.class)
        .hasMessageStartingWith(manifest + ":2: missing-file: no readable file");
    try (var list = Files.list(dir)) {
      assertThat(list.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("bad."));
    }
    assertThat(RecordIOWriter.temporaryName(dir.resolve("bad.rec"))).doesNotExist();
  }

  @Test
  void emptyManifestIsAnError() throws IOException {
    Files.writeString(manifest, "");
    assertThatThrownBy(() -> ManifestPacker.pack(builder(dir.resolve("e")).optLabelFormat(LabelFormat.SINGLE).build()))
        .hasMessageContaining("has no lines");
    assertThat(dir.resolve("e.rec")).doesNotExist();
  }

  /**
   * Runs the project's MXNet RecordIO check (dmlc reader and writer from the real libmxnet.so DJL
   * ships). Needs Debian's python3-numpy: skipped without it, except in CI where it must be there.
   */
  private void mxnetCrossCheck(Path prefix) throws Exception {
    io.imgclass.core.DebianPython.require("numpy");
    Path script = io.imgclass.core.DebianPython.mxnetScript(Files.createTempDirectory(dir, "py"), "mxnet_recordio_check.py");
    io.imgclass.core.DebianPython.Result r = io.imgclass.core.DebianPython.runMxnet(List.of(script.toString(), prefix.toString()), 120);
    assertThat(r.code()).as(r.out() + r.err()).isZero();
  }
}
