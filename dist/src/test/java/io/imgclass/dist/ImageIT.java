package io.imgclass.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the built image as a user would on a fresh machine: an empty home folder, no network where
 * {@code unshare -n} is permitted, and an environment holding only PATH and HOME. Each run must
 * exit 0 and leave the home folder empty (no ~/.djl.ai, no ~/.cache/JNA).
 *
 * <p>Java takes {@code user.home} from the password database, not from $HOME, so every run also
 * passes {@code -Duser.home} of the empty folder; otherwise writes to the real home would go
 * unseen.
 */
class ImageIT {
  private static Path image;
  /** The command prefix that cuts the network off, or empty where that is not permitted. */
  private static List<String> noNetwork;

  @TempDir Path home;

  @BeforeAll
  static void findImage() throws Exception {
    image = Path.of(System.getProperty("imgclass.image", "target/imgclass")).toAbsolutePath();
    assertThat(image.resolve("bin/imgclass")).isExecutable();
    noNetwork = List.of();
    for (List<String> prefix : List.of(List.of("unshare", "-n"), List.of("unshare", "-rn"))) {
      List<String> probe = new ArrayList<>(prefix);
      probe.add("true");
      if (exitCodeOf(probe) == 0) {
        noNetwork = prefix;
        break;
      }
    }
    if (noNetwork.isEmpty()) {
      // Only the isolation is skipped, not the runs: they still must not write to the home.
      System.err.println("ImageIT: unshare -n is not permitted here; running with the network");
    }
  }

  @Test
  void versionRunsFromAnEmptyHomeOffline() throws Exception {
    Run r = launcher("--version");
    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).startsWith("imgclass 0.").contains("DJL 0.33.0, MXNet 1.9.1");
    assertThat(r.out()).contains("Java 17");
    assertHomeUntouched();
  }

  @Test
  void helpRunsFromAnEmptyHomeOffline() throws Exception {
    Run r = launcher("--help");
    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).startsWith("Usage: imgclass");
    assertHomeUntouched();
  }

  @Test
  void usageErrorsKeepTheirExitCodeThroughTheLauncher() throws Exception {
    Run r = launcher("--frobnicate");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).startsWith("imgclass: Unknown option: '--frobnicate'");
    assertHomeUntouched();
  }

  /**
   * Starts MXNet with the image's runtime, jars and the settings bin/imgclass makes (kept in step
   * with it by {@link #launcherMakesTheSettingsTheProbeUses}), and checks that the library is the
   * one inside the image.
   */
  @Test
  void mxnetStartsFromTheImageOfflineWithoutWritingToHome() throws Exception {
    Run r = probe(true);
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("library " + image.resolve("native/mxnet/libmxnet.so"))
        .contains("version 1.9")
        .contains("product [7.0, 10.0, 15.0, 22.0]");
    assertHomeUntouched();
  }

  /**
   * The PyTorch engine starts from the image's own libtorch and JNI library (nothing unpacked into
   * the home) and predicts what MXNet predicts.
   */
  @Test
  void pytorchPredictsFromTheImageOfflineWithoutWritingToHome(@TempDir Path work) throws Exception {
    Path model = work.resolve("model.tar.gz");
    Run m = launcher("model", "--num-layers", "20", "--image-shape", "3,28,28", "--num-classes", "3",
        "--init-out", model.toString(), "--seed", "1");
    assertThat(m.exitCode()).as(m.err()).isZero();
    Path png = work.resolve("a.png");
    java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(28, 28, java.awt.image.BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 28; y++) {
      for (int x = 0; x < 28; x++) {
        img.setRGB(x, y, (x * 9) << 16 | (y * 9) << 8 | (x + y) * 4);
      }
    }
    javax.imageio.ImageIO.write(img, "png", png.toFile());
    Run mx = launcher("predict", "--model", model.toString(), png.toString());
    Run pt = launcher("predict", "--engine", "pytorch", "--model", model.toString(), png.toString());
    assertThat(mx.exitCode()).as(mx.err()).isZero();
    assertThat(pt.exitCode()).as(pt.err()).isZero();
    // libtorch itself logs one warning on CPUs where NNPACK cannot start (e.g. this AMD EPYC:
    // "Could not initialize NNPACK! Reason: Unsupported hardware."; it then uses its other kernels).
    // Its C++ log level is only read from the environment by Python's torch, so it cannot be
    // silenced from here; anything else on stderr is ours and must not be there.
    assertThat(pt.err().replaceAll("(?m)^\\[W[^\\]]*NNPACK\\.cpp:\\d+\\] Could not initialize NNPACK!.*\\R?", ""))
        .isEmpty();
    com.fasterxml.jackson.databind.JsonNode a = new com.fasterxml.jackson.databind.ObjectMapper().readTree(mx.out().strip());
    com.fasterxml.jackson.databind.JsonNode b = new com.fasterxml.jackson.databind.ObjectMapper().readTree(pt.out().strip());
    assertThat(b).hasSize(3);
    for (int k = 0; k < 3; k++) {
      assertThat(b.get(k).asDouble()).isCloseTo(a.get(k).asDouble(), org.assertj.core.data.Offset.offset(1e-4));
    }
    assertHomeUntouched();
  }

  /** Shows the home check can fail: without the launcher's JNA settings JNA unpacks into ~/.cache. */
  @Test
  void homeCheckSeesWritesWhenJnaIsLeftToUnpackItself() throws Exception {
    Run r = probe(false);
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(filesUnder(home)).anyMatch(p -> p.startsWith(home.resolve(".cache/JNA")));
  }

  @Test
  void launcherMakesTheSettingsTheProbeUses() throws IOException {
    String launcher = Files.readString(image.resolve("bin/imgclass"));
    assertThat(launcher)
        .contains("export MXNET_LIBRARY_PATH=\"$APP_HOME/native/mxnet\"")
        .contains("export PYTORCH_LIBRARY_PATH=\"$APP_HOME/native/pytorch/2.5.1-$torch_flavor-linux-x86_64\"")
        .contains("export DJL_OFFLINE=true")
        .contains("\"-Djna.boot.library.path=$APP_HOME/native/jna\" -Djna.nosys=true -Djna.nounpack=true")
        .contains("\"$APP_HOME/runtime/bin/java\"");
  }

  @Test
  void imageHoldsCompletionAndManPages() throws Exception {
    // Bash completes a partly typed option and subcommand with the generated script.
    String complete = "source \"$1\"; complete_line() { COMP_LINE=$1; COMP_WORDS=($1);"
        + " COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )); COMP_POINT=${#1}; _complete_imgclass;"
        + " echo \"${COMPREPLY[*]}\"; }; complete_line 'imgclass --st'; complete_line 'imgclass he'";
    Run r = run(List.of("bash", "-c", complete, "bash", image.resolve("completion/imgclass").toString()),
        Map.of("PATH", "/usr/bin:/bin"));
    assertThat(r.err()).isEmpty();
    assertThat(r.out()).isEqualTo("--stacktrace\nhelp\n");
    String man = Files.readString(image.resolve("man/man1/imgclass.1"));
    assertThat(man).contains(".TH \"IMGCLASS\" \"1\"").contains("\\fB\\-\\-stacktrace\\fP");
  }

  @Test
  void tarballHoldsTheWholeImage() throws Exception {
    Path tarball = Path.of(System.getProperty("imgclass.tarball"));
    Run r = run(List.of("tar", "-tvzf", tarball.toString()), Map.of("PATH", "/usr/bin:/bin"));
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out().lines())
        .anyMatch(l -> l.startsWith("-rwxr-xr-x") && l.endsWith(" imgclass/bin/imgclass"))
        .anyMatch(l -> l.endsWith(" imgclass/runtime/bin/java"))
        .anyMatch(l -> l.endsWith(" imgclass/native/mxnet/libmxnet.so"))
        .anyMatch(l -> l.endsWith(" imgclass/native/jna/libjnidispatch.so"))
        .anyMatch(l -> l.matches(".* imgclass/lib/imgclass-cli-.*\\.jar"))
        .noneMatch(l -> l.contains("mxnet-native"));
  }

  // --- helpers

  private Run launcher(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(noNetwork);
    cmd.add(image.resolve("bin/imgclass").toString());
    cmd.addAll(List.of(args));
    return run(cmd, Map.of("PATH", "/usr/bin:/bin", "HOME", home.toString(),
        "JAVA_OPTS", "-Duser.home=" + home));
  }

  private Run probe(boolean withJnaSettings) throws Exception {
    Path testClasses = Path.of(EngineProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<String> cmd = new ArrayList<>(noNetwork);
    cmd.add(image.resolve("runtime/bin/java").toString());
    cmd.add("-Duser.home=" + home);
    if (withJnaSettings) {
      cmd.addAll(List.of("-Djna.boot.library.path=" + image.resolve("native/jna"),
          "-Djna.nosys=true", "-Djna.nounpack=true"));
    }
    cmd.addAll(List.of("-cp", image.resolve("lib") + "/*:" + testClasses, EngineProbe.class.getName()));
    return run(cmd, Map.of("PATH", "/usr/bin:/bin", "HOME", home.toString(),
        "MXNET_LIBRARY_PATH", image.resolve("native/mxnet").toString(),
        "DJL_OFFLINE", "true", "OMP_NUM_THREADS", "2"));
  }

  private void assertHomeUntouched() throws IOException {
    assertThat(filesUnder(home)).as("written under the empty HOME").isEmpty();
  }

  private static List<Path> filesUnder(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> !p.equals(dir)).toList();
    }
  }

  record Run(int exitCode, String out, String err) {}

  private static Run run(List<String> cmd, Map<String, String> env) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().clear();
    pb.environment().putAll(env);
    Process p = pb.start();
    p.getOutputStream().close();
    CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + cmd);
    }
    return new Run(p.exitValue(), out.get(), err.get());
  }

  private static int exitCodeOf(List<String> cmd) throws Exception {
    try {
      return run(cmd, Map.of("PATH", "/usr/bin:/bin")).exitCode();
    } catch (IOException notInstalled) {
      return -1;
    }
  }

  private static String read(java.io.InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
