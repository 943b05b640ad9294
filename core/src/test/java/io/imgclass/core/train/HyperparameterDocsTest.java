package io.imgclass.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/hyperparameters.md must be what the code's definitions generate. */
class HyperparameterDocsTest {
  @Test
  void docsMatchTheDefinitions() throws Exception {
    Path root = Path.of(System.getProperty("imgclass.root", ".."));
    Path doc = root.resolve("docs/hyperparameters.md");
    String expected = Hyperparameters.markdown();
    if (Boolean.getBoolean("imgclass.regenerateDocs")) {
      Files.writeString(doc, expected);
    }
    assertThat(doc).as("regenerate with: mvn -pl core -am test -Dtest=HyperparameterDocsTest "
        + "-Dimgclass.regenerateDocs=true -Dsurefire.failIfNoSpecifiedTests=false").exists();
    assertThat(Files.readString(doc)).isEqualTo(expected);
  }
}
