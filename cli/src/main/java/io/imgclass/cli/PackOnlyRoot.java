package io.imgclass.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The root command as {@code imgclass pack-recordio ...} sees it: the same name, options and
 * version as {@link Imgclass}, with pack-recordio as its only subcommand. picocli builds the
 * model of every registered subcommand up front (reflection over each option, a tenth of a second
 * or more for the ten of them on a small machine); a packing run, often only seconds long, needs
 * one. Everything pack-recordio prints (its help, errors, summary) is the same either way, since
 * none of it names the other subcommands.
 */
@Command(
    name = "imgclass",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    subcommands = {PackRecordioCommand.class})
final class PackOnlyRoot implements Callable<Integer> {
  @Option(
      names = "--stacktrace",
      scope = CommandLine.ScopeType.INHERIT,
      description = "Print the full stack trace when a command fails.")
  boolean stacktrace;

  @Override
  public Integer call() {
    return ExitCodes.USAGE; // unreachable: run() picks this root only when pack-recordio is named
  }
}
