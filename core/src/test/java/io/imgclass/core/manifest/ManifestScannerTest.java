package io.imgclass.core.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fast path (one parser over many lines) must describe every line exactly as the per-line
 * parser does; random mixes of good and broken lines, several buffer sizes.
 */
class ManifestScannerTest {
  static final String[] PIECES = {
    "{\"source-ref\":\"s3://b/a.jpg\",\"class\":1}",
    "{\"source-ref\": \"s3://b/\\u00e9t\\u00e9.jpg\", \"class\": [1, 0, 1], \"class-metadata\": {\"x\": [1, {\"y\": null}]}}",
    "{\"class\":\"[0, 2]\",\"source-ref\":\"s3://b/c.jpg\"}",
    "{\"source-ref\":\"s3://b/é.jpg\",\"class\":2.0}   ",
    "{\"source-ref\":\"s3://b/a.jpg\",\"class\":1}\r",
    "",
    "   ",
    "\t\r",
    "[1, 2]",
    "\"just a string\"",
    "42",
    "{\"source-ref\":\"s3://b/a.jpg\",\"class\":1} {\"a\":1}",
    "{\"source-ref\":\"s3://b/a.jpg\",\"class\":1}{}",
    "{\"source-ref\":\"s3://b/a.jpg\",\"class\":1",
    "{\"source-ref\":\"s3://b/a.jpg\",",
    "\"class\":1}",
    "{\"source-ref\":\"s3://b/a.jpg\" \"class\":1}",
    "{\"source-ref\":\"unterminated",
    "{\"source-ref\":1,\"class\":{}}",
    "{\"source-ref\":\"s3://b/a.jpg\",\"source-ref\":\"s3://b/b.jpg\",\"class\":[1,\"x\",[2]]}",
    "{\"class\":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20],\"source-ref\":\"s3://b/long.jpg\"}",
    "{\"source-ref\":\"s3://b/a.jpg\",\"class\":1e400}",
    "{\"source-ref\":\"s3://b/a.jpg\",\"class\":-0}",
    "{\"source-ref\":\"s3://b/a.jpg\",\"class\":01}",
    "{\"source-ref\":\"s3://b/a.jpg\",\"class\":tru}",
    "{\"a\":\"\\q\"}",
    "}",
    "{\"source-ref\":\"s3://b/a.jpg\",\r\"class\":1}",
    "{\"source-ref\":\"s3://b/a.jpg\"\r,\"class\":1}",
    "\uFEFF{\"source-ref\":\"s3://b/bom.jpg\",\"class\":1}",
  };

  static List<String> describe(byte[] data, boolean fast, int buffer) throws IOException {
    List<String> out = new ArrayList<>();
    try (ManifestScanner s = new ManifestScanner(ManifestScanner.sharedFactory(), new ByteArrayInputStream(data),
        null, Attributes.DEFAULT, buffer)) {
      if (!fast) {
        s.disableFastPath();
      }
      while (s.next()) {
        StringBuilder b = new StringBuilder().append(s.lineNumber).append(' ').append(s.byteOffset).append(' ').append(s.kind);
        switch (s.kind) {
          case INVALID_JSON -> b.append(' ').append(s.jsonColumn).append(' ').append(s.jsonMessage);
          case NOT_AN_OBJECT -> b.append(' ').append(s.notObjectType);
          case OBJECT -> {
            b.append(" image=").append(s.image);
            if (s.image == ManifestScanner.Attr.PRESENT) {
              b.append(' ').append(s.refString());
            } else if (s.image == ManifestScanner.Attr.WRONG_TYPE) {
              b.append(' ').append(s.imageType);
            }
            b.append(" label=").append(s.label);
            switch (s.label) {
              case PRESENT -> b.append(' ').append(s.labelValue);
              case STRING -> b.append(' ').append(s.labelString);
              case WRONG_TYPE -> b.append(' ').append(s.labelType);
              default -> { }
            }
          }
          default -> { }
        }
        b.append(" | ").append(s.lineText());
        out.add(b.toString());
      }
    }
    return out;
  }

  @ParameterizedTest(name = "buffer {0}")
  @ValueSource(ints = {16, 100, 4096, 4 << 20})
  void fastPathAgreesWithPerLineParsing(int buffer) throws IOException {
    SplittableRandom rnd = new SplittableRandom(20261128L);
    for (int round = 0; round < 30; round++) {
      StringBuilder sb = new StringBuilder();
      int n = 1 + rnd.nextInt(200);
      for (int i = 0; i < n; i++) {
        // Mostly good lines, as in real manifests, so the fast path runs long stretches.
        String piece = rnd.nextInt(3) == 0 ? PIECES[rnd.nextInt(PIECES.length)] : PIECES[rnd.nextInt(4)];
        sb.append(piece);
        if (i < n - 1 || rnd.nextBoolean()) {
          sb.append('\n');
        }
      }
      byte[] data = sb.toString().getBytes(StandardCharsets.UTF_8);
      List<String> slow = describe(data, false, buffer);
      List<String> fast = describe(data, true, buffer);
      assertThat(fast).isEqualTo(slow);
    }
  }

  @Test
  void eachPieceAloneAgrees() throws IOException {
    for (String p : PIECES) {
      for (String text : new String[] {p, p + "\n", p + "\n" + PIECES[0] + "\n", PIECES[0] + "\n" + p}) {
        byte[] data = text.getBytes(StandardCharsets.UTF_8);
        assertThat(describe(data, true, 4096)).as(text).isEqualTo(describe(data, false, 4096));
      }
    }
  }

  @Test
  void blankLinesCostNoParsingSoTheScanIsLinear() throws IOException {
    // 320,000 blank lines (some with spaces, tabs or CR) between good lines: each blank line used to
    // send the fast path's parser over every following blank line (n^2/2: a minute for 320k).
    StringBuilder sb = new StringBuilder(PIECES[0]).append('\n');
    for (int i = 0; i < 320_000; i++) {
      sb.append(i % 4 == 0 ? " \t" : i % 4 == 1 ? "\r" : "").append('\n');
      if (i % 100_000 == 99_999) {
        sb.append(PIECES[0]).append('\n');
      }
    }
    sb.append(PIECES[3]).append('\n');
    byte[] data = sb.toString().getBytes(StandardCharsets.UTF_8);
    long t0 = System.nanoTime();
    int blank = 0;
    int objects = 0;
    try (ManifestScanner s = new ManifestScanner(ManifestScanner.sharedFactory(), new ByteArrayInputStream(data), null,
        Attributes.DEFAULT, 1 << 16)) {
      while (s.next()) {
        if (s.kind == ManifestScanner.Kind.BLANK) {
          blank++;
        } else {
          assertThat(s.kind).as("line " + s.lineNumber).isEqualTo(ManifestScanner.Kind.OBJECT);
          objects++;
        }
      }
      assertThat(s.lineNumber).isEqualTo(320_005);
      // Parsers are made per buffer refill and per object, never per blank line.
      assertThat(s.parsers).isLessThan(100);
    }
    assertThat(blank).isEqualTo(320_000);
    assertThat(objects).isEqualTo(5);
    // Generous: linear takes well under a second; the quadratic scan took over a minute.
    assertThat((System.nanoTime() - t0) / 1e9).isLessThan(20);
    // And the per-line results are what the per-line parser says.
    byte[] small = Arrays.copyOf(data, 20_000);
    assertThat(describe(small, true, 4096)).isEqualTo(describe(small, false, 4096));
  }

  @Test
  void goodLinesTakeTheFastPath() throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 1000; i++) {
      sb.append(PIECES[i % 4]).append('\n');
    }
    try (ManifestScanner s = new ManifestScanner(ManifestScanner.sharedFactory(),
        new ByteArrayInputStream(sb.toString().getBytes(StandardCharsets.UTF_8)), null, Attributes.DEFAULT, 1 << 16)) {
      while (s.next()) {
        assertThat(s.kind).isEqualTo(ManifestScanner.Kind.OBJECT);
      }
      assertThat(s.fastLines).isEqualTo(1000);
    }
  }

  /** Jackson reports the byte where it gave up: after the whole bad token "x}". */
  @Test
  void columnsAreOneBasedBytesWithinTheLine() throws IOException {
    byte[] data = (PIECES[0] + "\n{\"a\": x}\n").getBytes(StandardCharsets.UTF_8);
    List<String> lines = describe(data, true, 4096);
    assertThat(lines.get(1)).startsWith("2 40 INVALID_JSON 9 Unrecognized token 'x'");
  }
}
