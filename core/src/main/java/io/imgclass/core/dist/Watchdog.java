package io.imgclass.core.dist;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Ends the process when a distributed job stops making progress. ps-lite waits forever for a peer
 * that died (a push, pull or barrier never returns, inside native code that Java cannot
 * interrupt), so a thread watches the time since the last {@link #tick()} and, past the limit,
 * prints why and halts with exit code 1. Also ends the process when the launcher that started it
 * is gone, so no node outlives {@code imgclass launch}.
 */
public final class Watchdog implements AutoCloseable {
  /** Environment variable through which {@code imgclass launch} tells its children its pid. */
  public static final String LAUNCHER_PID = "IMGCLASS_LAUNCHER_PID";

  private final AtomicLong last;
  private final long limitNanos;
  private final String what;
  private final Thread thread;
  private volatile boolean closed;

  private Watchdog(Duration limit, String what, PrintStream err, Runnable halt, LongSupplier clock) {
    this.limitNanos = limit.toNanos();
    this.what = what;
    this.last = new AtomicLong(clock.getAsLong());
    ProcessHandle launcher = launcher();
    this.thread = new Thread(() -> {
      while (!closed) {
        try {
          Thread.sleep(200);
        } catch (InterruptedException e) {
          return;
        }
        if (closed) {
          return;
        }
        long idle = clock.getAsLong() - last.get();
        String why = null;
        if (limitNanos > 0 && idle > limitNanos) {
          why = what + ": no progress for " + Duration.ofNanos(idle).toSeconds() + " s (limit --kv-timeout "
              + limit.toSeconds() + " s): a worker, server or the scheduler has probably died; stopping";
        } else if (launcher != null && !launcher.isAlive()) {
          why = what + ": the imgclass launch process (pid " + launcher.pid() + ") is gone; stopping";
        }
        if (why != null) {
          err.println("imgclass: " + why);
          err.flush();
          halt.run();
          return;
        }
      }
    }, "imgclass-kv-watchdog");
    thread.setDaemon(true);
  }

  /**
   * Starts a watchdog that halts the JVM with exit code 1.
   *
   * @param limit longest time without a {@link #tick()}; zero or negative: only watch the launcher
   * @param what who is waiting, for the message (e.g. "worker 1")
   */
  public static Watchdog start(Duration limit, String what) {
    Watchdog w = new Watchdog(limit, what, System.err, Watchdog::exitNow, System::nanoTime);
    w.thread.start();
    return w;
  }

  /** For tests: a custom halt action. */
  static Watchdog start(Duration limit, String what, PrintStream err, Runnable halt) {
    Watchdog w = new Watchdog(limit, what, err, halt, System::nanoTime);
    w.thread.start();
    return w;
  }

  /** The C library's {@code _exit}. */
  interface LibC extends com.sun.jna.Library {
    void _exit(int status);
  }

  /**
   * Ends the process with exit code 1 at once. Not {@code System.exit} nor {@code halt}: both run
   * the C library's exit handlers, and destroying ps-lite's still-running threads there aborts the
   * process (exit code 134, "terminate called without an active exception") or blocks.
   */
  static void exitNow() {
    System.err.flush();
    System.out.flush();
    try {
      com.sun.jna.Native.load("c", LibC.class)._exit(1);
    } catch (Throwable e) {
      // No libc by that name: the next best thing.
    }
    Runtime.getRuntime().halt(1);
  }

  /** Records progress. */
  public void tick() {
    last.set(System.nanoTime());
  }

  /** Whether the watchdog has stopped watching. */
  boolean stopped() {
    return !thread.isAlive();
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
  }

  private static ProcessHandle launcher() {
    String pid = System.getenv(LAUNCHER_PID);
    if (pid == null || pid.isBlank()) {
      return null;
    }
    try {
      return ProcessHandle.of(Long.parseLong(pid.trim())).orElse(null);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
