package io.imgclass.core.dist;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A parameter-server cluster on one machine, as MXNet's {@code tools/launch.py --launcher local}:
 * one scheduler, {@code servers} servers and {@code workers} workers, each a child process running
 * the same command with its {@code DMLC_*} variables. Children's output is passed on line by line
 * with a {@code [role index]} prefix. When any child fails, or this process is interrupted, every
 * other child is stopped (politely, then forcibly after a grace period), so none is left behind;
 * children also stop themselves when this process disappears ({@link Watchdog#LAUNCHER_PID}).
 */
public final class LocalCluster {
  /**
   * What to start.
   *
   * @param workers number of workers (DMLC_NUM_WORKER)
   * @param servers number of servers (DMLC_NUM_SERVER)
   * @param host address every node binds to and the scheduler listens on (127.0.0.1 by default)
   * @param port the scheduler's port (DMLC_PS_ROOT_PORT); 0 picks a free one
   * @param command the program and its arguments, identical for every node
   * @param grace how long nodes get to finish on their own once the workers are done, and to stop
   *     after being asked, before they are killed
   * @param workerThreads OMP_NUM_THREADS of each worker; 0: the cores shared out ({@link #environment})
   */
  public record Spec(int workers, int servers, String host, int port, List<String> command, Duration grace,
      int workerThreads) {
    public Spec {
      command = List.copyOf(command);
    }
  }

  private record Node(String name, Process process) {}

  private final Spec spec;
  private final PrintWriter out;
  private final List<Node> nodes = new ArrayList<>();
  private final List<Thread> pumps = new ArrayList<>();

  public LocalCluster(Spec spec, PrintWriter out) {
    this.spec = spec;
    this.out = out;
  }

  /** The command that runs {@code mainClass} in a JVM like this one (same java, options, class path). */
  public static List<String> javaCommand(String mainClass) {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(mainClass);
    return cmd;
  }

  /** Starts the nodes and waits; returns 0 when every node ended with 0, otherwise 1. */
  public int run() throws IOException, InterruptedException {
    int port = spec.port() != 0 ? spec.port() : freePort(spec.host());
    Thread hook = new Thread(this::stopAll, "imgclass-launch-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      start("scheduler", 0, port);
      for (int i = 0; i < spec.servers(); i++) {
        start("server", i, port);
      }
      for (int i = 0; i < spec.workers(); i++) {
        start("worker", i, port);
      }
      say("scheduler at " + spec.host() + ":" + port + ", " + spec.servers() + " server(s), " + spec.workers()
          + " worker(s)");
      int rc = supervise();
      for (Thread t : pumps) {
        t.join(TimeUnit.SECONDS.toMillis(5));
      }
      return rc;
    } finally {
      stopAll();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // Already shutting down: the hook is running or has run.
      }
    }
  }

  private int supervise() throws InterruptedException {
    long workersDoneAt = -1;
    while (true) {
      boolean allWorkersDone = true;
      boolean allDone = true;
      for (Node n : nodes) {
        if (n.process().isAlive()) {
          allDone = false;
          if (n.name().startsWith("worker")) {
            allWorkersDone = false;
          }
          continue;
        }
        int code = n.process().exitValue();
        if (code != 0) {
          long alive = nodes.stream().filter(x -> x.process().isAlive()).count();
          say(n.name() + " (pid " + n.process().pid() + ") exited with code " + code + "; stopping the other "
              + alive + " process(es)");
          stopAll();
          return 1;
        }
      }
      if (allDone) {
        say("all " + nodes.size() + " processes finished");
        return 0;
      }
      if (allWorkersDone) {
        if (workersDoneAt < 0) {
          workersDoneAt = System.nanoTime();
        } else if (System.nanoTime() - workersDoneAt > spec.grace().toNanos()) {
          say("the workers finished but the servers/scheduler did not stop within " + spec.grace().toSeconds()
              + " s; stopping them");
          stopAll();
          return 1;
        }
      }
      Thread.sleep(100);
    }
  }

  private void start(String role, int index, int port) throws IOException {
    String name = role + " " + index;
    if ("scheduler".equals(role)) {
      name = "scheduler";
    }
    ProcessBuilder pb = new ProcessBuilder(spec.command()).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.putAll(environment(role, spec.host(), port, spec.servers(), spec.workers()));
    if (spec.workerThreads() > 0 && "worker".equals(role)) {
      env.put("OMP_NUM_THREADS", Integer.toString(spec.workerThreads()));
    }
    env.put(Watchdog.LAUNCHER_PID, Long.toString(ProcessHandle.current().pid()));
    Process p = pb.start();
    p.getOutputStream().close();
    Node node = new Node(name, p);
    nodes.add(node);
    String prefix = "[" + name + "] ";
    Thread pump = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          synchronized (out) {
            out.println(prefix + line);
            out.flush();
          }
        }
      } catch (IOException e) {
        // The child is gone; its exit code tells what happened.
      }
    }, "imgclass-launch-" + name.replace(' ', '-'));
    pump.setDaemon(true);
    pump.start();
    pumps.add(pump);
  }

  /**
   * The environment of one node: the DMLC_* variables as ps-lite reads them, and OpenMP threads
   * shared out so the nodes do not fight over cores (each worker {@code cores / workers}, at least
   * 1; servers and the scheduler 1). Measured on 2 cores, 2 workers: 44 s per epoch when every
   * process had OMP_NUM_THREADS=2, 8.6 s with this.
   */
  public static Map<String, String> environment(String role, String host, int port, int servers, int workers) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("DMLC_ROLE", role);
    env.put("DMLC_PS_ROOT_URI", host);
    env.put("DMLC_PS_ROOT_PORT", Integer.toString(port));
    env.put("DMLC_NUM_SERVER", Integer.toString(servers));
    env.put("DMLC_NUM_WORKER", Integer.toString(workers));
    // Each node binds and announces this address, not the first network interface it finds.
    env.put("DMLC_NODE_HOST", host);
    // ps-lite heartbeats every 2 s: the scheduler notices a node that died and stops (Watchdog.deadPeers).
    env.put("PS_HEARTBEAT_INTERVAL", "2");
    int cores = Runtime.getRuntime().availableProcessors();
    env.put("OMP_NUM_THREADS", Integer.toString("worker".equals(role) ? Math.max(1, cores / workers) : 1));
    return env;
  }

  private void stopAll() {
    for (Node n : nodes) {
      n.process().destroy();
    }
    long deadline = System.nanoTime() + spec.grace().toNanos();
    for (Node n : nodes) {
      long left = deadline - System.nanoTime();
      try {
        if (left <= 0 || !n.process().waitFor(left, TimeUnit.NANOSECONDS)) {
          n.process().destroyForcibly();
          n.process().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        n.process().destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  private void say(String s) {
    synchronized (out) {
      out.println("[launch] " + s);
      out.flush();
    }
  }

  private static int freePort(String host) {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(host))) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on " + host, e);
    }
  }
}
