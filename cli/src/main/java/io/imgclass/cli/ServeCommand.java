package io.imgclass.cli;

import io.imgclass.core.ImgclassException;
import io.imgclass.core.UsageException;
import io.imgclass.core.infer.Engine;
import io.imgclass.core.infer.InferenceHandler;
import io.imgclass.core.infer.InferenceServer;
import io.imgclass.core.model.ModelArchive;
import io.imgclass.core.model.ModelArtifact;
import io.imgclass.core.model.NetworkRunner;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code imgclass serve}: SageMaker's inference HTTP contract ({@code GET /ping}, {@code POST
 * /invocations}) for a model.tar.gz, until SIGTERM or Ctrl-C.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Serve a model.tar.gz over HTTP with SageMaker's inference contract:",
      "GET /ping (200 when loaded); POST /invocations with Content-Type image/jpeg, image/png or"
          + " application/x-image, answered per Accept as application/json (a bare array of probabilities;"
          + " also for no Accept or */*) or application/jsonlines ({\"prediction\": [...]}).",
      "Errors: 400 undecodable image, 406 unsupported Accept, 413 body too large or image over --max-pixels,"
          + " 415 unsupported Content-Type, 503 too many requests waiting, each with a JSON body. Images are stretched to image_shape as SageMaker's endpoint does.",
      "Prints the bound address on startup; stops gracefully on SIGTERM or Ctrl-C.",
      "On a small or shared machine run it with OMP_NUM_THREADS=1: MXNet passes with several OpenMP"
          + " threads stall when a core is taken (measured in docs/benchmarks.md)."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"1:the model could not be loaded or the address could not be bound", "2:invalid options",
        "143:stopped by SIGTERM (after finishing requests in flight)"})
public final class ServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @picocli.CommandLine.Mixin EngineOptions engineOptions;

  @Option(names = "--model", required = true, paramLabel = "MODEL", description = "model.tar.gz, a folder with its files, or an .onnx that 'imgclass export' wrote (with --engine onnxruntime).")
  java.nio.file.Path model;

  @Option(names = "--host", paramLabel = "HOST", defaultValue = "127.0.0.1",
      description = "Address to bind (default 127.0.0.1, loopback only; 0.0.0.0 for every interface).")
  String host;

  @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080",
      description = "Port (default 8080, as SageMaker; 0 picks a free one, printed on startup).")
  int port;

  @Option(names = "--max-body-bytes", paramLabel = "N", defaultValue = "6291456",
      description = "Largest request body accepted, else 413 (default 6291456 = 6 MB, SageMaker's limit).")
  long maxBody;

  @Option(names = "--workers", paramLabel = "N", defaultValue = "1",
      description = "Network runners in the pool (pool strategy; default 1), or 8*N as the largest batch (batch strategy).")
  int workers;

  @Option(names = "--strategy", paramLabel = "S", defaultValue = "batch",
      description = "batch (default: one runner batches the requests waiting) or pool (one request per runner"
          + " per forward pass); measured in docs/benchmarks.md.")
  String strategy;

  @Option(names = "--threads", paramLabel = "N", defaultValue = "8",
      description = "HTTP threads that read and decode requests (default 8).")
  int threads;

  @Option(names = "--read-timeout", paramLabel = "S", defaultValue = "60",
      description = "Seconds a request's headers and body may take to arrive; a slower or stalled client is"
          + " disconnected (default 60).")
  int readTimeout;

  @Option(names = "--connections", paramLabel = "N",
      description = "Connections read at once (default 64, or 4 per --threads if more); a stalled client holds"
          + " one until --read-timeout, and /ping is answered while every --threads slot is busy.")
  Integer connections;

  @Option(names = "--queue", paramLabel = "N",
      description = "Complete requests that may wait for one of the --threads slots (default 4 per thread);"
          + " beyond that, 503 at once.")
  Integer queue;

  @Option(names = "--grace-seconds", paramLabel = "S", defaultValue = "30",
      description = "On SIGTERM, how long requests in flight may take to finish (default 30).")
  int grace;

  @Option(names = "--mode", paramLabel = "MODE", defaultValue = "symbol",
      description = "symbol (MXNet cached graph, default) or blocks (DJL imperative ops).")
  String mode;

  @picocli.CommandLine.Mixin MaxPixelsOption maxPixels;

  @Override
  public Integer call() throws IOException, InterruptedException {
    maxPixels.apply();
    if (port < 0 || port > 65535) {
      throw new UsageException("--port must be 0..65535, got " + port);
    }
    if (threads < 1 || grace < 0) {
      throw new UsageException("--threads must be >= 1 and --grace-seconds >= 0");
    }
    if (readTimeout < 1 || (connections != null && connections < 1) || (queue != null && queue < 0)) {
      throw new UsageException("--read-timeout and --connections must be >= 1 and --queue >= 0");
    }
    Engine.Strategy st = Engine.Strategy.parse(strategy);
    NetworkRunner.Mode m;
    try {
      m = NetworkRunner.Mode.parse(mode);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--mode must be symbol or blocks, got '" + mode + "'");
    }
    if (workers < 1) {
      throw new UsageException("--workers must be >= 1, got " + workers);
    }
    if (maxBody < 1) {
      throw new UsageException("--max-body-bytes must be >= 1, got " + maxBody);
    }
    io.imgclass.core.model.RunOptions options = engineOptions.toRunOptions(m);
    io.imgclass.core.model.ImageShape shape;
    InferenceHandler handler;
    if (io.imgclass.core.onnx.OnnxModels.isOnnx(model)) {
      if (options.engine() != io.imgclass.core.model.EngineKind.ONNXRUNTIME) {
        throw new UsageException(model + " is an ONNX model: run it with --engine onnxruntime");
      }
      io.imgclass.core.onnx.OnnxModels.OnnxFile f = io.imgclass.core.onnx.OnnxModels.read(model);
      shape = f.imageShape();
      try {
        handler = new InferenceHandler(shape, Engine.create(() -> f.open(options), st, workers), maxBody);
      } catch (ImgclassException e) {
        throw new ImgclassException(model + ": " + e.getMessage(), e);
      }
    } else {
      ModelArtifact a = ModelArchive.read(model);
      if (a.imageShape() == null) {
        throw new ImgclassException(model + ": no " + ModelArchive.SHAPES + "; cannot tell the image shape");
      }
      shape = a.imageShape();
      try {
        handler = new InferenceHandler(a, Engine.create(a, st, workers, options), maxBody);
      } catch (ImgclassException e) {
        throw new ImgclassException(model + ": " + e.getMessage(), e);
      }
    }
    InferenceServer server;
    try {
      InferenceServer.Limits d = InferenceServer.Limits.of(threads);
      server = InferenceServer.start(handler, host, port, new InferenceServer.Limits(threads,
          connections == null ? d.connections() : connections, queue == null ? d.queue() : queue,
          Duration.ofSeconds(readTimeout)));
    } catch (IOException e) {
      handler.close();
      throw new ImgclassException("cannot listen on " + host + ":" + port + ": " + ErrorHandler.oneLine(e), e);
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    InetSocketAddress bound = server.address();
    out.println("imgclass serve: listening on http://" + bound.getHostString() + ":" + bound.getPort()
        + " (model " + model + ", image_shape " + shape + ", " + st.name().toLowerCase(java.util.Locale.ROOT)
        + " strategy, " + workers + " worker" + (workers == 1 ? "" : "s") + ")");
    out.flush();
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      err.println("imgclass serve: stopping (finishing requests in flight, at most " + grace + " s)");
      err.flush();
      boolean clean = server.stop(Duration.ofSeconds(grace));
      err.println(clean ? "imgclass serve: stopped" : "imgclass serve: stopped with requests still running after "
          + grace + " s");
      err.flush();
      stopped.countDown();
    }, "imgclass-serve-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    // Serve until the JVM is asked to stop; the hook does the graceful part.
    stopped.await();
    return ExitCodes.OK;
  }
}
