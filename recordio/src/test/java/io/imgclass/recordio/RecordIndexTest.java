package io.imgclass.recordio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordIndexTest {
  @TempDir Path dir;

  @Test
  void parsesKeysAndOffsetsInFileOrder() throws IOException {
    Path idx = write("5\t0\n3\t16\n\n9 48\n");
    RecordIndex index = RecordIndex.read(idx);
    assertThat(index.entries())
        .containsExactly(new RecordIndex.Entry(5, 0), new RecordIndex.Entry(3, 16), new RecordIndex.Entry(9, 48));
    assertThat(index.offsetOf(3)).isEqualTo(16);
    assertThat(index.offsetOf(4)).isEqualTo(-1);
    StringWriter w = new StringWriter();
    index.write(w);
    assertThat(w).hasToString("5\t0\n3\t16\n9\t48\n");
  }

  @Test
  void duplicateKeysResolveToTheLastLineAsInMxnet() throws IOException {
    RecordIndex index = RecordIndex.read(write("1\t0\n1\t16\n"));
    assertThat(index.size()).isEqualTo(2);
    assertThat(index.offsetOf(1)).isEqualTo(16);
  }

  @Test
  void errorsNameFileAndLine() throws IOException {
    assertError("0\t0\n1\tx\n", ":2: not an integer key and offset: '1\tx'");
    assertError("0\t0\n\n1\t2\t3\n", ":3: expected 'key<TAB>offset'");
    assertError("7\n", ":1: expected 'key<TAB>offset', got '7'");
    assertError("0\t-16\n", ":1: negative offset -16");
    assertError("99999999999999999999\t0\n", ":1: not an integer");
  }

  private void assertError(String content, String expected) throws IOException {
    Path idx = write(content);
    assertThatThrownBy(() -> RecordIndex.read(idx))
        .isInstanceOf(RecordIndex.IndexFormatException.class)
        .hasMessageStartingWith(idx.toString())
        .hasMessageContaining(expected);
  }

  private Path write(String content) throws IOException {
    Path p = Files.createTempFile(dir, "t", ".idx");
    Files.writeString(p, content);
    return p;
  }
}
