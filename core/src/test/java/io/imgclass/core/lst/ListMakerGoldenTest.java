package io.imgclass.core.lst;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * make-lst must equal im2rec.py --list byte for byte. The golden files were produced by {@code
 * im2rec_list_golden.py} (beside them in test resources: a re-implementation of im2rec's list code
 * run on Debian's CPython 3.11) from the tree in {@code tree.txt}.
 */
class ListMakerGoldenTest {
  @TempDir Path tmp;

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("recursive", true, 1, 1.0, 0.0, true, 100L),
        Arguments.of("flat", false, 1, 1.0, 0.0, true, 100L),
        Arguments.of("noshuffle", true, 1, 1.0, 0.0, false, 100L),
        Arguments.of("split", true, 3, 0.6, 0.2, true, 100L),
        Arguments.of("trainval", true, 1, 0.7, 0.0, true, 100L),
        Arguments.of("seed7", true, 1, 1.0, 0.0, true, 7L));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void equalsIm2recByteForByte(
      String name, boolean recursive, int chunks, double train, double test, boolean shuffle, long seed)
      throws IOException {
    Path root = makeTree(tmp.resolve("root"));
    Path out = Files.createDirectories(tmp.resolve("out"));
    MakeListResult r =
        new ListMaker(
                new MakeListConfig(out.resolve("p"), root, recursive, MakeListConfig.DEFAULT_EXTS,
                    chunks, train, test, shuffle, seed, null))
            .run();
    List<String> expectedNames = goldenNames(name);
    List<String> actualNames = new ArrayList<>();
    try (Stream<Path> s = Files.list(out)) {
      s.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".lst"))
          .sorted()
          .forEach(n -> actualNames.add(n.substring(1)));
    }
    assertThat(actualNames).containsExactlyElementsOf(expectedNames);
    for (String suffix : expectedNames) {
      byte[] expected = resource("golden-" + name + suffix);
      assertThat(new String(Files.readAllBytes(out.resolve("p" + suffix)), StandardCharsets.UTF_8))
          .as(suffix)
          .isEqualTo(new String(expected, StandardCharsets.UTF_8));
    }
    assertThat(r.files()).hasSize(expectedNames.size());
    assertThat(Files.exists(out.resolve("p-classes.json"))).isTrue();
  }

  static Path makeTree(Path root) throws IOException {
    String tree = new String(resource("tree.txt"), StandardCharsets.UTF_8);
    for (String line : tree.split("\n")) {
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      Path p = root.resolve(line);
      Files.createDirectories(p.getParent());
      Files.createFile(p);
    }
    return root;
  }

  private static List<String> goldenNames(String name) {
    List<String> all = List.of(
        "golden-flat.lst", "golden-noshuffle.lst", "golden-recursive.lst", "golden-seed7.lst",
        "golden-split_0_test.lst", "golden-split_0_train.lst", "golden-split_0_val.lst",
        "golden-split_1_test.lst", "golden-split_1_train.lst", "golden-split_1_val.lst",
        "golden-split_2_test.lst", "golden-split_2_train.lst", "golden-split_2_val.lst",
        "golden-trainval_train.lst", "golden-trainval_val.lst");
    List<String> out = new ArrayList<>();
    for (String g : all) {
      String rest = g.substring("golden-".length());
      if (rest.startsWith(name + ".") || rest.startsWith(name + "_")) {
        out.add(rest.substring(name.length()));
      }
    }
    out.sort(null);
    return out;
  }

  static byte[] resource(String name) throws IOException {
    try (InputStream in = ListMakerGoldenTest.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException("missing test resource " + name);
      }
      return in.readAllBytes();
    }
  }
}
