package io.imgclass.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;

/**
 * Keeps docs/cli.md equal to the usage text of every command {@link Imgclass} registers, so the
 * page cannot drift from the code. When a command changes, regenerate the page with
 *
 * <pre>{@value #REGENERATE}</pre>
 *
 * and commit it with the change.
 */
class CliDocsTest {
  static final String REGENERATE =
      "mvn -o -q -B test -pl cli -am -Dtest=CliDocsTest -Dsurefire.failIfNoSpecifiedTests=false"
          + " -Dimgclass.regenerateDocs=true";
  /** Fixed, so the page does not depend on the terminal of whoever generated it. */
  static final int WIDTH = 100;

  @Test
  void docsCliMdMatchesTheCommandsHelp() throws IOException {
    Path page = repoRoot().resolve("docs/cli.md");
    String expected = render();
    if (Boolean.getBoolean("imgclass.regenerateDocs")) {
      Files.createDirectories(page.getParent());
      Files.writeString(page, expected, StandardCharsets.UTF_8);
    }
    assertThat(page).as("docs/cli.md is missing; create it with: " + REGENERATE).exists();
    String actual = Files.readString(page, StandardCharsets.UTF_8).replace("\r\n", "\n");
    assertThat(actual)
        .as("docs/cli.md differs from the commands' --help; regenerate it with: " + REGENERATE)
        .isEqualTo(expected);
  }

  @Test
  void pageCoversEveryRegisteredCommand() {
    String page = render();
    for (CommandLine cmd : commands(newCommandLine())) {
      String name = cmd.getCommandSpec().qualifiedName(" ");
      assertThat(page).contains("## " + name + "\n").contains("Usage: " + name);
    }
    assertThat(page).contains("## imgclass help\n");
  }

  /** The whole page: a contents list, then each command's usage text as printed by --help. */
  static String render() {
    CommandLine root = newCommandLine();
    List<CommandLine> all = commands(root);
    StringBuilder md = new StringBuilder();
    md.append("# imgclass command line\n\n");
    md.append("<!-- Generated from the commands' --help by cli/src/test/java/io/imgclass/cli/")
        .append("CliDocsTest.java; do not edit.\n     Regenerate with: ")
        .append(REGENERATE)
        .append(" -->\n\n");
    md.append("Every command below prints the same text with `--help`. Exit codes: 0 success, ")
        .append("1 failure or invalid data, 2 usage error.\n\n");
    for (CommandLine cmd : all) {
      String name = cmd.getCommandSpec().qualifiedName(" ");
      md.append("- [`").append(name).append("`](#").append(name.replace(' ', '-')).append(")");
      String summary = summary(cmd.getCommandSpec().usageMessage());
      if (!summary.isEmpty()) {
        md.append(" — ").append(summary);
      }
      md.append('\n');
    }
    for (CommandLine cmd : all) {
      md.append("\n## ").append(cmd.getCommandSpec().qualifiedName(" ")).append("\n\n```text\n");
      md.append(cmd.getUsageMessage(Ansi.OFF).stripTrailing()).append("\n```\n");
    }
    return md.toString();
  }

  /** The line picocli lists a command by: its header's first line, else its description's. */
  private static String summary(CommandLine.Model.UsageMessageSpec usage) {
    for (String[] lines : List.of(usage.header(), usage.description())) {
      if (lines.length > 0) {
        String first = lines[0].replace("%n", " ").strip();
        if (!first.isEmpty()) {
          return first;
        }
      }
    }
    return "";
  }

  private static CommandLine newCommandLine() {
    CommandLine cmd = Imgclass.newCommandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    // These setters reach every subcommand already registered.
    cmd.setUsageHelpAutoWidth(false);
    cmd.setUsageHelpWidth(WIDTH);
    return cmd;
  }

  /** The root and every visible subcommand, depth first, each once (aliases map to one). */
  private static List<CommandLine> commands(CommandLine cmd) {
    List<CommandLine> out = new ArrayList<>();
    out.add(cmd);
    for (CommandLine sub : new LinkedHashSet<>(cmd.getSubcommands().values())) {
      if (!sub.getCommandSpec().usageMessage().hidden()) {
        out.addAll(commands(sub));
      }
    }
    return out;
  }

  /** The checkout root: passed by the build, else found from the working directory (an IDE). */
  private static Path repoRoot() {
    String root = System.getProperty("imgclass.root");
    if (root != null && !root.isBlank()) {
      return Path.of(root);
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve(".mvn"))) {
        return p;
      }
    }
    throw new IllegalStateException("cannot find the checkout root (no .mvn above " + Path.of("").toAbsolutePath() + ")");
  }
}
