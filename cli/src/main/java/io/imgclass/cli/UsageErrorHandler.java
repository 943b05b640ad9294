package io.imgclass.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;

/** A command-line parse error: one line, a pointer to --help, exit code 2. */
final class UsageErrorHandler implements IParameterExceptionHandler {

  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    PrintWriter err = cmd.getErr();
    err.println(cmd.getCommandSpec().qualifiedName(" ") + ": " + ErrorHandler.oneLine(ex));
    CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
    err.println("Try 'imgclass " + qualifiedName(cmd) + "--help' for more information.");
    err.flush();
    return ExitCodes.USAGE;
  }

  private static String qualifiedName(CommandLine cmd) {
    String full = cmd.getCommandSpec().qualifiedName(" ");
    String rest = full.startsWith("imgclass") ? full.substring("imgclass".length()).strip() : full;
    return rest.isEmpty() ? "" : rest + " ";
  }
}
