package io.imgclass.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RootCommandTest {
  @Test
  void versionPrintsProjectAndEngineVersions() {
    CliRunner.Result r = CliRunner.run("--version");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).startsWith("imgclass 0.").contains("DJL 0.33.0, MXNet 1.9.1");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void helpListsCommandsAndExitsZero() {
    CliRunner.Result r = CliRunner.run("--help");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("Usage: imgclass").contains("--stacktrace");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void noArgumentsIsAUsageError() {
    CliRunner.Result r = CliRunner.run();
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).contains("Usage: imgclass");
  }

  @Test
  void unknownOptionIsOneLineAndExit2() {
    CliRunner.Result r = CliRunner.run("--frobnicate");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err().lines().findFirst()).hasValueSatisfying(
        l -> assertThat(l).isEqualTo("imgclass: Unknown option: '--frobnicate'"));
    assertThat(r.err()).contains("Try 'imgclass --help' for more information.");
  }

  @Test
  void unknownSubcommandIsAUsageError() {
    CliRunner.Result r = CliRunner.run("frobnicate");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("frobnicate");
  }
}
