package io.imgclass.core.model;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Test helper: runs the peer scripts with Debian's python3 (numpy required). */
final class Peers {
  static final String PYTHON = "/usr/bin/python3";

  private Peers() {}

  /** Skips the test without numpy, or fails when CI=true (CI installs python3-numpy). */
  static void requireNumpy() throws Exception {
    io.imgclass.core.DebianPython.require("numpy");
  }

  /**
   * Copies one of this package's test scripts into {@code dir}, with mxnet_lib.py (the libmxnet
   * loader the scripts import), and returns its path.
   */
  static Path script(Path dir, String name) throws IOException {
    return io.imgclass.core.DebianPython.mxnetScript(dir, name);
  }

  record Result(int exitCode, String out, String err) {}

  static Result run(List<String> cmd, int timeoutSeconds) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("OMP_NUM_THREADS", "1");
    // The scripts load the libmxnet.so DJL ships; this starts the engine so it is unpacked.
    pb.environment().put("MXNET_LIBRARY_PATH", io.imgclass.core.DebianPython.libmxnet().toString());
    Path out = Files.createTempFile("peer", ".out");
    Path err = Files.createTempFile("peer", ".err");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + cmd);
    }
    Result r = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    Files.delete(out);
    Files.delete(err);
    return r;
  }

  /** Writes a float32 C-order .npy file. */
  static void writeNpy(Path path, float[] data, long... shape) throws IOException {
    StringBuilder dims = new StringBuilder();
    for (long d : shape) {
      dims.append(d).append(", ");
    }
    String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims.toString().replaceAll(", $", shape.length == 1 ? "," : "") + "), }";
    int total = 10 + dict.length() + 1;
    int pad = (64 - total % 64) % 64;
    String header = dict + " ".repeat(pad) + "\n";
    ByteBuffer b = ByteBuffer.allocate(10 + header.length() + data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
    b.putShort((short) header.length()).put(header.getBytes(StandardCharsets.US_ASCII));
    b.asFloatBuffer().put(data);
    Files.write(path, b.array());
  }

  /** Parses the "prediction" arrays of the oracle's JSON lines. */
  static List<float[]> predictions(String jsonLines) throws IOException {
    List<float[]> out = new ArrayList<>();
    var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    for (String line : jsonLines.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      var arr = mapper.readTree(line).get("prediction");
      float[] f = new float[arr.size()];
      for (int i = 0; i < f.length; i++) {
        f[i] = (float) arr.get(i).asDouble();
      }
      out.add(f);
    }
    return out;
  }
}
