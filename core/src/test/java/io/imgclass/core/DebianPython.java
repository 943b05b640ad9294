package io.imgclass.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs Debian's {@code /usr/bin/python3} (with python3-numpy / python3-opencv) for cross-checks.
 * When a module is missing the test is skipped, except under {@code CI=true}, where it fails.
 */
public final class DebianPython {
  public static final Path PYTHON = Path.of("/usr/bin/python3");

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
    if (why != null) {
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError(why + " (CI must install python3-numpy python3-pil python3-opencv)");
      }
      Assumptions.abort(why);
    }
  }

  /** The shared folder ({@code imgclass.shared}, set by surefire). */
  public static Path shared() {
    String s = System.getProperty("imgclass.shared");
    Assumptions.assumeTrue(s != null, "imgclass.shared is not set");
    return Path.of(s).toAbsolutePath().normalize();
  }

  /** What one run printed. */
  public record Result(int code, String out, String err) {}

  /** Runs python3 with arguments; fails the test on timeout. */
  public static Result run(List<String> args, int timeoutSeconds) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(PYTHON.toString());
    cmd.addAll(args);
    Path out = Files.createTempFile("py", ".out");
    Path err = Files.createTempFile("py", ".err");
    try {
      Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
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
