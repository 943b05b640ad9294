package io.imgclass.core.dist;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

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
    this(limit, what, err, halt, clock, () -> null);
  }

  private Watchdog(Duration limit, String what, PrintStream err, Runnable halt, LongSupplier clock,
      Supplier<String> problem) {
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
        } else {
          try {
            String p = problem.get();
            why = p == null ? null : what + ": " + p + "; stopping";
          } catch (RuntimeException e) {
            why = null; // the check itself is best effort
          }
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

  /**
   * Like {@link #start(Duration, String)}, also halting when {@code problem} returns a reason
   * (checked a few times a second; null means all is well).
   */
  public static Watchdog start(Duration limit, String what, Supplier<String> problem) {
    Watchdog w = new Watchdog(limit, what, System.err, Watchdog::exitNow, System::nanoTime, problem);
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
  public static void exitNow() {
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

  /** Stops watching; returns once the watching thread has finished its current check. */
  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    if (Thread.currentThread() != thread) {
      try {
        thread.join(2_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * A check for {@link #start(Duration, String, Supplier)}: with ps-lite heartbeats on
   * (PS_HEARTBEAT_INTERVAL), whether the nodes this one watches have gone quiet. The scheduler
   * watches workers and servers; servers and workers watch the scheduler, which stops when it sees
   * a dead node, so its death tells the rest.
   */
  public static Supplier<String> deadPeers(java.util.concurrent.atomic.AtomicReference<KvStore> store,
      KvStore.Role role) {
    int interval = KvStore.heartbeatInterval();
    int deadAfter = Math.max(10, 5 * interval);
    int groups = role == KvStore.Role.SCHEDULER ? KvStore.WORKERS + KvStore.SERVERS : KvStore.SCHEDULER;
    String whom = role == KvStore.Role.SCHEDULER ? "worker/server node(s)" : "the scheduler";
    return () -> {
      int dead;
      // Whoever frees the store first clears the reference under this lock, so no check runs on a freed store.
      synchronized (store) {
        KvStore kv = store.get();
        if (interval == 0 || kv == null) {
          return null;
        }
        dead = kv.deadNodes(groups, deadAfter);
      }
      return dead == 0 ? null : (dead > 1 || role == KvStore.Role.SCHEDULER ? dead + " " : "") + whom
          + " sent no heartbeat for " + deadAfter + " s (PS_HEARTBEAT_INTERVAL=" + interval + "): probably died";
    };
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
