package io.imgclass.core.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imgclass.core.UsageException;
import io.imgclass.core.label.Label;
import io.imgclass.core.label.LabelFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestReaderTest {
  @TempDir Path dir;

  @Test
  void yieldsEntriesWithLineIndexLabelAndRawJson() throws IOException {
    Path f = dir.resolve("m.jsonl");
    Files.writeString(f, """
        {"image-ref": "s3://b/a.jpg", "labels": [0, 2], "labels-metadata": {"x": 1}}
        {"labels": "[1]", "image-ref": "s3://b/b.jpg"}\r
        """);
    List<ManifestEntry> got = new ArrayList<>();
    try (ManifestReader r = ManifestReader.open(f, new Attributes("image-ref", "labels"), LabelFormat.CLASS_ID, 3)) {
      for (ManifestEntry e; (e = r.next()) != null; ) {
        got.add(e);
      }
    }
    assertThat(got).containsExactly(
        new ManifestEntry(1, 0, "s3://b/a.jpg", new Label.ClassIds(new int[] {0, 2}),
            "{\"image-ref\": \"s3://b/a.jpg\", \"labels\": [0, 2], \"labels-metadata\": {\"x\": 1}}"),
        new ManifestEntry(2, 1, "s3://b/b.jpg", new Label.ClassIds(new int[] {1}),
            "{\"labels\": \"[1]\", \"image-ref\": \"s3://b/b.jpg\"}"));
  }

  @Test
  void firstBadLineThrowsWithFileLineColumnAndRule() throws IOException {
    Path f = dir.resolve("bad.jsonl");
    Files.writeString(f, "{\"source-ref\":\"s3://b/a\",\"class\":1}\n{\"source-ref\":\"s3://b/a\",\"class\":}\n");
    try (ManifestReader r = ManifestReader.open(f, Attributes.DEFAULT, LabelFormat.SINGLE, 2)) {
      assertThat(r.next().label()).isEqualTo(new Label.Single(1));
      assertThatThrownBy(r::next).isInstanceOf(ManifestException.class)
          .hasMessageStartingWith(f + ":2:34: invalid-json: Unexpected character ('}'");
    }
  }

  @Test
  void labelErrorsThrowToo() throws IOException {
    Path f = dir.resolve("range.jsonl");
    Files.writeString(f, "{\"source-ref\":\"s3://b/a\",\"class\":[1, 0]}\n");
    try (ManifestReader r = ManifestReader.open(f, Attributes.DEFAULT, LabelFormat.MULTI_HOT, 3)) {
      assertThatThrownBy(r::next).hasMessage(f + ":1: multi-hot-length: multi-hot label has 2 values but num_classes is 3");
    }
  }

  @Test
  void attributeNamesFollowSageMakersOrder() {
    assertThatThrownBy(() -> Attributes.parse(List.of("class", "source-ref"))).isInstanceOf(UsageException.class)
        .hasMessageContaining("end in '-ref'");
    assertThatThrownBy(() -> Attributes.parse(List.of("source-ref"))).hasMessageContaining("exactly two");
    assertThat(Attributes.parse(List.of(" source-ref", "class "))).isEqualTo(Attributes.DEFAULT);
  }

  @Test
  void resolverPicksTheLongestPrefixAndStaysInsideRoots() throws IOException {
    Path a = Files.createDirectories(dir.resolve("a"));
    Path b = Files.createDirectories(dir.resolve("b/train"));
    Files.writeString(a.resolve("x.jpg"), "a");
    Files.writeString(b.resolve("x.jpg"), "b");
    RefResolver r = new RefResolver(dir.resolve("a"), List.of(
        RefResolver.PrefixMapping.parse("s3://bucket=" + a),
        RefResolver.PrefixMapping.parse("s3://bucket/train/=" + b)));
    assertThat(r.resolve("s3://bucket/train/x.jpg").file()).isEqualTo(b.resolve("x.jpg"));
    assertThat(r.resolve("s3://bucket/x.jpg").file()).isEqualTo(a.resolve("x.jpg"));
    assertThat(r.resolve("x.jpg").file()).isEqualTo(a.resolve("x.jpg"));
    assertThat(r.resolve("s3://bucket/train/../x.jpg").problem()).isEqualTo(Rule.REF_ESCAPES_ROOT);
    assertThat(r.resolve("../b/train/x.jpg").problem()).isEqualTo(Rule.REF_ESCAPES_ROOT);
    assertThat(r.resolve(b.resolve("x.jpg").toString()).problem()).isEqualTo(Rule.REF_ESCAPES_ROOT);
    assertThat(r.resolve("s3://other/x.jpg").problem()).isEqualTo(Rule.REF_UNMAPPED);
    assertThat(r.resolve("s3://bucket/y.jpg").problem()).isEqualTo(Rule.MISSING_FILE);
    assertThat(r.resolve("s3://bucket/").problem()).isEqualTo(Rule.REF_ESCAPES_ROOT);
    assertThatThrownBy(() -> RefResolver.PrefixMapping.parse("bucket=" + a)).isInstanceOf(UsageException.class);
  }
}
