package io.imgclass.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/**
 * Black-box tests of {@code imgclass validate-manifest}: exit code, stdout and stderr together, for
 * each report format. The JSON and JUnit reports are compared with golden files (the manifest's
 * path replaced by MANIFEST); to regenerate them after an intended change, run this test with
 * {@code -Dimgclass.updateGolden=true} and review the diff.
 */
class ValidateManifestCommandTest {
  static final String GOOD = """
      {"source-ref": "s3://b/a.jpg", "class": [0, 2], "class-metadata": {"type": "groundtruth/image-classification-multilabel"}}
      {"source-ref": "s3://b/b.jpg", "class": "[1]"}
      {"source-ref": "s3://b/c.jpg", "class": [2]}
      """;
  static final String BAD = """
      {"source-ref": "s3://b/a.jpg", "class": [0, 2]}
      {"source-ref": "s3://b/b.jpg", "class": [1, 1]}
      {"source-ref": "s3://b/a.jpg", "class": [9]}
      {"source-ref": "s3://b/d.jpg", "class": [0],
      {"class": [0]}
      """;

  @TempDir Path dir;
  Path good;
  Path bad;

  @BeforeEach
  void write() throws IOException {
    good = dir.resolve("good.jsonl");
    bad = dir.resolve("bad.jsonl");
    Files.writeString(good, GOOD);
    Files.writeString(bad, BAD);
  }

  @Test
  void validManifestExitsZeroWithASummary() {
    CliRunner.Result r = CliRunner.run("validate-manifest", good.toString(), "--num-classes", "3");
    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains(
        "label format: class-id (auto-detected: class-id: only 0 of 3 lists are 0/1 vectors of length num_classes=3"
            + " from the first 3 labelled lines)\n",
        "lines: 3, valid: 3, errors: 0, warnings: 0, string-form labels: 1\n",
        "class histogram (3 classes): 0=1 1=1 2=2\n",
        "classes with no examples: none\n");
    assertThat(r.out()).endsWith("result: VALID\n");
  }

  @Test
  void problemsExitOneAndAreListedWithLineAndColumn() {
    CliRunner.Result r = CliRunner.run("validate-manifest", bad.toString(), "--num-classes", "3",
        "--label-format", "class-id");
    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).startsWith(
        bad + ": warning [class-without-examples] class 1 has no examples\n"
            + bad + ":2: error [class-id-duplicate] class id 1 appears at positions 0 and 1\n"
            + bad + ":3: error [class-id-out-of-range] class id 9 at position 0 is outside [0, 3)\n"
            + bad + ":3: warning [duplicate-ref] same image ref as line 1\n"
            + bad + ":4:45: error [invalid-json] Unexpected end-of-input within/between Object entries\n"
            + bad + ":5: error [missing-attribute] no image attribute 'source-ref'\n"
            + "label format: class-id (given)\n"
            + "lines: 5, valid: 1, errors: 4, warnings: 2, string-form labels: 0\n"
            + "errors by rule: invalid-json=1, missing-attribute=1, class-id-duplicate=1, class-id-out-of-range=1\n"
            + "warnings by rule: duplicate-ref=1, class-without-examples=1\n");
    assertThat(r.out()).endsWith("result: INVALID (4 errors, 2 warnings)\n");
  }

  @Test
  void manyBlankLinesValidateInLinearTime() throws IOException {
    Path blanks = dir.resolve("blanks.jsonl");
    Files.writeString(blanks, GOOD + "\n".repeat(320_000) + "{\"source-ref\": \"s3://b/z.jpg\", \"class\": [1]}\n");
    long t0 = System.nanoTime();
    CliRunner.Result r = CliRunner.run("validate-manifest", blanks.toString(), "--num-classes", "3",
        "--max-errors", "2");
    double seconds = (System.nanoTime() - t0) / 1e9;
    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).startsWith(blanks + ":4: error [blank-line] empty line (JSON Lines needs one object per line)\n"
        + blanks + ":5: error [blank-line] empty line (JSON Lines needs one object per line)\n");
    assertThat(r.out()).contains("lines: 320004, valid: 4, errors: 320000, warnings: 0",
        "errors by rule: blank-line=320000\n", "class histogram (3 classes): 0=1 1=2 2=2\n");
    // Generous: it takes about a second; the quadratic scan took 67 s on the 2-core build machine.
    assertThat(seconds).isLessThan(30);
  }

  @Test
  void maxErrorsSaysHowManyWereNotListed() {
    CliRunner.Result r = CliRunner.run("validate-manifest", bad.toString(), "--num-classes", "3",
        "--label-format", "class-id", "--max-errors", "1");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).isEmpty();
    assertThat(r.out()).contains("... 3 more errors and 1 more warnings not listed (--max-errors 1; 0 lists all)\n");
    assertThat(r.out().lines().filter(l -> l.contains(": error ["))).hasSize(1);
  }

  @Test
  void strictFailsOnWarnings() throws IOException {
    Files.writeString(good, GOOD + "{\"source-ref\": \"s3://b/a.jpg\", \"class\": [1]}\n");
    CliRunner.Result lenient = CliRunner.run("validate-manifest", good.toString(), "--num-classes", "3");
    assertThat(lenient.exitCode()).isZero();
    assertThat(lenient.out()).endsWith("result: VALID (with 1 warnings)\n");
    CliRunner.Result strict = CliRunner.run("validate-manifest", good.toString(), "--num-classes", "3", "--strict");
    assertThat(strict.exitCode()).isEqualTo(1);
    assertThat(strict.err()).isEmpty();
    assertThat(strict.out()).endsWith("result: INVALID (0 errors, 1 warnings; --strict: warnings count)\n");
  }

  @Test
  void jsonReportMatchesItsGoldenFile() throws IOException {
    CliRunner.Result r = CliRunner.run("validate-manifest", bad.toString(), "--num-classes", "3",
        "--label-format", "class-id", "--format", "json");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).isEmpty();
    JsonNode root = new ObjectMapper().readTree(r.out());
    assertThat(root.get("schema").asText()).isEqualTo("imgclass/validate-manifest/v1");
    assertThat(root.get("valid").asBoolean()).isFalse();
    assertThat(root.get("rules")).hasSize(25);
    assertGolden("report.json", r.out());
  }

  @Test
  void junitReportIsWellFormedAndMatchesItsGoldenFile() throws Exception {
    CliRunner.Result r = CliRunner.run("validate-manifest", bad.toString(), "--num-classes", "3",
        "--label-format", "class-id", "--format", "junit");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).isEmpty();
    Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(r.out().getBytes(StandardCharsets.UTF_8)));
    assertThat(doc.getElementsByTagName("testcase").getLength()).isEqualTo(25);
    assertThat(doc.getElementsByTagName("failure").getLength()).isEqualTo(4);
    assertThat(doc.getDocumentElement().getAttribute("failures")).isEqualTo("4");
    assertGolden("report.xml", r.out());
  }

  @Test
  void validJunitReportHasNoFailures() {
    CliRunner.Result r = CliRunner.run("validate-manifest", good.toString(), "--num-classes", "3", "--format", "junit");
    assertThat(r.exitCode()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out()).contains("failures=\"0\"").doesNotContain("<failure");
  }

  @Test
  void usageErrorsExitTwoWithOneLineOnStderr() {
    String[][] cases = {
      {"validate-manifest"},
      {"validate-manifest", "M", "--label-format", "multihot"},
      {"validate-manifest", "M", "--check-images"},
      {"validate-manifest", "M", "--image-shape", "3,224,224"},
      {"validate-manifest", "M", "--max-errors", "-1"},
      {"validate-manifest", "M", "--format", "xml"},
      {"validate-manifest", "M", "--attribute-names", "class,source-ref"},
      {"validate-manifest", "M", "--num-classes", "0"},
      {"validate-manifest", "M", "--s3-prefix-map", "bucket=/tmp"},
    };
    String[] expected = {
      "Missing required parameter: 'MANIFEST'",
      "--label-format: unknown label format 'multihot' (expected single, multi-hot or class-id or auto)",
      "--check-images needs --image-root or --s3-prefix-map to find the images",
      "--image-shape is only used with --check-images",
      "--max-errors must be 0 (list all) or more, got -1",
      "Invalid value for option '--format'",
      "the first attribute name must be the image reference and end in '-ref'",
      "--num-classes must be at least 1, got 0",
      "--s3-prefix-map wants s3://bucket/prefix=DIR, got 'bucket=/tmp'",
    };
    for (int i = 0; i < cases.length; i++) {
      String[] args = cases[i].clone();
      if (args.length > 1) {
        args[1] = good.toString();
      }
      CliRunner.Result r = CliRunner.run(args);
      assertThat(r.exitCode()).as(String.join(" ", args)).isEqualTo(2);
      assertThat(r.out()).as(String.join(" ", args)).isEmpty();
      assertThat(r.err().lines().findFirst().orElse("")).as(String.join(" ", args))
          .startsWith("imgclass validate-manifest: ").contains(expected[i]);
    }
  }

  @Test
  void checkImagesDecodesAndComparesWithTheImageShape() throws IOException {
    Path images = Files.createDirectories(dir.resolve("imgs"));
    javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(32, 24, java.awt.image.BufferedImage.TYPE_INT_RGB),
        "png", images.resolve("a.png").toFile());
    javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(8, 8, java.awt.image.BufferedImage.TYPE_INT_RGB),
        "jpeg", images.resolve("b.jpg").toFile());
    Files.writeString(good, "{\"source-ref\": \"s3://b/imgs/a.png\", \"class\": 0}\n"
        + "{\"source-ref\": \"s3://b/imgs/b.jpg\", \"class\": 1}\n");
    String map = "s3://b/=" + dir;
    CliRunner.Result ok = CliRunner.run("validate-manifest", good.toString(), "--num-classes", "2",
        "--s3-prefix-map", map, "--check-images");
    assertThat(ok.err()).isEmpty();
    assertThat(ok.exitCode()).isZero();
    assertThat(ok.out()).contains("images: 2 checked, 2 decoded, 0 undecodable, 0 too small; sizes 8x8 to 32x24 (WxH);"
        + " formats {jpeg=1, png=1}\n");
    CliRunner.Result small = CliRunner.run("validate-manifest", good.toString(), "--num-classes", "2",
        "--s3-prefix-map", map, "--check-images", "--image-shape", "3,16,16");
    assertThat(small.err()).isEmpty();
    assertThat(small.exitCode()).isEqualTo(1);
    assertThat(small.out()).startsWith(good + ":2: error [image-too-small] image 8x8 (WxH) is smaller than"
        + " --image-shape 3,16,16 (16x16)\n");
  }

  @Test
  void missingManifestIsAFailureNotAUsageError() {
    Path nope = dir.resolve("nope.jsonl");
    CliRunner.Result r = CliRunner.run("validate-manifest", nope.toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("imgclass validate-manifest: no such file: " + nope + "\n");
  }

  @Test
  void rootHelpListsTheCommand() {
    CliRunner.Result r = CliRunner.run("--help");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("validate-manifest");
  }

  private void assertGolden(String name, String actual) throws IOException {
    String normalised = actual.replace(bad.toString(), "MANIFEST");
    if (Boolean.getBoolean("imgclass.updateGolden")) {
      Path target = Path.of("src/test/resources/io/imgclass/cli/validate-manifest", name);
      Files.writeString(target, normalised);
    }
    try (InputStream in = getClass().getResourceAsStream("validate-manifest/" + name)) {
      assertThat(in).as("golden file " + name + " (generate with -Dimgclass.updateGolden=true)").isNotNull();
      assertThat(normalised).isEqualTo(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }
}
