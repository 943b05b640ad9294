package io.imgclass.core.manifest;

import io.imgclass.core.model.ImageShape;
import static org.assertj.core.api.Assertions.assertThat;

import io.imgclass.core.label.LabelFormat;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** One minimal failing manifest per rule: the rule fires on the expected line, and no other error does. */
class ManifestRulesTest {
  @TempDir static Path dir;
  static Path root;

  /** root/ok.png (8x8), root/bad.png (not an image), outside.png beside root, root/link.png -> ../outside.png. */
  @BeforeAll
  static void images() throws IOException {
    root = Files.createDirectories(dir.resolve("root"));
    ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "png", root.resolve("ok.png").toFile());
    Files.write(root.resolve("bad.png"), "not an image".getBytes(StandardCharsets.US_ASCII));
    Files.copy(root.resolve("ok.png"), dir.resolve("outside.png"));
    Files.createSymbolicLink(root.resolve("link.png"), Path.of("..", "outside.png"));
  }

  record Case(Rule rule, long line, int column, String manifest, UnaryOperator<ValidationConfig.Builder> options) {
    @Override
    public String toString() {
      return rule.id();
    }
  }

  static String ok(String ref, String label) {
    return "{\"source-ref\":\"" + ref + "\",\"class\":" + label + "}";
  }

  static UnaryOperator<ValidationConfig.Builder> k3(LabelFormat f) {
    return b -> b.optNumClasses(3).optLabelFormat(f);
  }

  static UnaryOperator<ValidationConfig.Builder> files(boolean decode) {
    return b -> b.optNumClasses(3).optLabelFormat(LabelFormat.SINGLE).optCheckImages(decode)
        .addPrefixMap(RefResolver.PrefixMapping.parse("s3://b/=" + root));
  }

  static Stream<Case> cases() {
    LabelFormat s = LabelFormat.SINGLE;
    LabelFormat m = LabelFormat.MULTI_HOT;
    LabelFormat c = LabelFormat.CLASS_ID;
    return Stream.of(
        new Case(Rule.EMPTY_MANIFEST, 0, 0, "", k3(s)),
        new Case(Rule.BLANK_LINE, 2, 0, ok("s3://b/a.jpg", "0") + "\n \n" + ok("s3://b/b.jpg", "1"), k3(s)),
        new Case(Rule.INVALID_JSON, 1, 39, "{\"source-ref\":\"s3://b/a.jpg\",\"class\":1", k3(s)),
        new Case(Rule.NOT_AN_OBJECT, 1, 0, "[\"s3://b/a.jpg\", 1]", k3(s)),
        new Case(Rule.MISSING_ATTRIBUTE, 1, 0, "{\"source-ref\":\"s3://b/a.jpg\"}", k3(s)),
        new Case(Rule.DUPLICATE_ATTRIBUTE, 1, 0, "{\"source-ref\":\"s3://b/a.jpg\",\"class\":1,\"class\":2}", k3(s)),
        new Case(Rule.WRONG_TYPE, 1, 0, ok("s3://b/a.jpg", "true"), k3(s)),
        new Case(Rule.EMPTY_REF, 1, 0, ok("", "1"), k3(s)),
        new Case(Rule.LABEL_UNPARSABLE, 1, 0, ok("s3://b/a.jpg", "\"one\""), k3(s)),
        new Case(Rule.LABEL_FORMAT_MISMATCH, 1, 0, ok("s3://b/a.jpg", "[1]"), k3(s)),
        new Case(Rule.LABEL_NOT_INTEGER, 1, 0, ok("s3://b/a.jpg", "1.5"), k3(s)),
        new Case(Rule.LABEL_OUT_OF_RANGE, 1, 0, ok("s3://b/a.jpg", "3"), k3(s)),
        new Case(Rule.MULTI_HOT_LENGTH, 1, 0, ok("s3://b/a.jpg", "[1, 0]"), k3(m)),
        new Case(Rule.MULTI_HOT_VALUE, 1, 0, ok("s3://b/a.jpg", "[1, 0, 2]"), k3(m)),
        new Case(Rule.CLASS_ID_EMPTY, 1, 0, ok("s3://b/a.jpg", "[]"), k3(c)),
        new Case(Rule.CLASS_ID_DUPLICATE, 1, 0, ok("s3://b/a.jpg", "[1, 1]"), k3(c)),
        new Case(Rule.CLASS_ID_OUT_OF_RANGE, 1, 0, ok("s3://b/a.jpg", "[0, 3]"), k3(c)),
        new Case(Rule.DUPLICATE_REF, 2, 0, ok("s3://b/a.jpg", "0") + "\n" + ok("s3://b/a.jpg", "1"), k3(s)),
        new Case(Rule.REF_NOT_S3, 1, 0, ok("images/a.jpg", "0"), k3(s)),
        new Case(Rule.REF_UNMAPPED, 1, 0, ok("s3://other/ok.png", "0"), files(false)),
        new Case(Rule.REF_ESCAPES_ROOT, 1, 0, ok("s3://b/../outside.png", "0"), files(false)),
        new Case(Rule.MISSING_FILE, 1, 0, ok("s3://b/nope.png", "0"), files(false)),
        new Case(Rule.IMAGE_UNDECODABLE, 1, 0, ok("s3://b/bad.png", "0"), files(true)),
        new Case(Rule.IMAGE_TOO_SMALL, 1, 0, ok("s3://b/ok.png", "0"),
            b -> files(true).apply(b).optImageShape(ImageShape.parse("3,16,16"))),
        new Case(Rule.CLASS_WITHOUT_EXAMPLES, 0, 0, ok("s3://b/a.jpg", "0") + "\n" + ok("s3://b/b.jpg", "1"), k3(s)));
  }

  static ValidationReport validate(String name, String manifest, UnaryOperator<ValidationConfig.Builder> options)
      throws IOException {
    Path f = dir.resolve(name + ".jsonl");
    Files.writeString(f, manifest.isEmpty() ? "" : manifest + "\n", StandardCharsets.UTF_8);
    return ManifestValidator.validate(options.apply(ValidationConfig.builder(f)).build());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void eachRuleFiresOnItsMinimalLine(Case c) throws IOException {
    ValidationReport r = validate(c.rule().id(), c.manifest(), c.options());
    assertThat(r.issues()).filteredOn(i -> i.rule() == c.rule())
        .singleElement()
        .satisfies(i -> {
          assertThat(i.line()).isEqualTo(c.line());
          assertThat(i.column()).isEqualTo(c.column());
          assertThat(i.message()).isNotBlank();
        });
    Set<Rule> errorRules = r.issues().stream().filter(i -> i.severity() == Severity.ERROR)
        .map(Issue::rule).collect(Collectors.toSet());
    if (c.rule().severity() == Severity.ERROR) {
      assertThat(errorRules).containsExactly(c.rule());
      assertThat(r.passed()).isFalse();
    } else {
      assertThat(errorRules).isEmpty();
      assertThat(r.passed()).isTrue();
    }
    assertThat(r.counts().get(c.rule())).isEqualTo(1L);
    assertThat(r.notChecked()).doesNotContainKey(c.rule());
  }

  @Test
  void everyRuleHasAMinimalCase() {
    Set<Rule> covered = cases().map(Case::rule).collect(Collectors.toCollection(() -> EnumSet.noneOf(Rule.class)));
    assertThat(covered).isEqualTo(EnumSet.allOf(Rule.class));
  }

  @Test
  void localRefsAreReportedOnceWithTheirCount() throws IOException {
    String m = ok("s3://b/ok.png", "0") + "\n" + ok("ok.png", "1") + "\n" + ok("ok.png", "2") + "\n"
        + ok("bad.png", "0");
    ValidationReport r = validate("local", m,
        b -> b.optNumClasses(3).optLabelFormat(LabelFormat.SINGLE).optImageRoot(root));
    assertThat(r.issues()).filteredOn(i -> i.rule() == Rule.REF_NOT_S3).singleElement()
        .satisfies(i -> {
          assertThat(i.line()).isEqualTo(2);
          assertThat(i.message()).isEqualTo("'ok.png' is not an s3:// URI (3 of 4 image refs are not s3:// URIs; said once)");
        });
    assertThat(r.counts().get(Rule.REF_NOT_S3)).isEqualTo(1L);
  }

  @Test
  void symbolicLinkOutOfTheRootIsRefused() throws IOException {
    ValidationReport r = validate("link", ok("s3://b/link.png", "0"), files(false));
    assertThat(r.issues()).filteredOn(i -> i.severity() == Severity.ERROR).singleElement()
        .satisfies(i -> {
          assertThat(i.rule()).isEqualTo(Rule.REF_ESCAPES_ROOT);
          assertThat(i.message()).contains("symbolic link");
        });
  }

  @Test
  void cleanManifestsPassInEveryFormat() throws IOException {
    String single = ok("s3://b/ok.png", "0") + "\n" + ok("s3://b/bad.png", "\"1\"") + "\n" + ok("s3://b/x.png", "2.0");
    ValidationReport r = validate("single-clean", single, k3(LabelFormat.SINGLE));
    assertThat(r.issues()).isEmpty();
    assertThat(r.passed()).isTrue();
    assertThat(r.histogram()).containsExactly(1, 1, 1);
    assertThat(r.stringLabels()).isEqualTo(1);

    String multiHot = ok("s3://b/a", "[1, 0, 1]") + "\n" + ok("s3://b/b", "\"[0, 1, 0]\"");
    r = validate("mh", multiHot, b -> b.optNumClasses(3));
    assertThat(r.labelFormat()).isEqualTo(LabelFormat.MULTI_HOT);
    assertThat(r.detection()).isNotNull();
    assertThat(r.issues()).isEmpty();
    assertThat(r.histogram()).containsExactly(1, 1, 1);

    String classIds = ok("s3://b/a", "[0, 2]") + "\n" + ok("s3://b/b", "\"[1]\"");
    r = validate("cid", classIds, b -> b.optNumClasses(3));
    assertThat(r.labelFormat()).isEqualTo(LabelFormat.CLASS_ID);
    assertThat(r.issues()).isEmpty();
    assertThat(r.histogram()).containsExactly(1, 1, 1);
  }

  @Test
  void maxErrorsCapsTheListingButNotTheCounts() throws IOException {
    String bad = String.join("\n", List.of(ok("s3://b/1", "9"), ok("s3://b/2", "9"), ok("s3://b/3", "9"), "x", ok("s3://b/1", "0")));
    ValidationReport r = validate("cap", bad, b -> k3(LabelFormat.SINGLE).apply(b).optMaxErrors(2));
    assertThat(r.errors()).isEqualTo(4);
    assertThat(r.issues()).filteredOn(i -> i.severity() == Severity.ERROR).hasSize(2);
    assertThat(r.unlistedErrors()).isEqualTo(2);
    assertThat(r.counts().get(Rule.LABEL_OUT_OF_RANGE)).isEqualTo(3);
    assertThat(r.counts().get(Rule.INVALID_JSON)).isEqualTo(1);
    assertThat(r.validLines()).isEqualTo(1);
  }

  @Test
  void strictTurnsWarningsIntoFailure() throws IOException {
    String dup = ok("s3://b/a", "0") + "\n" + ok("s3://b/a", "0");
    assertThat(validate("lenient", dup, b -> b.optNumClasses(1)).passed()).isTrue();
    assertThat(validate("strict", dup, b -> b.optNumClasses(1).optStrict(true)).passed()).isFalse();
  }

  @Test
  void duplicatesAreFoundAcrossSpilledRuns() throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 1000; i++) {
      sb.append(ok("s3://b/img" + (i % 300), "0")).append('\n');
    }
    ValidationReport r = validate("spill", sb.toString().strip(),
        b -> b.optNumClasses(1).optDuplicateChunk(64).optMaxErrors(0));
    assertThat(r.counts().get(Rule.DUPLICATE_REF)).isEqualTo(700);
    assertThat(r.issues()).filteredOn(i -> i.rule() == Rule.DUPLICATE_REF).allSatisfy(i -> {
      long first = Long.parseLong(i.message().replaceAll("\\D+", ""));
      assertThat(first).isEqualTo((i.line() - 1) % 300 + 1);
    });
    ValidationReport inMemory = validate("nospill", sb.toString().strip(), b -> b.optNumClasses(1).optMaxErrors(0));
    assertThat(inMemory.issues()).isEqualTo(r.issues());
  }
}
