package io.imgclass.core;

import ai.djl.engine.Engine;
import ai.djl.util.Utils;
import io.imgclass.core.testing.TestRequirement;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs Debian's {@code /usr/bin/python3} (with python3-numpy / python3-pil / python3-opencv) for
 * cross-checks, and the project's own MXNet scripts (test resources of io.imgclass.core.model,
 * which load the libmxnet.so DJL ships). Missing modules skip the test, except under {@code CI=true}
 * ({@link TestRequirement}).
 */
public final class DebianPython {
  public static final Path PYTHON = Path.of("/usr/bin/python3");
  private static final String SCRIPTS = "/io/imgclass/core/model/";

  private DebianPython() {}

  /** Skips (or fails on CI) unless the interpreter can import every module. */
  public static void require(String... modules) throws Exception {
    String why = null;
    if (!Files.isExecutable(PYTHON)) {
      why = PYTHON + " not found";
    } else {
      Result r = run(List.of("-c", "import " + String.join(", ", modules)), 60);
      if (r.code() != 0) {
        why = PYTHON + " cannot import " + String.join(", ", modules) + ": " + r.err().strip();
      }
    }
    TestRequirement.require(why == null, why + " (Debian packages python3-numpy python3-pil python3-opencv)");
  }

  /**
   * Copies one of the project's MXNet test scripts, with the libmxnet loader it imports
   * (mxnet_lib.py), into {@code dir} and returns its path.
   */
  public static Path mxnetScript(Path dir, String name) throws IOException {
    for (String f : new String[] {name, "mxnet_lib.py"}) {
      try (InputStream in = DebianPython.class.getResourceAsStream(SCRIPTS + f)) {
        if (in == null) {
          throw new IOException("test resource " + SCRIPTS + f + " is missing");
        }
        Files.copy(in, dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    return dir.resolve(name);
  }

  /** The libmxnet.so DJL ships, unpacked by starting the engine (the scripts load it). */
  public static Path libmxnet() throws IOException {
    Engine.getEngine("MXNet");
    try (Stream<Path> s = Files.walk(Utils.getEngineCacheDir("mxnet"), 2)) {
      return s.filter(p -> p.getFileName().toString().equals("libmxnet.so")).findFirst()
          .orElseThrow(() -> new IOException("no libmxnet.so under " + Utils.getEngineCacheDir("mxnet")));
    }
  }

  /** What one run printed. */
  public record Result(int code, String out, String err) {}

  /** Runs python3 with arguments; fails the test on timeout. */
  public static Result run(List<String> args, int timeoutSeconds) throws IOException, InterruptedException {
    return run(args, timeoutSeconds, null);
  }

  /**
   * Runs one of the {@link #mxnetScript} scripts: starts DJL's MXNet engine (which unpacks
   * libmxnet.so) and points MXNET_LIBRARY_PATH at that library. Not for the OpenCV tests' JVM,
   * where libmxnet must not be loaded.
   */
  public static Result runMxnet(List<String> args, int timeoutSeconds) throws IOException, InterruptedException {
    return run(args, timeoutSeconds, libmxnet());
  }

  private static Result run(List<String> args, int timeoutSeconds, Path libmxnet) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(PYTHON.toString());
    cmd.addAll(args);
    Path out = Files.createTempFile("py", ".out");
    Path err = Files.createTempFile("py", ".err");
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
      pb.environment().put("OMP_NUM_THREADS", "1");
      if (libmxnet != null) {
        pb.environment().put("MXNET_LIBRARY_PATH", libmxnet.toString());
      }
      Process p = pb.start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("timed out: " + cmd);
      }
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
