package io.imgclass.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgclass.core.model.ImageShape;
import java.awt.image.BufferedImage;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Only regular files are read as images: a FIFO (which would block the reader forever), a link to
 * {@code /dev/zero} (which never ends), a socket and a directory listed as images are bad images with
 * their reason, in every command that reads images. A hang fails the test by its timeout.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SpecialFilesTest {
  @TempDir Path dir;
  Path root;
  Path lst;
  ServerSocketChannel socket;

  @BeforeEach
  void specialFiles() throws Exception {
    root = Files.createDirectories(dir.resolve("root"));
    BufferedImage b = new BufferedImage(20, 20, BufferedImage.TYPE_INT_RGB);
    javax.imageio.ImageIO.write(b, "png", root.resolve("ok.png").toFile());
    Process p = new ProcessBuilder("mkfifo", root.resolve("fifo.jpg").toString()).inheritIO().start();
    assertThat(p.waitFor()).isZero();
    Files.createSymbolicLink(root.resolve("zero.jpg"), Path.of("/dev/zero"));
    Files.createDirectories(root.resolve("folder.jpg"));
    socket = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    socket.bind(UnixDomainSocketAddress.of(root.resolve("socket.jpg")));
    lst = dir.resolve("special.lst");
    Files.writeString(lst, "0\t0\tok.png\n1\t0\tfifo.jpg\n2\t1\tzero.jpg\n3\t1\tfolder.jpg\n4\t0\tsocket.jpg\n");
  }

  @org.junit.jupiter.api.AfterEach
  void close() throws Exception {
    socket.close();
  }

  @Test
  void packRecordioCountsThemAsBadImages() throws Exception {
    CliRunner.Result r = CliRunner.run("pack-recordio", lst.toString(), root.toString(), "--max-bad", "4");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("1 records, 4 bad");
    assertThat(Files.readString(dir.resolve("special.bad.tsv"))).isEqualTo("path\treason\n"
        + "fifo.jpg\tis a FIFO (named pipe), not a regular file\n"
        + "zero.jpg\tis a character device, not a regular file\n"
        + "folder.jpg\tis a directory\n"
        + "socket.jpg\tis a socket, not a regular file\n");
  }

  @Test
  void predictAndEvaluateReportThemAndGoOn() throws Exception {
    Path model = TestModels.calibrated(dir, new ImageShape(3, 20, 20), 2, 3);
    CliRunner.Result r = CliRunner.run("predict", "--model", model.toString(), root.resolve("ok.png").toString(),
        root.resolve("fifo.jpg").toString(), root.resolve("zero.jpg").toString(), root.resolve("socket.jpg").toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out().lines()).hasSize(1);
    assertThat(r.err()).contains(
        "error: " + root.resolve("fifo.jpg") + ": is a FIFO (named pipe), not a regular file\n",
        "error: " + root.resolve("zero.jpg") + ": is a character device, not a regular file\n",
        "error: " + root.resolve("socket.jpg") + ": is a socket, not a regular file\n",
        "3 of 4 images could not be used; 1 predicted");

    CliRunner.Result e = CliRunner.run("evaluate", "--model", model.toString(), lst.toString(), "--root", root.toString());
    assertThat(e.err()).contains(
        "error: " + lst + ":2: " + root.resolve("fifo.jpg") + ": is a FIFO (named pipe), not a regular file\n",
        "error: " + lst + ":3: " + root.resolve("zero.jpg") + ": is a character device, not a regular file\n",
        "error: " + lst + ":4: " + root.resolve("folder.jpg") + ": is a directory\n",
        "error: " + lst + ":5: " + root.resolve("socket.jpg") + ": is a socket, not a regular file\n",
        "4 of 5 images could not be used; 1 evaluated");
  }

  @Test
  void validateManifestWithCheckImagesNamesTheKind() throws Exception {
    Path manifest = dir.resolve("m.jsonl");
    Files.writeString(manifest, "{\"source-ref\":\"ok.png\",\"class\":0}\n{\"source-ref\":\"fifo.jpg\",\"class\":0}\n"
        + "{\"source-ref\":\"zero.jpg\",\"class\":1}\n{\"source-ref\":\"folder.jpg\",\"class\":1}\n");
    CliRunner.Result r = CliRunner.run("validate-manifest", manifest.toString(), "--image-root", root.toString(),
        "--check-images");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).contains(
        manifest + ":2: error [missing-file] " + root.resolve("fifo.jpg") + " is a FIFO (named pipe), not a regular file",
        manifest + ":3: error [missing-file] " + root.resolve("zero.jpg") + " is a character device, not a regular file",
        manifest + ":4: error [missing-file] " + root.resolve("folder.jpg") + " is a directory (for 'folder.jpg')",
        "errors by rule: missing-file=3");
  }

  @Test
  void trainingOnAnImageFolderStopsAtTheFirstWithItsLine() throws Exception {
    Files.writeString(lst, "0\t0\tok.png\n1\t0\tfifo.jpg\n");
    CliRunner.Result r = CliRunner.run("train", "--train", root.toString(), "--train-lst", lst.toString(),
        "--resize", "20", "-o", dir.resolve("out").toString(), "--num-classes", "2", "--num-training-samples", "2",
        "--mini-batch-size", "2", "--epochs", "1", "--num-layers", "20", "--image-shape", "3,20,20");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("imgclass train: " + lst + ":2: " + root.resolve("fifo.jpg")
        + ": is a FIFO (named pipe), not a regular file\n");
    assertThat(dir.resolve("out").resolve("model.tar.gz")).doesNotExist();
  }
}
