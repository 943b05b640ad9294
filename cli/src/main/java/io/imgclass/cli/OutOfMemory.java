package io.imgclass.cli;

import java.util.Locale;

/**
 * What to say when a command runs out of Java heap: the limit in force and the settings that would
 * avoid it, on stderr, with exit code 1 (invalid data or a failed run, as for any other failure).
 *
 * <p>Why not {@code -XX:+ExitOnOutOfMemoryError}: the JVM then exits with code 3, which breaks the
 * 0/1/2 promise, and prints its reason on stdout, where a pipeline reading results would take it
 * for output. The handler below keeps the fail-fast part for threads nobody waits on.
 */
final class OutOfMemory {
  private OutOfMemory() {}

  /** The OutOfMemoryError in {@code t}'s cause chain, or null. */
  static OutOfMemoryError find(Throwable t) {
    for (int depth = 0; t != null && depth < 32; t = t.getCause(), depth++) {
      if (t instanceof OutOfMemoryError oom) {
        return oom;
      }
      for (Throwable s : t.getSuppressed()) {
        if (s instanceof OutOfMemoryError oom) {
          return oom;
        }
      }
    }
    return null;
  }

  /**
   * One line: what ran out, the heap limit, and how to raise it or use less.
   *
   * @param command the subcommand's name ("pack-recordio"), or null when not known
   */
  static String message(OutOfMemoryError e, String command) {
    long max = Runtime.getRuntime().maxMemory();
    String what = e.getMessage() == null || e.getMessage().isBlank() ? "out of memory" : "out of memory (" + e.getMessage() + ")";
    String suggest = suggestion(command);
    return what + " with a Java heap limit of " + gib(max) + ": give it more, e.g. IMGCLASS_JAVA_OPTS=-Xmx"
        + Math.max(2, (long) Math.ceil(2.0 * max / (1L << 30))) + "g (or JAVA_OPTS)"
        + (suggest.isEmpty() ? "" : ", or use less: " + suggest);
  }

  private static String suggestion(String command) {
    if (command == null) {
      return "";
    }
    return switch (command) {
      case "train" -> "a smaller --mini-batch-size or fewer --threads";
      case "predict", "evaluate" -> "a smaller --batch-size or fewer --threads";
      case "serve" -> "fewer --threads";
      case "pack-recordio" -> "fewer --num-thread or a smaller --resize";
      default -> "";
    };
  }

  private static String gib(long bytes) {
    return bytes >= 1L << 30 ? String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30))
        : String.format(Locale.ROOT, "%d MiB", bytes >> 20);
  }

  /**
   * For threads no command waits on: an OutOfMemoryError there would leave the command waiting
   * forever for work that never comes, so the process stops at once with code 1 and the message.
   * Other uncaught exceptions keep Java's default (a stack trace on stderr).
   */
  static void installUncaughtHandler(java.io.PrintStream err) {
    Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler((thread, t) -> {
      OutOfMemoryError oom = find(t);
      if (oom == null) {
        if (previous != null) {
          previous.uncaughtException(thread, t);
        } else {
          t.printStackTrace(err);
        }
        return;
      }
      err.println("imgclass: " + message(oom, null) + " (in thread " + thread.getName() + ")");
      err.flush();
      Runtime.getRuntime().halt(ExitCodes.FAILURE);
    });
  }
}
