package io.imgclass.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imgclass.core.UsageException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputFolderTest {
  @TempDir Path dir;

  private Path earlierRun() throws Exception {
    Path out = Files.createDirectories(dir.resolve("out"));
    Files.writeString(out.resolve("model.tar.gz"), "x");
    Files.writeString(out.resolve("image-classification-0003.params"), "x");
    Files.writeString(out.resolve("image-classification-symbol.json"), "x");
    Files.createDirectories(out.resolve(TrainingJob.STATE_DIR)).resolve("state.json").toFile().createNewFile();
    Files.writeString(out.resolve("notes.txt"), "mine");
    return out;
  }

  @Test
  void anotherRunsArtifactsAreRefusedWithoutOverwrite() throws Exception {
    Path out = earlierRun();
    assertThatThrownBy(() -> OutputFolder.prepare(out, null, false))
        .isInstanceOf(UsageException.class)
        .hasMessage("-o " + out + " holds another run's artifacts (" + TrainingJob.STATE_DIR
            + ", image-classification-0003.params, image-classification-symbol.json, model.tar.gz); its checkpoints"
            + " would mix with this run's. Choose another folder, add --overwrite to remove them first, or continue"
            + " that run with --resume " + out);
    assertThat(out.resolve("model.tar.gz")).exists();
  }

  @Test
  void overwriteRemovesOnlyTheArtifacts() throws Exception {
    Path out = earlierRun();
    assertThat(OutputFolder.prepare(out, null, true)).hasSize(4);
    assertThat(OutputFolder.artifacts(out)).isEmpty();
    assertThat(out.resolve("notes.txt")).hasContent("mine");
  }

  @Test
  void resumingTheRunInItsOwnFolderAndFreshFoldersAreFine() throws Exception {
    Path out = earlierRun();
    assertThat(OutputFolder.prepare(out, out, false)).isEmpty();
    assertThat(out.resolve("model.tar.gz")).exists();
    assertThat(OutputFolder.prepare(dir.resolve("new"), null, false)).isEmpty();
    Path other = Files.createDirectories(dir.resolve("other"));
    Files.writeString(other.resolve("readme.md"), "unrelated");
    assertThat(OutputFolder.prepare(other, null, false)).isEmpty();
    // Resuming from one folder into another that holds a third run's artifacts is still refused.
    assertThatThrownBy(() -> OutputFolder.prepare(out, other, false)).isInstanceOf(UsageException.class);
  }
}
