package io.imgclass.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine choice from the outside: predict gives the same probabilities on PyTorch as on MXNet,
 * and what this GPU-less build cannot do (GPUs, float16, training on ONNX Runtime, a kvstore with
 * PyTorch) fails at once with exit 2 and a message that says why.
 */
class EngineCommandTest {
  private static final String NO_GPU = "imgclass %s: --gpus 1 asked for, but the PyTorch engine sees 0 GPU(s) on this"
      + " machine: it needs NVIDIA GPUs with a driver for CUDA 12.4 and the gpu build of imgclass (docs/gpu.md);"
      + " without them use --gpus 0\n";

  private static Path model(Path dir) {
    Path m = dir.resolve("model.tar.gz");
    CliRunner.Result r = CliRunner.run("model", "--num-layers", "20", "--image-shape", "3,28,28", "--num-classes", "4",
        "--init-out", m.toString(), "--seed", "8");
    assertThat(r.exitCode()).as(r.err()).isZero();
    return m;
  }

  private static Path png(Path dir) throws Exception {
    SplittableRandom r = new SplittableRandom(3);
    BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 28; y++) {
      for (int x = 0; x < 28; x++) {
        img.setRGB(x, y, r.nextInt(1 << 24));
      }
    }
    Path p = dir.resolve("a.png");
    ImageIO.write(img, "png", p.toFile());
    return p;
  }

  @Test
  void predictGivesTheSameProbabilitiesOnPytorch(@TempDir Path dir) throws Exception {
    Path m = model(dir);
    Path a = png(dir);
    CliRunner.Result mx = CliRunner.run("predict", "--model", m.toString(), a.toString());
    CliRunner.Result pt = CliRunner.run("predict", "--model", m.toString(), "--engine", "PyTorch", a.toString());
    assertThat(mx.exitCode()).as(mx.err()).isZero();
    assertThat(pt.exitCode()).as(pt.err()).isZero();
    assertThat(pt.err()).isEmpty();
    ObjectMapper om = new ObjectMapper();
    JsonNode x = om.readTree(mx.out().strip());
    JsonNode y = om.readTree(pt.out().strip());
    assertThat(y.isArray()).as(pt.out()).isTrue();
    assertThat(y).hasSize(4);
    for (int k = 0; k < 4; k++) {
      assertThat(y.get(k).asDouble()).isCloseTo(x.get(k).asDouble(), org.assertj.core.data.Offset.offset(1e-4));
    }
  }

  @Test
  void gpusThatAreNotThereAreAUsageError(@TempDir Path dir) throws Exception {
    Path m = model(dir);
    CliRunner.Result r = CliRunner.run("predict", "--model", m.toString(), "--engine", "pytorch", "--gpus", "1",
        png(dir).toString());
    assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo(NO_GPU.formatted("predict"));

    r = train(dir, "--engine", "pytorch", "--gpus", "1");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo(NO_GPU.formatted("train"));

    r = train(dir, "--gpus", "1");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("imgclass train: --gpus 1: the bundled MXNet engine runs on the CPU only;"
        + " train on GPUs with --engine pytorch\n");
  }

  @Test
  void whatTrainingCannotDoHereIsAUsageError(@TempDir Path dir) throws Exception {
    CliRunner.Result r = train(dir, "--engine", "pytorch", "--precision-dtype", "float16");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("imgclass train: precision_dtype float16 needs a GPU (mixed precision: float16"
        + " compute on the GPU, float32 master weights); on the CPU use float32, or train with --engine pytorch"
        + " --gpus N\n");

    r = train(dir, "--engine", "OnnxRuntime");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("imgclass train: --engine onnxruntime is for inference only (predict, evaluate,"
        + " serve); train with --engine mxnet or pytorch\n");

    r = train(dir, "--engine", "pytorch", "--kv-store", "dist_sync");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).startsWith("imgclass train: kv_store dist_sync is not available with --engine pytorch");

    r = train(dir, "--engine", "tensorflow");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("engine must be one of mxnet, pytorch, onnxruntime; got 'tensorflow'");
  }

  private static CliRunner.Result train(Path dir, String... more) throws Exception {
    Path rec = dir.resolve("t.rec");
    Files.write(rec, new byte[0]);
    String[] base = {"train", "--train", rec.toString(), "-o", dir.resolve("out").toString(), "--num-classes", "2",
        "--num-training-samples", "10", "--image-shape", "3,28,28", "--num-layers", "20", "--mini-batch-size", "2"};
    String[] args = new String[base.length + more.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(more, 0, args, base.length, more.length);
    return CliRunner.run(args);
  }
}
