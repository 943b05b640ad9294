package io.imgclass.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MakeLstCommandTest {
  @TempDir Path tmp;

  private Path tree() throws Exception {
    Path root = tmp.resolve("root");
    for (String f : new String[] {"cat/1.jpg", "cat/2.jpg", "cat/3.png", "dog/1.jpg", "dog/x.txt", "top.jpg"}) {
      Files.createDirectories(root.resolve(f).getParent());
      Files.createFile(root.resolve(f));
    }
    return root;
  }

  @Test
  void recursiveWithSplitsPrintsSummaryAndClassMap() throws Exception {
    Path root = tree();
    Path prefix = tmp.resolve("out/p");
    Files.createDirectories(prefix.getParent());
    CliRunner.Result r = CliRunner.run("make-lst", prefix.toString(), root.toString(), "--recursive", "--train-ratio", "0.5", "--no-shuffle");
    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).isEqualTo(
        "wrote " + prefix + "_val.lst (3 images)\n"
            + "wrote " + prefix + "_train.lst (2 images)\n"
            + "wrote " + prefix + "-classes.json (3 classes)\n"
            + "label   images      val    train  class\n"
            + "    0        1        0        1  .\n"
            + "    1        3        2        1  cat\n"
            + "    2        1        1        0  dog\n"
            + "5 images listed\n");
    assertThat(Files.readString(Path.of(prefix + "_train.lst")))
        .isEqualTo("0\t0.000000\ttop.jpg\n1\t1.000000\tcat/1.jpg\n");
    assertThat(Files.readString(Path.of(prefix + "-classes.json"))).contains("\"name\" : \"cat\"");
  }

  @Test
  void labelsCsvWritesMultiHotAndCountsMissingRows() throws Exception {
    Path root = tree();
    Path csv = tmp.resolve("labels.csv");
    Files.writeString(csv, "path,tags\ncat/1.jpg,furry;small\ndog/1.jpg,furry\nghost.jpg,small\n");
    CliRunner.Result r = CliRunner.run("make-lst", tmp.resolve("m").toString(), root.toString(), "--recursive", "--no-shuffle", "--labels-csv", csv.toString(), "-q");
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo(
        "make-lst: 3 image(s) under " + root + " have no row in " + csv + " and were not listed\n"
            + "make-lst: 1 row(s) of " + csv + " name images not found under " + root + ", e.g. ghost.jpg\n");
    assertThat(r.exitCode()).isZero();
    assertThat(Files.readString(tmp.resolve("m.lst")))
        .isEqualTo("0\t1.000000\t1.000000\tcat/1.jpg\n1\t1.000000\t0.000000\tdog/1.jpg\n");
  }

  @Test
  void badRatioIsAUsageError() throws Exception {
    Path root = tree();
    CliRunner.Result r = CliRunner.run("make-lst", tmp.resolve("p").toString(), root.toString(), "--train-ratio", "0.8", "--test-ratio", "0.3");
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("imgclass make-lst: --train-ratio + --test-ratio must not exceed 1, got 0.8 + 0.3\n");
    assertThat(r.exitCode()).isEqualTo(2);
  }

  @Test
  void missingRootIsAFailure() {
    CliRunner.Result r = CliRunner.run("make-lst", tmp.resolve("p").toString(), tmp.resolve("nope").toString());
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("imgclass make-lst: " + tmp.resolve("nope") + ": not a directory\n");
    assertThat(r.exitCode()).isEqualTo(1);
  }
}
