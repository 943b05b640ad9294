package io.imgclass.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** An OutOfMemoryError is a failure like any other: exit 1, the limit to raise on stderr, nothing on stdout. */
class OutOfMemoryTest {
  @TempDir Path dir;

  @Test
  void aListLineLargerThanTheHeapExitsOneWithTheLimitOnStderr() throws Exception {
    Path lst = dir.resolve("huge.lst");
    // One 40-million-character line: as a Java String it needs 40-80 MB, more than a 32 MB heap has.
    try (Writer w = Files.newBufferedWriter(lst, StandardCharsets.UTF_8)) {
      w.write("0\t1\t");
      char[] chunk = new char[1 << 20];
      java.util.Arrays.fill(chunk, 'a');
      for (int i = 0; i < 40; i++) {
        w.write(chunk);
      }
      w.write(".jpg\n");
    }
    Files.createDirectories(dir.resolve("root"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-Xmx32m", "-cp", System.getProperty("java.class.path"),
        "io.imgclass.cli.Imgclass", "pack-recordio", lst.toString(), dir.resolve("root").toString())
        .redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile()).start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String err = Files.readString(dir.resolve("err.txt"));
    assertThat(p.exitValue()).as(err).isEqualTo(1);
    assertThat(Files.readString(dir.resolve("out.txt"))).isEmpty();
    assertThat(err).startsWith("imgclass pack-recordio: out of memory (Java heap space) with a Java heap limit of ")
        .contains("IMGCLASS_JAVA_OPTS=-Xmx", "fewer --num-thread");
  }

  @Test
  void anOutOfMemoryErrorInsideAnotherExceptionIsFoundAndExplained() {
    OutOfMemoryError oom = new OutOfMemoryError("Java heap space");
    ExecutionException wrapped = new ExecutionException(new IOException("reading", oom));
    assertThat(OutOfMemory.find(wrapped)).isSameAs(oom);
    assertThat(OutOfMemory.find(new IOException("plain"))).isNull();
    CommandLine cmd = Imgclass.newCommandLine(new java.io.PrintWriter(new java.io.StringWriter()),
        new java.io.PrintWriter(new java.io.StringWriter()));
    java.io.StringWriter err = new java.io.StringWriter();
    CommandLine train = cmd.getSubcommands().get("train");
    train.setErr(new java.io.PrintWriter(err));
    int code = new ErrorHandler().handleExecutionException(wrapped, train, null);
    assertThat(code).isEqualTo(ExitCodes.FAILURE);
    assertThat(err.toString()).startsWith("imgclass train: out of memory (Java heap space) with a Java heap limit of ")
        .contains("-Xmx", "a smaller --mini-batch-size");
  }
}
