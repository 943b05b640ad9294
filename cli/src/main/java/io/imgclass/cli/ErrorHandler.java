package io.imgclass.cli;

import io.imgclass.core.UsageException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Maps any exception a command throws to one line on stderr and an exit code: {@link
 * UsageException} (a bad option combination found after parsing) is a usage error, everything else
 * a failure. The stack trace is printed only with {@code --stacktrace}. A failure caused by an
 * {@link OutOfMemoryError} says which limit to raise ({@link OutOfMemory}).
 */
final class ErrorHandler implements IExecutionExceptionHandler {

  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
    PrintWriter err = cmd.getErr();
    OutOfMemoryError oom = OutOfMemory.find(ex);
    if (oom != null) {
      err.println(cmd.getCommandSpec().qualifiedName(" ") + ": " + OutOfMemory.message(oom, cmd.getCommandName()));
      err.flush();
      return ExitCodes.FAILURE;
    }
    boolean usage = ex instanceof UsageException || ex instanceof CommandLine.ParameterException;
    err.println(cmd.getCommandSpec().qualifiedName(" ") + ": " + oneLine(ex));
    if (wantsStackTrace(parseResult)) {
      ex.printStackTrace(err);
    } else if (!usage && !(ex instanceof java.io.IOException) && !(ex instanceof io.imgclass.core.ImgclassException)) {
      // An unexpected exception type is probably our bug: say how to get the details.
      err.println("(run again with --stacktrace for details)");
    }
    err.flush();
    return usage ? ExitCodes.USAGE : ExitCodes.FAILURE;
  }

  static String oneLine(Throwable ex) {
    String msg = ex.getMessage();
    if (ex instanceof java.nio.file.NoSuchFileException) {
      msg = "no such file: " + msg;
    } else if (ex instanceof java.nio.file.AccessDeniedException) {
      msg = "permission denied: " + msg;
    } else if (ex instanceof java.nio.file.FileAlreadyExistsException) {
      msg = "already exists: " + msg;
    }
    if (msg == null || msg.isBlank()) {
      msg = ex.getClass().getSimpleName();
    }
    return msg.replace('\n', ' ').strip();
  }

  private static boolean wantsStackTrace(ParseResult parseResult) {
    for (ParseResult pr = parseResult; pr != null; pr = pr.subcommand()) {
      if (pr.hasMatchedOption("--stacktrace")) {
        return true;
      }
    }
    return false;
  }
}
