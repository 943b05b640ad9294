package io.imgclass.cli;

import io.imgclass.core.inspect.InspectFormatter;
import io.imgclass.core.inspect.InspectOptions;
import io.imgclass.core.inspect.InspectReport;
import io.imgclass.core.inspect.RecInspector;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code imgclass inspect}: what is inside a {@code .rec}, and whether it and its {@code .idx} are sound. */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Reports what is inside a RecordIO file: record count, IRHeader flags and ids, label histogram"
          + " (single- and multi-label), image formats and decoded sizes (a sample of "
          + InspectOptions.DEFAULT_SAMPLE + " images, or all with --verify), consistency with the"
          + " .idx, and corrupt regions with their byte offsets.",
      "Corrupt regions are skipped to the next valid record start, as MXNet's splitter does, and"
          + " counted, so one damaged record does not hide the rest of the file.",
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:the file reads cleanly (and, with --verify, nothing at all was found)",
      "1:a corrupt region was found - always, because training on the file would stop or lose"
          + " records there; with --verify also any other finding (undecodable image, invalid"
          + " IRHeader, .idx mismatch, no records); or the file cannot be read",
      "2:bad command line",
    })
final class InspectCommand implements Callable<Integer> {

  /** Output formats. */
  enum Format { text, json }

  @Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE.rec", description = "The RecordIO file.")
  Path rec;

  @Option(names = "--idx", paramLabel = "FILE.idx",
      description = "The index to check. Default: FILE.idx next to FILE.rec, if it exists.")
  Path idx;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
      description = "text or json (schema: docs/formats.md, \"inspect JSON\"). Default: ${DEFAULT-VALUE}.")
  Format format;

  @Option(names = "--verify",
      description = "Decode every image, and fail (exit 1) on any finding, not only on corrupt regions.")
  boolean verify;

  @Override
  public Integer call() throws Exception {
    InspectReport report = new RecInspector().inspect(InspectOptions.of(rec, idx, verify));
    PrintWriter out = spec.commandLine().getOut();
    out.print(format == Format.json ? InspectFormatter.json(report) : InspectFormatter.text(report));
    out.flush();
    if (report.ok()) {
      return ExitCodes.OK;
    }
    PrintWriter err = spec.commandLine().getErr();
    err.println("imgclass inspect: " + rec + ": " + report.problems().get(0));
    err.flush();
    return ExitCodes.FAILURE;
  }
}
