package io.imgclass.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgclass.recordio.ImageRecordHeader;
import io.imgclass.recordio.RecordIOWriter;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Numbers and text that cannot be trusted: labels a float32 header cannot hold as meant, negative
 * indexes, a UTF-8 byte-order mark, bytes that are not UTF-8, empty lists. Each is a one-line error
 * naming the file and line (or record and byte offset), exit 1; stdout, stderr and exit code are
 * checked together.
 */
class UntrustedInputTest {
  @TempDir Path dir;
  Path root;

  @BeforeEach
  void image() throws Exception {
    root = Files.createDirectories(dir.resolve("root"));
    ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "png", root.resolve("a.png").toFile());
  }

  private CliRunner.Result pack(String name, byte[] lst, String... more) throws Exception {
    Path f = dir.resolve(name);
    Files.write(f, lst);
    String[] args = new String[3 + more.length];
    args[0] = "pack-recordio";
    args[1] = f.toString();
    args[2] = root.toString();
    System.arraycopy(more, 0, args, 3, more.length);
    return CliRunner.run(args);
  }

  private void refused(String lst, String message, String... more) throws Exception {
    Path f = dir.resolve("l.lst");
    CliRunner.Result r = pack("l.lst", lst.getBytes(StandardCharsets.UTF_8), more);
    assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("imgclass pack-recordio: " + f + message + "\n");
    assertThat(dir.resolve("l.rec")).doesNotExist();
  }

  @Test
  void packRecordioRefusesLabelsAFloat32HeaderCannotHoldAsMeant() throws Exception {
    refused("0\t0\ta.png\n1\tnan\ta.png\n", ":2: label NaN is not a number");
    refused("0\tinf\ta.png\n", ":1: label inf is infinite");
    refused("0\t-1\ta.png\n", ":1: label -1 is negative");
    refused("0\t1.5\ta.png\n", ":1: label 1.5 is not a whole number (a single label is a class id)");
    refused("0\t1e30\ta.png\n", ":1: label 1.0E30 is above 2^24 = 16777216, beyond which float32 (the RecordIO"
        + " header's type) cannot hold every whole number");
    refused("0\t16777217\ta.png\n", ":1: label 16777217 is above 2^24 = 16777216, beyond which float32 (the RecordIO"
        + " header's type) cannot hold every whole number");
    refused("0\t0\ta.png\n\n-4\t1\ta.png\n", ":3: index -4 is negative (RecordIO ids are unsigned: it would be stored"
        + " as 18446744073709551612)");
    refused("0\t0\t1\ta.png\n1\t0.5\t-0.5\ta.png\n", ":2: label -0.5 is negative (label 2 of 2)", "--pack-label");
    // Fractions are fine for --pack-label label vectors; 2^24 itself is exact.
    CliRunner.Result ok = pack("ok.lst", "0\t0.5\t1\ta.png\n1\t16777216\t0\ta.png\n".getBytes(StandardCharsets.UTF_8),
        "--pack-label");
    assertThat(ok.exitCode()).as(ok.err()).isZero();
  }

  @Test
  void byteOrderMarkAndLatin1AreNamedWithTheirLine() throws Exception {
    byte[] bom = "\uFEFF0\t0\ta.png\n".getBytes(StandardCharsets.UTF_8);
    CliRunner.Result r = pack("bom.lst", bom);
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("imgclass pack-recordio: " + dir.resolve("bom.lst") + ":1: the file starts with a UTF-8"
        + " byte-order mark (bytes EF BB BF), which is not part of the format; save it without"
        + " (e.g. sed -i '1s/^\\xEF\\xBB\\xBF//' FILE)\n");
    byte[] latin1 = "0\t0\ta.png\n1\t0\tcaf\u00e9.png\n".getBytes(StandardCharsets.ISO_8859_1);
    r = pack("latin1.lst", latin1);
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("imgclass pack-recordio: " + dir.resolve("latin1.lst") + ":2:8: byte 0xE9 (at byte"
        + " offset 17) is not valid UTF-8; the file must be UTF-8 (a single byte from 0x80 up usually means Latin-1 or"
        + " Windows-1252: convert it, e.g. iconv -f latin1 -t utf-8)\n");
    assertThat(r.err()).doesNotContain("Input length");
  }

  @Test
  void manifestsNameTheByteOrderMarkAndTheByteThatIsNotUtf8() throws Exception {
    Path m = dir.resolve("m.jsonl");
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write("\uFEFF{\"source-ref\":\"s3://b/a.png\",\"class\":0}\n".getBytes(StandardCharsets.UTF_8));
    b.write("{\"source-ref\":\"s3://b/caf\u00e9.png\",\"class\":0}\n".getBytes(StandardCharsets.ISO_8859_1));
    Files.write(m, b.toByteArray());
    CliRunner.Result r = CliRunner.run("validate-manifest", m.toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).isEmpty();
    assertThat(r.out()).startsWith(m + ":1:1: error [invalid-json] the file starts with a UTF-8 byte-order mark (bytes EF"
        + " BB BF); JSON Lines files must not have one\n"
        + m + ":2:26: error [invalid-json] byte 0xE9 is not valid UTF-8; the file must be UTF-8 (a single byte from 0x80"
        + " up usually means Latin-1 or Windows-1252)\n");
  }

  @Test
  void anEmptyListIsAnErrorUnlessAllowed() throws Exception {
    CliRunner.Result r = pack("empty.lst", new byte[0]);
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("imgclass pack-recordio: " + dir.resolve("empty.lst") + ": the list has no entries,"
        + " nothing to pack; no .rec was written. Pass --allow-empty to write an empty .rec and .idx\n");
    assertThat(dir.resolve("empty.rec")).doesNotExist();
    r = pack("empty.lst", "\n\n".getBytes(StandardCharsets.UTF_8), "--allow-empty");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("empty.lst -> empty.rec: 0 records, 0 bad");
    assertThat(dir.resolve("empty.rec")).exists().isEmptyFile();
  }

  @Test
  void makeLstOverNoImagesIsAnErrorUnlessAllowed() throws Exception {
    Path none = Files.createDirectories(dir.resolve("none"));
    Files.writeString(none.resolve("notes.txt"), "not an image");
    Path prefix = dir.resolve("p");
    CliRunner.Result r = CliRunner.run("make-lst", prefix.toString(), none.toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("imgclass make-lst: " + none + ": no images to list (extensions .jpeg .jpg .png;"
        + " without --recursive only files directly in ROOT are listed); nothing was written. Pass --allow-empty to"
        + " write empty lists\n");
    assertThat(dir.resolve("p.lst")).doesNotExist();
    r = CliRunner.run("make-lst", "--allow-empty", prefix.toString(), none.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("0 images listed");
    assertThat(dir.resolve("p.lst")).exists().isEmptyFile();
  }

  @Test
  void inspectVerifyFlagsUntrustedLabelsWithRecordAndOffset() throws Exception {
    Path rec = dir.resolve("labels.rec");
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB), "png", png);
    byte[] img = png.toByteArray();
    long[] at = new long[7];
    try (RecordIOWriter w = RecordIOWriter.create(rec, dir.resolve("labels.idx"))) {
      at[0] = w.write(0, ImageRecordHeader.single(1, 0).encode(img));
      at[1] = w.write(1, ImageRecordHeader.single(Float.NaN, 1).encode(img));
      at[2] = w.write(2, ImageRecordHeader.single(-2, 2).encode(img));
      at[3] = w.write(3, ImageRecordHeader.single(2.5f, 3).encode(img));
      at[4] = w.write(4, ImageRecordHeader.single(1e30f, 4).encode(img));
      at[5] = w.write(5, ImageRecordHeader.multi(new float[] {0, Float.POSITIVE_INFINITY}, 5).encode(img));
      at[6] = w.write(6, ImageRecordHeader.single(0, -6).encode(img));
    }
    CliRunner.Result plain = CliRunner.run("inspect", rec.toString());
    assertThat(plain.exitCode()).isZero();
    assertThat(plain.out()).contains("result    OK (findings, not checked without --verify: ");
    CliRunner.Result r = CliRunner.run("inspect", "--verify", rec.toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("imgclass inspect: " + rec + ": 6 records with a label or id that cannot be trusted"
        + " (first: record 2 at byte " + at[1] + ": label NaN is not a number)\n");
    assertThat(r.out()).contains("result    FAILED\n");
  }

  private static byte[] jpeg(int w, int h) throws Exception {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    java.util.Random rnd = new java.util.Random(9);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.setRGB(x, y, rnd.nextInt(0x1000000));
      }
    }
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    ImageIO.write(img, "jpeg", b);
    return b.toByteArray();
  }

  @Test
  void aTruncatedJpegIsABadImageInPackRecordioAndAWarningInPredict() throws Exception {
    byte[] full = jpeg(40, 40);
    byte[] cut = java.util.Arrays.copyOf(full, full.length * 9 / 10);
    Files.write(root.resolve("cut.jpg"), cut);
    Files.write(root.resolve("full.jpg"), full);
    String reason = "truncated JPEG: the data stops at byte " + cut.length + " before the end-of-image marker (FF D9),"
        + " so part of the image would be grey";
    CliRunner.Result r = pack("t.lst", "0\t0\tfull.jpg\n1\t1\tcut.jpg\n".getBytes(StandardCharsets.UTF_8));
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("imgclass pack-recordio: " + dir.resolve("t.lst") + ": 1 of 2 images could not be"
        + " packed (listed in " + dir.resolve("t.bad.tsv") + "); t.rec was not written. Fix or remove them, or allow"
        + " them with --max-bad 1\n");
    assertThat(Files.readString(dir.resolve("t.bad.tsv"))).isEqualTo("path\treason\ncut.jpg\t" + reason + "\n");
    r = pack("t.lst", "0\t0\tfull.jpg\n1\t1\tcut.jpg\n".getBytes(StandardCharsets.UTF_8), "--max-bad", "1");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("t.lst -> t.rec: 1 records, 1 bad (see t.bad.tsv)");

    Path model = TestModels.calibrated(dir, new io.imgclass.core.model.ImageShape(3, 28, 28), 2, 5);
    CliRunner.Result p = CliRunner.run("predict", "--model", model.toString(), root.resolve("full.jpg").toString(),
        root.resolve("cut.jpg").toString());
    assertThat(p.exitCode()).as(p.err()).isZero();
    assertThat(p.out().lines()).hasSize(2);
    assertThat(p.err()).isEqualTo("warning: " + root.resolve("cut.jpg") + ": " + reason
        + "; predicted from the part that decoded\n");
  }

  @Test
  void evaluateOnAnEmptyRecSaysSoWithoutTrainingWords() throws Exception {
    Path rec = Files.createFile(dir.resolve("empty.rec"));
    Path model = TestModels.calibrated(dir, new io.imgclass.core.model.ImageShape(3, 28, 28), 2, 5);
    CliRunner.Result r = CliRunner.run("evaluate", "--model", model.toString(), rec.toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("imgclass evaluate: " + rec + ": empty .rec file (0 bytes): no records\n");
    CliRunner.Result d = CliRunner.run("evaluate", "--model", model.toString(), root.toString());
    assertThat(d.exitCode()).isNotZero();
    assertThat(d.err()).doesNotContain("no such");
  }

  @Test
  void trainIntoAnotherRunsFolderIsAUsageErrorUnlessOverwrite() throws Exception {
    Path out = Files.createDirectories(dir.resolve("run"));
    Files.writeString(out.resolve("model.tar.gz"), "an earlier run's");
    Files.writeString(out.resolve("image-classification-0002.params"), "an earlier run's");
    Path rec = Files.createFile(dir.resolve("train.rec"));
    CliRunner.Result r = CliRunner.run("train", "--train", rec.toString(), "-o", out.toString(), "--num-classes", "2",
        "--num-training-samples", "2", "--num-layers", "18", "--image-shape", "3,32,32");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("imgclass train: -o " + out + " holds another run's artifacts"
        + " (image-classification-0002.params, model.tar.gz); its checkpoints would mix with this run's. Choose another"
        + " folder, add --overwrite to remove them first, or continue that run with --resume " + out + "\n");
    // With --overwrite they go first; the (empty) training data then fails on its own.
    r = CliRunner.run("train", "--train", rec.toString(), "-o", out.toString(), "--num-classes", "2",
        "--num-training-samples", "2", "--num-layers", "18", "--image-shape", "3,32,32", "--overwrite");
    assertThat(r.out()).startsWith("--overwrite: removed 2 artifact(s) of an earlier run from " + out + "\n");
    assertThat(r.err()).isEqualTo("imgclass train: " + rec + ": empty .rec file (0 bytes): no records\n");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(out.resolve("model.tar.gz")).doesNotExist();
  }

  @Test
  void aLabelOutsideNumClassesDuringTrainingNamesTheListLine() throws Exception {
    ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "png", root.resolve("b.png").toFile());
    Path lst = dir.resolve("train.lst");
    Files.writeString(lst, "0\t0\ta.png\n\n1\t5\tb.png\n");
    CliRunner.Result r = CliRunner.run("train", "--train", root.toString(), "--train-lst", lst.toString(),
        "--resize", "8", "-o", dir.resolve("out").toString(), "--num-classes", "2", "--num-training-samples", "2",
        "--mini-batch-size", "2", "--epochs", "1", "--num-layers", "20", "--image-shape", "3,8,8");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("imgclass train: " + lst + ":3 (" + root.resolve("b.png") + "): label 5.0 is outside"
        + " [0, num_classes=2) or not a whole number (batch 0 of the epoch)\n");
  }
}
