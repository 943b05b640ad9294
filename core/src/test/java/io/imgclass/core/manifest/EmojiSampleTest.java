package io.imgclass.core.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imgclass.core.label.LabelFormat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed sample of the real emoji multi-label set (52 lines, class-id, Ground Truth style;
 * see emoji/README.md): it validates clean, auto-detection picks class-id, and the histogram equals
 * an independent count made with Jackson's tree model.
 */
class EmojiSampleTest {
  @TempDir Path dir;

  @Test
  void realMultiLabelSampleValidatesAndCountsLikeAnIndependentReader() throws IOException {
    Path m = dir.resolve("sample.jsonl");
    try (InputStream in = getClass().getResourceAsStream("emoji/sample.jsonl")) {
      Files.copy(in, m);
    }
    ValidationReport r = ManifestValidator.validate(ValidationConfig.builder(m).optNumClasses(16).build());
    assertThat(r.labelFormat()).isEqualTo(LabelFormat.CLASS_ID);
    assertThat(r.detection().reason()).startsWith("class-id:");
    assertThat(r.lines()).isEqualTo(52);
    assertThat(r.validLines()).isEqualTo(52);
    assertThat(r.errors()).isZero();

    long[] expected = new long[16];
    ObjectMapper om = new ObjectMapper();
    for (String line : Files.readAllLines(m, StandardCharsets.UTF_8)) {
      for (JsonNode id : om.readTree(line).get("class")) {
        expected[id.asInt()]++;
      }
    }
    assertThat(r.histogram()).containsExactly(expected);
    List<Integer> zero = new java.util.ArrayList<>();
    for (int c = 0; c < 16; c++) {
      if (expected[c] == 0) {
        zero.add(c);
      }
    }
    assertThat(r.classesWithoutExamples()).isEqualTo(zero);
    assertThat(r.warnings()).isEqualTo(zero.size());
  }

  @Test
  void asMultiHotTheSameSampleFailsOnEveryLine() throws IOException {
    Path m = dir.resolve("sample.jsonl");
    try (InputStream in = getClass().getResourceAsStream("emoji/sample.jsonl")) {
      Files.copy(in, m);
    }
    ValidationReport r = ManifestValidator.validate(ValidationConfig.builder(m).optNumClasses(16)
        .optLabelFormat(LabelFormat.MULTI_HOT).optMaxErrors(1).build());
    assertThat(r.counts().get(Rule.MULTI_HOT_LENGTH) + r.counts().get(Rule.MULTI_HOT_VALUE)).isEqualTo(52);
    assertThat(r.issues()).filteredOn(i -> i.severity() == Severity.ERROR).singleElement()
        .satisfies(i -> assertThat(i.message()).isEqualTo("multi-hot label has 1 value but num_classes is 16"));
    assertThat(r.unlistedErrors()).isEqualTo(51);
  }
}
