package io.imgclass.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The root command. Subcommands are registered here as they are built; there are no placeholders.
 *
 * <p>{@link #run(PrintWriter, PrintWriter, String...)} is the testable entry point: it never calls
 * {@link System#exit} and writes only to the streams it is given.
 */
@Command(
    name = "imgclass",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "SageMaker Image Classification (MXNet) and im2rec, on your own machine, offline.",
      ""
    },
    subcommands = {
      CommandLine.HelpCommand.class,
      MakeLstCommand.class,
      PackRecordioCommand.class,
      ValidateManifestCommand.class,
      InspectCommand.class,
      TrainCommand.class,
      LaunchCommand.class,
      PredictCommand.class,
      ServeCommand.class,
      EvaluateCommand.class,
      ModelCommand.class,
      ExportCommand.class,
    })
public final class Imgclass implements Callable<Integer> {

  @Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--stacktrace",
      scope = CommandLine.ScopeType.INHERIT,
      description = "Print the full stack trace when a command fails.")
  boolean stacktrace;

  @Override
  public Integer call() {
    // `imgclass` alone: show what there is to do, and say it was a usage problem.
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE;
  }

  /** Runs the command line with the given streams and returns the exit code. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    preloadFor(args);
    CommandLine cmd = configure(new CommandLine(packOnly(args) ? new PackOnlyRoot() : new Imgclass()), out, err);
    int code;
    try {
      code = cmd.execute(args);
    } catch (OutOfMemoryError e) {
      // picocli hands Errors on rather than to the ErrorHandler.
      String name = commandName(cmd, args);
      err.println((name == null ? "imgclass" : "imgclass " + name) + ": " + OutOfMemory.message(e, name));
      code = ExitCodes.FAILURE;
    }
    out.flush();
    err.flush();
    return code;
  }

  private static String commandName(CommandLine cmd, String[] args) {
    for (String a : args) {
      if (!a.startsWith("-")) {
        return cmd.getSubcommands().containsKey(a) ? a : null;
      }
    }
    return null;
  }

  /** A configured command line; exposed for documentation generators and tests. */
  public static CommandLine newCommandLine(PrintWriter out, PrintWriter err) {
    return configure(new CommandLine(new Imgclass()), out, err);
  }

  private static CommandLine configure(CommandLine cmd, PrintWriter out, PrintWriter err) {
    cmd.setOut(out);
    cmd.setErr(err);
    cmd.setCaseInsensitiveEnumValuesAllowed(true);
    cmd.setExecutionExceptionHandler(new ErrorHandler());
    cmd.setParameterExceptionHandler(new UsageErrorHandler());
    return cmd;
  }

  /**
   * Starts loading what a subcommand needs from native libraries before picocli builds its model
   * (a few hundred ms of class loading), so the two overlap: for pack-recordio, JNA,
   * libjpeg-turbo and OpenCV (about 0.15 s, a seventh of packing 1,000 photos).
   */
  static void preloadFor(String[] args) {
    for (String a : args) {
      if (a.startsWith("-")) {
        continue;
      }
      if (a.equals("pack-recordio")) {
        io.imgclass.core.pack.Packer.preloadCodecs();
      }
      return;
    }
  }

  /**
   * Whether the command line is {@code [--stacktrace] pack-recordio ...}: then only that
   * subcommand's model is built ({@link PackOnlyRoot}). Any other root option (--help, --version)
   * keeps the full root, whose output lists every subcommand.
   */
  static boolean packOnly(String[] args) {
    int i = args.length > 0 && args[0].equals("--stacktrace") ? 1 : 0;
    return args.length > i && args[i].equals("pack-recordio");
  }

  public static void main(String[] args) {
    OutOfMemory.installUncaughtHandler(System.err);
    PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
    PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
    System.exit(run(out, err, args));
  }
}
