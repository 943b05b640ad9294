package io.imgclass.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFilesTest {
  @TempDir Path dir;

  @Test
  void onlyRegularFilesAreRead() throws Exception {
    Path ok = Files.write(dir.resolve("ok.jpg"), new byte[] {1, 2, 3});
    Files.createSymbolicLink(dir.resolve("link.jpg"), ok);
    assertThat(ImageFiles.problem(ok)).isNull();
    assertThat(ImageFiles.read(dir.resolve("link.jpg"))).containsExactly(1, 2, 3); // links are followed

    assertThat(new ProcessBuilder("mkfifo", dir.resolve("fifo").toString()).start().waitFor()).isZero();
    Files.createSymbolicLink(dir.resolve("zero"), Path.of("/dev/zero"));
    Files.createSymbolicLink(dir.resolve("broken"), dir.resolve("nothing"));
    Files.createDirectories(dir.resolve("sub"));
    assertThat(ImageFiles.problem(dir.resolve("fifo"))).isEqualTo("is a FIFO (named pipe), not a regular file");
    assertThat(ImageFiles.problem(dir.resolve("zero"))).isEqualTo("is a character device, not a regular file");
    assertThat(ImageFiles.problem(dir.resolve("sub"))).isEqualTo("is a directory");
    assertThat(ImageFiles.problem(dir.resolve("nothing"))).isEqualTo("no such file");
    assertThat(ImageFiles.problem(dir.resolve("broken"))).isEqualTo("is a broken symbolic link");
    // Reading the FIFO would block forever: refused from its metadata alone.
    assertThatThrownBy(() -> ImageFiles.read(dir.resolve("fifo")))
        .isInstanceOf(ImageFiles.NotARegularFile.class)
        .hasMessage(dir.resolve("fifo") + ": is a FIFO (named pipe), not a regular file");
  }
}
