package io.imgclass.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackRecordioCommandTest {
  @TempDir Path tmp;

  private Path images() throws Exception {
    Path root = tmp.resolve("img");
    for (int i = 0; i < 6; i++) {
      Path f = root.resolve((i % 2 == 0 ? "a" : "b") + "/" + i + ".jpg");
      Files.createDirectories(f.getParent());
      BufferedImage img = new BufferedImage(30 + i, 20, BufferedImage.TYPE_3BYTE_BGR);
      img.setRGB(1, 1, 0xff00ff * i);
      ImageIO.write(img, "jpeg", f.toFile());
    }
    return root;
  }

  @Test
  void packsEveryListOfThePrefix() throws Exception {
    Path root = images();
    CliRunner.Result l = CliRunner.run("make-lst", tmp.resolve("d").toString(), root.toString(), "--recursive", "--train-ratio", "0.5", "-q");
    assertThat(l.exitCode()).isZero();
    CliRunner.Result r = CliRunner.run("pack-recordio", tmp.resolve("d").toString(), root.toString(), "--resize", "16", "--num-thread", "2");
    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();
    assertThat(r.out().lines().toList()).hasSize(2);
    assertThat(r.out()).containsPattern("d_train.lst -> d_train.rec: 3 records, 0 bad, [0-9.]+ MB in [0-9.]+ s \\([0-9]+ img/s\\)\n");
    assertThat(r.out()).contains("d_val.lst -> d_val.rec: 3 records, 0 bad");
    assertThat(tmp.resolve("d_train.idx")).exists();
    assertThat(tmp.resolve("d_val.rec")).exists();
  }

  @Test
  void badImageFailsWithReportAndExit1() throws Exception {
    Path root = images();
    Files.writeString(root.resolve("a/0.jpg"), "garbage");
    Path lst = tmp.resolve("one.lst");
    Files.writeString(lst, "0\t0\ta/0.jpg\n1\t0\ta/2.jpg\n");
    CliRunner.Result r = CliRunner.run("pack-recordio", lst.toString(), root.toString(), "--quiet");
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("imgclass pack-recordio: " + lst + ": 1 of 2 images could not be packed (listed in "
        + tmp.resolve("one.bad.tsv") + "); one.rec was not written. Fix or remove them, or allow them with --max-bad 1\n");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(Files.readString(tmp.resolve("one.bad.tsv"))).isEqualTo("path\treason\na/0.jpg\tnot a recognised image format\n");
    CliRunner.Result ok = CliRunner.run("pack-recordio", lst.toString(), root.toString(), "--max-bad", "1");
    assertThat(ok.err()).isEmpty();
    assertThat(ok.out()).startsWith("one.lst -> one.rec: 1 records, 1 bad (see one.bad.tsv), ");
    assertThat(ok.exitCode()).isZero();
  }

  @Test
  void multiLabelWithoutPackLabelSaysHowToFixIt() throws Exception {
    Path root = images();
    Path lst = tmp.resolve("ml.lst");
    Files.writeString(lst, "0\t1\t0\ta/0.jpg\n");
    CliRunner.Result r = CliRunner.run("pack-recordio", lst.toString(), root.toString());
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("imgclass pack-recordio: " + lst + ":1: 2 labels on a line; without --pack-label only the"
        + " first would be stored (im2rec drops the rest silently). Add --pack-label to store all of them\n");
    assertThat(r.exitCode()).isEqualTo(2);
  }

  @Test
  void noListForPrefixAndBadEncodingAreReported() throws Exception {
    Path root = images();
    CliRunner.Result r = CliRunner.run("pack-recordio", tmp.resolve("zzz").toString(), root.toString());
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("imgclass pack-recordio: " + tmp.resolve("zzz") + ": no .lst file found (looked for "
        + tmp.resolve("zzz") + "*.lst); run make-lst first\n");
    assertThat(r.exitCode()).isEqualTo(1);
    CliRunner.Result e = CliRunner.run("pack-recordio", tmp.resolve("zzz").toString(), root.toString(), "--encoding", ".gif");
    assertThat(e.out()).isEmpty();
    assertThat(e.err()).startsWith("imgclass pack-recordio: --encoding must be .jpg or .png, got .gif\n");
    assertThat(e.exitCode()).isEqualTo(2);
  }

  @Test
  void scaledDecodeWithoutResizeIsAUsageError() throws Exception {
    Path root = images();
    Path lst = tmp.resolve("one.lst");
    Files.writeString(lst, "0\t0\ta/0.jpg\n");
    CliRunner.Result r = CliRunner.run("pack-recordio", lst.toString(), root.toString(), "--scaled-decode");
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("imgclass pack-recordio: --scaled-decode needs --resize N (and no --pass-through):"
        + " it only changes how images are shrunk\n");
    assertThat(r.exitCode()).isEqualTo(2);
    CliRunner.Result ok = CliRunner.run("pack-recordio", lst.toString(), root.toString(), "--scaled-decode", "--resize", "8", "-q");
    assertThat(ok.err()).isEmpty();
    assertThat(ok.out()).isEmpty();
    assertThat(ok.exitCode()).isZero();
  }

  /** What the full root prints for these arguments (the pack-only root must print the same). */
  private static CliRunner.Result fullRoot(String... args) {
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    java.io.PrintWriter o = new java.io.PrintWriter(out);
    java.io.PrintWriter e = new java.io.PrintWriter(err);
    int code = Imgclass.newCommandLine(o, e).execute(args);
    o.flush();
    e.flush();
    return new CliRunner.Result(code, out.toString(), err.toString());
  }

  @Test
  void packOnlyRootPrintsWhatTheFullRootPrints() {
    assertThat(Imgclass.packOnly(new String[] {"pack-recordio", "x"})).isTrue();
    assertThat(Imgclass.packOnly(new String[] {"--stacktrace", "pack-recordio"})).isTrue();
    assertThat(Imgclass.packOnly(new String[] {"--help", "pack-recordio"})).isFalse();
    assertThat(Imgclass.packOnly(new String[] {"make-lst", "pack-recordio"})).isFalse();
    String[][] cases = {
      {"pack-recordio", "--help"},
      {"pack-recordio", "--frobnicate"},
      {"pack-recordio", "--num-thread", "zero"},
      {"--stacktrace", "pack-recordio", "--help"},
      {"pack-recordio", tmp.resolve("none").toString(), tmp.toString(), "--num-thread", "0"},
    };
    for (String[] args : cases) {
      CliRunner.Result fast = CliRunner.run(args);
      CliRunner.Result full = fullRoot(args);
      assertThat(fast).as(String.join(" ", args)).isEqualTo(full);
      assertThat(fast.out() + fast.err()).as(String.join(" ", args)).isNotEmpty();
    }
  }
}
