package io.imgclass.cli;

import io.imgclass.core.UsageException;
import io.imgclass.core.dist.LocalCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code imgclass launch}: a scheduler, servers and workers of a distributed job on this machine. */
@Command(
    name = "launch",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Runs a distributed training job on this machine, as MXNet's tools/launch.py --launcher local: one"
          + " scheduler, -s servers and -n workers, each a child process running the given imgclass command"
          + " with its DMLC_* variables (DMLC_ROLE, DMLC_PS_ROOT_URI, DMLC_PS_ROOT_PORT, DMLC_NUM_SERVER,"
          + " DMLC_NUM_WORKER, DMLC_NODE_HOST).",
      "Output lines are prefixed with the node ([worker 0] is the first worker started; its kvstore rank"
          + " may differ). If any process fails, or on Ctrl-C, all the others are stopped.",
      "Example: imgclass launch -n 2 -s 1 -- train --kv-store dist_sync --train data.rec -o out ...",
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:every process finished with 0",
      "1:a process failed (the others were stopped), or the servers did not stop after the workers",
      "2:bad command line",
    })
final class LaunchCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;

  @Option(names = {"-n", "--workers"}, required = true, paramLabel = "N", description = "Number of workers.")
  int workers;

  @Option(names = {"-s", "--servers"}, defaultValue = "1", paramLabel = "N",
      description = "Number of servers (default: ${DEFAULT-VALUE}).")
  int servers;

  @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "ADDRESS",
      description = "Address the nodes bind to and the scheduler listens on (default: ${DEFAULT-VALUE}, loopback only).")
  String host;

  @Option(names = "--port", defaultValue = "0", paramLabel = "PORT",
      description = "The scheduler's port (default: a free one).")
  int port;

  @Option(names = "--grace", defaultValue = "30", paramLabel = "SECONDS",
      description = "How long nodes get to stop on their own before they are killed (default: ${DEFAULT-VALUE}).")
  int grace;

  @Option(names = "--worker-threads", defaultValue = "0", paramLabel = "N",
      description = "OMP_NUM_THREADS of each worker (default: the cores divided among the workers; servers and the"
          + " scheduler get 1).")
  int workerThreads;

  @Parameters(paramLabel = "COMMAND", arity = "1..*",
      description = "The imgclass command every node runs, after --; train with --kv-store dist_sync or dist_async.")
  List<String> command = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    if (workers < 1 || servers < 1) {
      throw new UsageException("-n and -s must be at least 1 (got " + workers + " workers, " + servers + " servers)");
    }
    if (port < 0 || port > 65535) {
      throw new UsageException("--port must be in 0..65535");
    }
    if (workerThreads < 0) {
      throw new UsageException("--worker-threads must be 0 (automatic) or more");
    }
    if (grace < 1) {
      throw new UsageException("--grace must be at least 1 second");
    }
    if (!"train".equals(command.get(0))) {
      throw new UsageException("launch runs `train`; got `" + command.get(0) + "`");
    }
    int kv = command.indexOf("--kv-store");
    boolean dist = command.stream().anyMatch(a -> a.equals("--kv-store=dist_sync") || a.equals("--kv-store=dist_async"))
        || kv >= 0 && kv + 1 < command.size() && command.get(kv + 1).startsWith("dist_");
    if (!dist && !command.stream().anyMatch(a -> a.startsWith("--hyperparameters"))) {
      throw new UsageException("the train command needs --kv-store dist_sync or dist_async to use the cluster");
    }
    List<String> cmd = new ArrayList<>(LocalCluster.javaCommand(Imgclass.class.getName()));
    cmd.addAll(command);
    LocalCluster cluster = new LocalCluster(
        new LocalCluster.Spec(workers, servers, host, port, cmd, Duration.ofSeconds(grace), workerThreads), spec.commandLine().getOut());
    return cluster.run() == 0 ? ExitCodes.OK : ExitCodes.FAILURE;
  }
}
